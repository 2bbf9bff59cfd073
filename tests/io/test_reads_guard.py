"""Raw reads and reference databases given as a profile are refused with what to do instead."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from gutlens.cli._app import run
from gutlens.errors import ReadsInputError
from gutlens.io import read_profiles, sniff

READS = [
    "fastq_16s/ombre_consumer_v4_sample6/Sample6-Ombre-GTV3A_S57_L001_R1_001.fastq.gz",
    "fastq_16s/ombre_consumer_v4_sample6/Sample6-Ombre-GTV3A_S57_L001_R2_001.fastq.gz",
    "fastq_16s/dada2_extdata_miseq_sop/sam1F.fastq.gz",
    "fastq_16s/dada2_extdata_miseq_sop/sam1R.fastq.gz",
    "fastq_16s/dada2_extdata_miseq_sop/sam2F.fastq.gz",
    "fastq_16s/dada2_extdata_miseq_sop/sam2R.fastq.gz",
    "fastq_16s/american_gut_fasta/ERS914975.fna",
    "shotgun_reads/SRS014459-Stool.fasta.gz",
]


@pytest.mark.parametrize("name", READS)
def test_reads_are_refused(inputs: Path, name: str) -> None:
    path = inputs / name
    assert sniff(path).name == "reads"
    kind = "FASTQ" if ".fastq" in name else "FASTA"
    with pytest.raises(ReadsInputError, match=rf"raw sequencing reads \({kind}\)") as info:
        read_profiles(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "gutlens reads" in message and "-o profile.tsv" in message


def test_pair_named_in_hint(inputs: Path) -> None:
    path = inputs / READS[1]
    with pytest.raises(ReadsInputError) as info:
        read_profiles(path)
    assert (
        "gutlens reads Sample6-Ombre-GTV3A_S57_L001_R1_001.fastq.gz "
        "Sample6-Ombre-GTV3A_S57_L001_R2_001.fastq.gz -o profile.tsv" in str(info.value)
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("reference_db/dada2_example/example_train_set.fa.gz", "assignTaxonomy training set"),
        ("reference_db/rdp_trainset19/rdp_trainset19_dada2.fa.gz", "assignTaxonomy training set"),
        ("reference_db/dada2_example/example_species_assignment.fa.gz", "addSpecies set"),
        ("reference_db/rdp_trainset19/rdp_trainset19_seqs.fa.gz", "long sequences"),
    ],
)
def test_reference_databases_are_refused(inputs: Path, name: str, message: str) -> None:
    with pytest.raises(ReadsInputError, match=message) as info:
        read_profiles(inputs / name)
    assert "not a sample" in str(info.value) or "not a sample's reads" in str(info.value)


def test_cli_one_line(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the CLI profiles raw reads itself (tests/cli/test_inputs.py); broken reads still give one
    # line naming the file, never a traceback
    data = (inputs / READS[2]).read_bytes()
    cut = tmp_path / "cut.fastq.gz"
    cut.write_bytes(data[: len(data) // 2])
    status = run(["profile", str(cut)])
    err = capsys.readouterr().err
    assert status == 1
    assert "cut.fastq.gz" in err
    assert "Traceback" not in err


def test_plain_fastq_detected(tmp_path: Path) -> None:
    path = tmp_path / "x.fq.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("@r1\nACGTACGT\n+\nIIIIIIII\n@r2\nACGTACGA\n+\nIIIIIIII\n")
    assert sniff(path).name == "reads"
    # a table whose first cell happens to start with '>' or '@' is not mistaken for reads
    table = tmp_path / "t.tsv"
    table.write_text("@taxonomy\tS1\nk__Bacteria|g__Blautia\t3\n")
    assert sniff(table).name != "reads"
