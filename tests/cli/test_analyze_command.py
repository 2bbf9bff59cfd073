"""``gutlens analyze`` in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gutlens.cli._app import run


def test_analyze_json(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = inputs / "metaphlan3/hmp6_merged_abundance_table.txt"
    status = run(["analyze", str(path), "--sample", "SRS014459-Stool_profile", "--json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    (sample,) = data["samples"]
    assert sample["sample_id"] == "SRS014459-Stool_profile"
    for key in ("richness", "shannon", "simpson", "inverse_simpson", "pielou"):
        assert key in sample["alpha"]
    assert set(sample["indices"]) == {"gmhi", "gmwi2"}
    assert sample["reference"]["name"] == "metaml_healthy"


def test_analyze_summary(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run(["analyze", str(inputs / "metaphlan2/SRS014459-Stool_profile.txt")])
    assert status == 0
    out = capsys.readouterr().out
    assert "GMHI" in out and "not a medical diagnosis" in out


def test_analyze_missing_sample(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = inputs / "metaphlan3/hmp6_merged_abundance_table.txt"
    assert run(["analyze", str(path), "--sample", "nope"]) == 1
    assert "nope" in capsys.readouterr().err


def test_analyze_jobs_gives_the_same_json(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(inputs / "metaphlan3/hmp6_merged_abundance_table.txt")
    assert run(["analyze", path, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)["samples"]
    assert run(["analyze", path, "--json", "--jobs", "2"]) == 0
    two = json.loads(capsys.readouterr().out)["samples"]
    assert len(one) > 4
    assert [s["sample_id"] for s in two] == [s["sample_id"] for s in one]
    for a, b in zip(one, two, strict=True):
        assert a == b


def test_analyze_skip_failed_names_the_sample(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the real merged table with one sample's values removed (a library that failed)
    lines = (inputs / "metaphlan3/hmp6_merged_abundance_table.txt").read_text().splitlines()
    header = lines[1].split("\t")
    failed = header[4]
    out = [lines[0], lines[1]]
    for line in lines[2:]:
        cells = line.split("\t")
        cells[4] = "0.0"
        out.append("\t".join(cells))
    path = tmp_path / "merged.tsv"
    path.write_text("\n".join(out) + "\n")
    assert run(["analyze", str(path), "--json"]) == 1
    assert failed in capsys.readouterr().err
    assert run(["analyze", str(path), "--json", "--skip-failed"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert len(data["samples"]) == len(header) - 3
    assert [s["sample_id"] for s in data["skipped"]] == [failed]
    assert failed in captured.err and "skipped 1 sample" in captured.err
