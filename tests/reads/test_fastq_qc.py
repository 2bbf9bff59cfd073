"""Reading reads, quality filtering and the bad-input errors, on the real MiSeq SOP files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gutlens.errors import ReadsInputError
from gutlens.reads import (
    FilterSettings,
    QCSummary,
    filter_reads,
    find_pairs,
    read_pair,
    read_single,
)


def test_reads_a_pair(miseq: Path) -> None:
    r1, r2 = read_pair(miseq / "sam1F.fastq.gz", miseq / "sam1R.fastq.gz")
    assert len(r1) == len(r2) == 1500
    assert r1.has_qualities
    assert r1.names[0].split()[0] == r2.names[0].split()[0]
    assert int(r1.lengths.max()) == 250


@pytest.mark.parametrize("sample", ["sam1", "sam2"])
def test_filter_matches_dada2_filter_and_trim(miseq: Path, inputs: Path, sample: str) -> None:
    """filterAndTrim(truncLen=c(240,160), maxEE=2, truncQ=2, maxN=0): DADA2 1.26 kept 1,021
    (sam1) and 1,009 (sam2) of 1,500 pairs (its read_tracking.csv)."""
    tracking = pd.read_csv(inputs / "dada2/run_here_miseq_sop_extdata/read_tracking.csv")
    expected = int(tracking.set_index(tracking.columns[0]).loc[f"{sample}F.fastq.gz", "reads.out"])
    mates = list(read_pair(miseq / f"{sample}F.fastq.gz", miseq / f"{sample}R.fastq.gz"))
    summary = QCSummary(sample, paired=True, qualities=True)
    kept = filter_reads(mates, FilterSettings(trunc_len=(240, 160)), summary)
    assert summary.reads_filtered == expected
    assert len(kept[0]) == len(kept[1]) == expected
    lost = summary.too_short + summary.too_many_n + summary.too_many_expected_errors
    assert summary.reads_in - lost == expected
    assert set(kept[0].lengths.tolist()) == {240}


def test_find_pairs_by_illumina_names(ombre: Path, miseq: Path) -> None:
    pairs = find_pairs(sorted(ombre.glob("*.fastq.gz")))
    assert len(pairs) == 1
    sample, r1, r2 = pairs[0]
    assert sample == "Sample6-Ombre-GTV3A"
    assert r1.name.endswith("_R1_001.fastq.gz")
    assert r2 is not None and r2.name.endswith("_R2_001.fastq.gz")
    singles = find_pairs(sorted(miseq.glob("*.fastq.gz")))
    assert all(r2 is None for _s, _r1, r2 in singles)  # sam1F/sam1R carry no _R1_/_R2_


def test_fasta_reads_have_no_qualities(inputs: Path) -> None:
    reads = read_single(inputs / "fastq_16s/american_gut_fasta/ERS914975.fna")
    assert len(reads) == 2000
    assert not reads.has_qualities


# -- bad input --------------------------------------------------------------------------------
def test_mismatched_pair_names(miseq: Path) -> None:
    with pytest.raises(ReadsInputError, match=r"record 1: R1 read .* differ") as info:
        read_pair(miseq / "sam1F.fastq.gz", miseq / "sam2R.fastq.gz")
    assert info.value.path is not None and info.value.path.endswith("sam2R.fastq.gz")


def test_pair_with_different_read_counts(miseq: Path, tmp_path: Path) -> None:
    with gzip.open(miseq / "sam1R.fastq.gz", "rt") as handle:
        lines = handle.readlines()
    short = tmp_path / "sam1R_short.fastq"
    short.write_text("".join(lines[: 4 * 1000]))
    with pytest.raises(ReadsInputError, match="R1 holds 1500 reads but R2"):
        read_pair(miseq / "sam1F.fastq.gz", short)


def test_truncated_gzip(miseq: Path, tmp_path: Path) -> None:
    data = (miseq / "sam1F.fastq.gz").read_bytes()
    broken = tmp_path / "broken_R1_001.fastq.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadsInputError, match="truncated") as info:
        read_single(broken)
    assert str(broken) in str(info.value)


def test_quality_shorter_than_sequence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fastq"
    bad.write_text("@r1\nACGTACGT\n+\nIIIIIIII\n@r2\nACGTACGT\n+\nIIII\n")
    with pytest.raises(ReadsInputError, match=r"bad\.fastq"):
        read_single(bad)


def test_non_acgtn_character(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fasta"
    bad.write_text(">r1\nACGTACGT\n>r2\nACGTXCGT\n")
    with pytest.raises(ReadsInputError, match=r"record 2 \(r2\): character 'X' at position 5"):
        read_single(bad)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadsInputError, match="not found"):
        read_single(tmp_path / "nothing_R1_001.fastq.gz")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fastq"
    empty.write_text("")
    with pytest.raises(ReadsInputError, match="no reads"):
        read_single(empty)


def test_primer_removal_with_cutadapt(miseq: Path, tmp_path: Path) -> None:
    """Reads written back with the 515F primer in front lose exactly it again."""
    primer = "GTGCCAGCMGCCGCGGTAA"  # 515F (the MiSeq SOP amplicon; primers were removed)
    with gzip.open(miseq / "sam1F.fastq.gz", "rt") as handle:
        lines = handle.readlines()[:400]
    for i in range(0, len(lines), 4):
        lines[i + 1] = "GTGCCAGCAGCCGCGGTAA" + lines[i + 1]
        lines[i + 3] = "I" * 19 + lines[i + 3]
    with_primer = tmp_path / "p.fastq"
    with_primer.write_text("".join(lines))
    shutil.copyfile(with_primer, tmp_path / "copy.fastq")
    reads = read_single(with_primer)
    original = read_single(miseq / "sam1F.fastq.gz")
    summary = QCSummary("p", paired=False, qualities=True)
    settings = FilterSettings(max_ee=float("inf"), trunc_q=-1)
    kept = filter_reads([reads], settings, summary, primers=(primer,))
    assert summary.no_primer == 0
    assert kept[0].sequence(0) == original.sequence(0)
    summary2 = QCSummary("o", paired=False, qualities=True)
    filter_reads([read_single(miseq / "sam1F.fastq.gz")], settings, summary2, primers=(primer,))
    assert summary2.no_primer == 1500
