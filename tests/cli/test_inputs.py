"""Commands accept raw 16S reads directly (profiled first) and still refuse reference FASTAs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gutlens.cli._app import run
from gutlens.cli._inputs import _with_mates

SOP = "fastq_16s/dada2_extdata_miseq_sop/sam1F.fastq.gz"


def test_profile_command_runs_the_reads_pipeline(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["profile", str(inputs / SOP), "--json"]) == 0
    (sample,) = json.loads(capsys.readouterr().out)["samples"]
    assert sample["tool"] == "gutlens reads"
    assert sample["database"] == "rdp_trainset19_dada2.fa.gz"
    genera = {t["name"]: t["count"] for t in sample["taxa"] if t["rank"] == "genus"}
    # the mouse SOP sample is Bacteroidales-dominated (DADA2's own calls agree)
    assert max(genera, key=lambda g: genera[g]) == "Bacteroides"
    assert sum(genera.values()) <= sample["total_count"]


def test_lone_r1_finds_its_mate(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = inputs / "fastq_16s/ombre_consumer_v4_sample6"
    r1 = folder / "Sample6-Ombre-GTV3A_S57_L001_R1_001.fastq.gz"
    files = _with_mates([r1])
    assert files == [r1, folder / "Sample6-Ombre-GTV3A_S57_L001_R2_001.fastq.gz"]
    assert "as the mate of" in capsys.readouterr().err


def test_reference_fasta_is_still_refused(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inputs / "reference_db/dada2_example/example_train_set.fa.gz"
    assert run(["report", str(path), "-o", str(tmp_path / "r.html")]) == 1
    assert "reference database" in capsys.readouterr().err
