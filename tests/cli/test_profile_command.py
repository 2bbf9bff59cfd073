"""``gutlens profile`` and ``gutlens formats`` run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gutlens.cli._app import run


def test_profile_json_shape(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run(["profile", str(inputs / "metaphlan3/SRS014459-Stool_profile.txt"), "--json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    (sample,) = data["samples"]
    assert sample["id"] == "SRS014459-Stool_profile"
    assert sample["tool"] == "MetaPhlAn"
    assert sample["database"] == "mpa_v30_CHOCOPhlAn_201901"
    assert sample["unclassified_fraction"] == 0
    phyla = {t["name"]: t["relative_abundance"] for t in sample["taxa"] if t["rank"] == "phylum"}
    assert phyla == pytest.approx({"Bacillota": 0.6837997, "Bacteroidota": 0.3162003})


def test_profile_summary_mentions_top_genus(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "metaphlan4/5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2.output.txt"
    assert run(["profile", str(path), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "MetaPhlAn 4" in out
    assert "Bacteroides" in out and "30.76%" in out


def test_profile_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["profile", "--example"]) == 0
    assert "mpa_vOct22_CHOCOPhlAnSGB_202403" in capsys.readouterr().out


def test_sample_selection(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(inputs / "metaphlan2/hmp6_merged_abundance_table.txt")
    assert run(["profile", path, "--sample", "SRS014459-Stool_profile", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["samples"]) == 1
    assert run(["profile", path, "--sample", "missing"]) == 1
    assert "sample(s) not found in the given files: missing" in capsys.readouterr().err


def test_bad_file_is_one_line_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("#SampleID\tMetaphlan2_Analysis\nk__Bacteria\tlots\n")
    assert run(["profile", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}, line 2: expected a number for the abundance, found 'lots'" in err
    assert len(err.strip().splitlines()) <= 2


def test_verbose_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("#SampleID\tMetaphlan2_Analysis\nk__Bacteria\tlots\n")
    assert run(["--verbose", "profile", str(path)]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_formats_lists_metaphlan(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["formats"]) == 0
    assert "metaphlan" in capsys.readouterr().out


def test_bad_rank_is_usage_error(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    assert run(["profile", path, "--rank", "tribe"]) == 2
    assert "rank must be one of" in capsys.readouterr().err
