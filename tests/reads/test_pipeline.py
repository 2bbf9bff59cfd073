"""FASTQ -> profile on real samples, compared with the vendor export and DADA2; the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import dnaio
import numpy as np
import pandas as pd
import pytest

from gutlens.cli._app import run
from gutlens.model import ProfileTable
from gutlens.reads import NaiveBayesClassifier, QCSummary, profile_reads
from gutlens.reads._reference import default_reference_path

pytestmark = pytest.mark.slow

#: Genera RDP 19 splits off that the vendor (older taxonomy) still lumps: Phocaeicola from
#: Bacteroides (Garcia-Lopez et al. 2019, doi:10.3389/fmicb.2019.02083, in the project's
#: renames table); Ruminococcoides vs the vendor's Ruminococcus as stated in the shared data's
#: rdp_trainset19 README (no citation verified here).
VENDOR_LUMPS = {"Phocaeicola": "Bacteroides", "Ruminococcoides": "Ruminococcus"}


def _shares(counts: pd.Series) -> pd.Series:
    lumped = counts.rename(index=lambda n: VENDOR_LUMPS.get(str(n), str(n)))
    grouped = lumped.groupby(level=0).sum()
    return grouped / grouped.sum()


def _bray_curtis(a: pd.Series, b: pd.Series) -> float:
    index = a.index.union(b.index)
    x, y = a.reindex(index, fill_value=0.0), b.reindex(index, fill_value=0.0)
    return float(np.abs(x - y).sum() / (x.sum() + y.sum()))


@pytest.fixture(scope="module")
def ombre_run(ombre: Path, rdp19: NaiveBayesClassifier) -> tuple:
    r1 = ombre / "Sample6-Ombre-GTV3A_S57_L001_R1_001.fastq.gz"
    r2 = ombre / "Sample6-Ombre-GTV3A_S57_L001_R2_001.fastq.gz"
    return profile_reads(r1, r2, classifier=rdp19)


def test_ombre_sample_qc(ombre_run: tuple) -> None:
    table, summary, asvs = ombre_run
    assert isinstance(table, ProfileTable)
    assert isinstance(summary, QCSummary)
    assert summary.reads_in == 27423  # DADA2 read_tracking.csv reads.in
    removed = summary.too_short + summary.too_many_n + summary.too_many_expected_errors
    assert summary.reads_filtered == summary.reads_in - removed
    assert summary.merged + summary.not_merged == summary.reads_filtered
    assert summary.merged / summary.reads_filtered > 0.95
    # reads end in an ASV, a chimera, or below min_size: nothing is lost silently
    assert summary.reads_in_asvs + summary.chimeric + summary.below_min_size == summary.merged
    profile = table.profile()
    assert profile.total_count == summary.reads_in_asvs == int(asvs.counts.sum())
    assert profile.source.tool == "gutlens reads"
    assert summary.classified_genus / summary.reads_in_asvs > 0.8
    assert not summary.flags


def test_ombre_genera_close_to_vendor_and_dada2(
    ombre_run: tuple, ombre: Path, inputs: Path
) -> None:
    """Bray-Curtis at genus vs the vendor's export. The bound is DADA2's own distance to the
    vendor (same reads, same RDP 19 reference: 0.281 measured) plus 0.02; ours measured 0.274.
    Against DADA2's genus composition ours is 0.034 (bound 0.06)."""
    table, _summary, _asvs = ombre_run
    ours = _shares(table.profile().counts_at_rank("genus"))
    vendor = pd.read_csv(ombre / "vendor_Sample6-Ombre-GTV3A_abundance_profile.csv")
    vendor_genus = _shares(vendor[vendor["rank"] == "genus"].groupby("name")["count"].sum())
    folder = inputs / "dada2/run_here_ombre_sample6"
    seqtab = pd.read_csv(folder / "seqtab.nochim.csv", index_col=0).iloc[0]
    taxa = pd.read_csv(folder / "taxa_rdp19.csv", index_col=0)
    dada2 = pd.Series(seqtab.to_numpy(), index=taxa.loc[seqtab.index, "Genus"].to_numpy())
    dada2_genus = _shares(dada2[dada2.index.notna()].groupby(level=0).sum())
    dada2_vs_vendor = _bray_curtis(dada2_genus, vendor_genus)
    assert 0.25 < dada2_vs_vendor < 0.30
    assert _bray_curtis(ours, vendor_genus) <= dada2_vs_vendor + 0.02
    assert _bray_curtis(ours, dada2_genus) < 0.06
    assert ours.index[ours.argmax()] == vendor_genus.index[vendor_genus.argmax()] == "Bacteroides"


def test_ombre_asvs_overlap_dada2(ombre_run: tuple, inputs: Path) -> None:
    """113 of DADA2's 158 ASVs are found exactly; they carry 96.7 % of DADA2's reads."""
    _table, _summary, asvs = ombre_run
    seqtab = pd.read_csv(inputs / "dada2/run_here_ombre_sample6/seqtab.nochim.csv", index_col=0)
    row = seqtab.iloc[0]
    shared = set(row.index) & set(asvs.sequences)
    assert len(shared) >= 110
    assert row[list(shared)].sum() / row.sum() > 0.95


def test_fasta_reads_skip_quality_steps(inputs: Path, rdp19: NaiveBayesClassifier) -> None:
    table, summary, _asvs = profile_reads(
        inputs / "fastq_16s/american_gut_fasta/ERS914975.fna", classifier=rdp19
    )
    assert not summary.qualities
    assert any(
        "quality truncation and expected-error filtering were skipped" in n for n in summary.notes
    )
    assert summary.reads_in == 2000
    assert summary.too_many_expected_errors == 0
    genus = table.profile().at_rank("genus")
    assert genus.index[0] in {"Phocaeicola", "Bacteroides"}


def test_wrong_orientation_is_flagged(
    inputs: Path, rdp19: NaiveBayesClassifier, tmp_path: Path
) -> None:
    """Reverse-complemented reads hardly classify: a QC flag, not a silent empty profile."""
    source = inputs / "fastq_16s/american_gut_fasta/ERS914975.fna"
    flipped = tmp_path / "flipped.fasta"
    table = str.maketrans("ACGTN", "TGCAN")
    with dnaio.open(source) as reader, flipped.open("w") as out:
        for rec in reader:
            out.write(f">{rec.name}\n{rec.sequence.translate(table)[::-1]}\n")
    _table, summary, _asvs = profile_reads(flipped, classifier=rdp19)
    assert summary.flags
    assert "classified" in summary.flags[0]
    # DADA2's tryRC idea recovers them: same top genus as the reads in their own orientation
    table, fixed, _asvs = profile_reads(flipped, classifier=rdp19, try_reverse=True)
    assert not fixed.flags
    assert any("reverse complement" in note for note in fixed.notes)
    assert table.profile().at_rank("genus").index[0] == "Phocaeicola"


def test_cli_writes_profile_and_qc(
    miseq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        [
            "reads",
            str(miseq / "sam1F.fastq.gz"),
            str(miseq / "sam1R.fastq.gz"),
            "--trunc-len",
            "240",
            "160",
            "-o",
            str(tmp_path),
        ]
    )
    assert status == 0
    assert "1,500 reads in" in capsys.readouterr().out
    qc = json.loads((tmp_path / "sam1F_qc.json").read_text())
    assert qc["reads_in"] == 1500
    assert qc["reads_filtered"] == 1021  # DADA2 filterAndTrim on the same file
    profile = json.loads((tmp_path / "sam1F_profile.json").read_text())["samples"][0]
    assert profile["tool"] == "gutlens reads"
    assert profile["total_count"] == qc["reads_out"]
    tsv = pd.read_csv(tmp_path / "sam1F_profile.tsv", sep="\t", index_col=0)
    assert tsv.loc["k__Bacteria", "count"] == qc["classified_kingdom"]
    asvs = pd.read_csv(tmp_path / "sam1F_asvs.tsv", sep="\t")
    assert asvs["count"].sum() == qc["reads_out"]


def test_cli_bad_pair_is_one_line_error(
    miseq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        ["reads", str(miseq / "sam1F.fastq.gz"), str(miseq / "sam2R.fastq.gz"), "-o", str(tmp_path)]
    )
    assert status == 1
    assert "differ" in capsys.readouterr().err


def test_shipped_reference_is_rdp19(inputs: Path) -> None:
    shipped = default_reference_path()
    source = inputs / "reference_db/rdp_trainset19/rdp_trainset19_dada2.fa.gz"
    assert shipped.read_bytes() == source.read_bytes()
    provenance = json.loads((shipped.parent / "PROVENANCE.json").read_text())
    assert provenance["files"][0]["name"] == shipped.name


def test_cli_directory_of_runs(
    miseq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files named the Illumina way are paired and profiled as one sample per pair."""
    runs = tmp_path / "runs"
    runs.mkdir()
    for sample in ("sam1", "sam2"):
        (runs / f"{sample}_S1_L001_R1_001.fastq.gz").symlink_to(miseq / f"{sample}F.fastq.gz")
        (runs / f"{sample}_S1_L001_R2_001.fastq.gz").symlink_to(miseq / f"{sample}R.fastq.gz")
    out = tmp_path / "out"
    assert run(["reads", str(runs), "--trunc-len", "240", "160", "-o", str(out)]) == 0
    combined = json.loads((out / "profiles.json").read_text())["samples"]
    assert [s["id"] for s in combined] == ["sam1", "sam2"]
    filtered = [
        json.loads((out / f"{s}_qc.json").read_text())["reads_filtered"] for s in ("sam1", "sam2")
    ]
    assert filtered == [1021, 1009]  # DADA2 filterAndTrim read_tracking.csv
    assert "sam2: 1,500 reads in" in capsys.readouterr().out


def test_cli_sample_sheet(miseq: Path, tmp_path: Path) -> None:
    """A sample sheet (nf-core spelling) names each sample's files; relative to the sheet."""
    sheet = tmp_path / "samples.csv"
    rows = ["sample,fastq_1,fastq_2"]
    rows += [
        f"mouse{i},{miseq / f'sam{i}F.fastq.gz'},{miseq / f'sam{i}R.fastq.gz'}" for i in (1, 2)
    ]
    sheet.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    assert run(["reads", str(sheet), "--trunc-len", "240", "160", "-o", str(out)]) == 0
    combined = json.loads((out / "profiles.json").read_text())["samples"]
    assert [s["id"] for s in combined] == ["mouse1", "mouse2"]
    filtered = [
        json.loads((out / f"{s}_qc.json").read_text())["reads_filtered"]
        for s in ("mouse1", "mouse2")
    ]
    assert filtered == [1021, 1009]  # the same reads as DADA2's filterAndTrim kept


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,reads\nx,a.fq\n", r"line 1: the header .* needs a sample column"),
        ("sample,r1\nx,missing.fastq.gz\n", r"line 2: no such reads file 'missing.fastq.gz'"),
        ("", r"the sample sheet is empty"),
    ],
)
def test_bad_sample_sheets(tmp_path: Path, text: str, message: str) -> None:
    from gutlens.errors import ReadsInputError
    from gutlens.reads import read_sample_sheet

    sheet = tmp_path / "s.csv"
    sheet.write_text(text)
    with pytest.raises(ReadsInputError, match=message):
        read_sample_sheet(sheet)


def test_duplicate_sample_in_sheet(miseq: Path, tmp_path: Path) -> None:
    from gutlens.errors import ReadsInputError
    from gutlens.reads import read_sample_sheet

    sheet = tmp_path / "s.tsv"
    r1 = miseq / "sam1F.fastq.gz"
    sheet.write_text(f"sample\tr1\nA\t{r1}\nA\t{r1}\n")
    with pytest.raises(
        ReadsInputError, match=r"line 3: sample 'A' appears twice \(first on line 2\)"
    ):
        read_sample_sheet(sheet)


def test_phix_reads_are_removed_and_counted(miseq: Path, tmp_path: Path) -> None:
    """Reads of a spiked-in genome go (DADA2 rm.phix rule); the real 16S reads are untouched.

    No PhiX genome ships with the shared data, so the spike-in is a seeded random 5,386-base
    genome (PhiX's length) with 200 reads cut from it, mixed into the real sam1 reads.
    """
    import dnaio
    import numpy as np

    from gutlens.reads import profile_reads

    rng = np.random.default_rng(1)
    genome = "".join(rng.choice(list("ACGT"), 5386))
    reference = tmp_path / "phix.fa"
    reference.write_text(f">synthetic\n{genome}\n")
    mixed = tmp_path / "mixed.fastq"
    with dnaio.open(mixed, mode="w") as out:
        with dnaio.open(miseq / "sam1F.fastq.gz") as reads:
            for record in reads:
                out.write(record)
        for i in range(200):
            start = int(rng.integers(0, len(genome) - 240))
            out.write(dnaio.SequenceRecord(f"phix{i}", genome[start : start + 240], "I" * 240))
    _, clean, _ = profile_reads(miseq / "sam1F.fastq.gz")
    _, spiked, _ = profile_reads(mixed, phix=reference)
    assert spiked.reads_in == clean.reads_in + 200
    assert spiked.contaminant == 200
    assert spiked.reads_filtered == clean.reads_filtered
    assert spiked.settings["phix"] == "phix.fa"
