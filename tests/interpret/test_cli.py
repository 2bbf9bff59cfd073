"""``gutlens interpret``: JSON shape, and a clear error without the analysis layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gutlens.cli import _app
from gutlens.examples import example_profile_path


def test_interpret_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # the command runs the real gutlens.analysis.analyze on the shipped example
    q = tmp_path / "q.yaml"
    q.write_text(
        "age: 41\nsex: female\ndiet: vegan\nrestrictions: [gluten_free]\n"
        "allergies: [tree_nuts]\nsymptoms: {bloating: 3, gas: 2}\nalarm_symptoms: []\n"
    )
    status = _app.run(
        ["interpret", str(example_profile_path()), "--questionnaire", str(q), "--json"]
    )
    out = capsys.readouterr().out
    assert status == 0
    data = json.loads(out)
    assert [a["name"] for a in data["areas"]] == [
        "digestive",
        "immune",
        "gut_brain",
        "metabolism",
        "skin",
        "nutrition",
    ]
    for area in data["areas"]:
        assert {"name", "score", "confidence", "drivers"} <= set(area)
    assert {"proxies", "biomarkers", "summary", "limits", "citations"} <= set(data["barrier"])
    assert data["alarms"] == []
    for rec in data["recommendations"]:
        assert {"text", "kind", "finding", "evidence_grade", "citations"} <= set(rec)
        assert all(c["doi"] or c["pmid"] for c in rec["citations"])
    day = data["meal_plan"]["days"][0]
    assert day["fiber_g"] >= 30
    item = day["meals"][0]["items"][0]
    assert {"ndb_no", "description", "grams"} <= set(item)
    assert data["knowledge_base"]["version"]


def test_interpret_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert _app.run(["interpret", str(example_profile_path())]) == 0
    out = capsys.readouterr().out
    assert "Digestive health" in out and "Meal plan: 7 days" in out


def test_without_analysis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_analyze(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "gutlens.analysis.analyze":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_analyze)
    assert _app.run(["interpret", str(example_profile_path())]) == 1
    assert "analysis not available in this installation" in capsys.readouterr().err


def test_missing_questionnaire(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    args = ["interpret", str(example_profile_path()), "--questionnaire", str(missing)]
    assert _app.run(args) == 1
    assert "no such file (given with --questionnaire)" in capsys.readouterr().err
