"""Kraken 2 reports: the three real C. Warden reports (Kraken 2.0.8-beta, MiniKraken 8 GB)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.io import read_profile, sniff
from tests.io._kreport_cache import read_cached

# (file, sample id, unclassified reads, root clade reads, species rows, genus rows,
#  top 3 genera with their clade reads) - all read off the files (rank codes G / S, U and R rows)
KRAKEN_FILES = [
    (
        "Ombre6_Kraken2.kreport",
        "Ombre6_Kraken2",
        21,
        27402,
        119,
        107,
        [("Bacteroides", 10318), ("Lachnospira", 1285), ("Ruminococcus", 1020)],
    ),
    (
        "thryve2_Kraken2.kreport",
        "thryve2_Kraken2",
        18,
        55225,
        145,
        127,
        [("Bacteroides", 29273), ("Faecalibacterium", 2600), ("Ruminococcus", 2150)],
    ),
    (
        "Psomagen2_Kraken2.kreport",
        "Psomagen2_Kraken2",
        6603655,
        8870139,
        5100,
        1480,
        [("Bacteroides", 4477883), ("Alistipes", 1053276), ("Faecalibacterium", 435138)],
    ),
]


@pytest.mark.parametrize(
    ("name", "sample", "unclassified", "root", "n_species", "n_genera", "top"), KRAKEN_FILES
)
def test_kraken2_reports(
    inputs: Path,
    name: str,
    sample: str,
    unclassified: int,
    root: int,
    n_species: int,
    n_genera: int,
    top: list[tuple[str, int]],
) -> None:
    path = inputs / "kraken2" / name
    assert sniff(path).name == "kraken2"
    table = read_cached(path)
    assert table.sample_ids == [sample]
    profile = table.profile()
    assert profile.source.tool == "Kraken 2"
    assert profile.source.tool_version is None
    assert profile.source.database is None
    assert profile.total_count == unclassified + root
    assert profile.unclassified_fraction == pytest.approx(unclassified / (unclassified + root))
    assert len(profile.at_rank("species")) == n_species
    assert len(profile.at_rank("genus")) == n_genera
    genera = profile.at_rank("genus")
    counts = profile.counts_at_rank("genus")
    assert list(genera.index[:3]) == [genus for genus, _ in top]
    for genus, reads in top:
        assert counts[genus] == reads
        assert genera[genus] == pytest.approx(reads / root)  # clade reads / root reads


def test_ombre6_details(inputs: Path) -> None:
    profile = read_cached(inputs / "kraken2/Ombre6_Kraken2.kreport").profile()
    # U row: 0.08 % / 21 reads of 27,423
    assert profile.unclassified_fraction == pytest.approx(21 / 27423)
    assert round(100 * profile.unclassified_fraction, 2) == 0.08
    # column 1 is a share of all reads: Bacteroides 37.63 % = 10318 / (27402 + 21)
    bacteroides = profile.at_rank("genus")["Bacteroides"]
    assert bacteroides * (1 - profile.unclassified_fraction) == pytest.approx(0.3763, abs=5e-5)
    taxa = profile.taxa.set_index("taxid")
    # a species under the intermediate F1 "unclassified Lachnospiraceae": no genus level
    assert taxa.loc["2109690", "count"] == 149
    assert str(profile.taxa.index[profile.taxa["taxid"] == "2109690"][0]) == "|".join(
        [
            "k__Bacteria",
            "p__Bacillota",
            "c__Clostridia",
            "o__Clostridiales",
            "f__Lachnospiraceae",
            "s__Lachnospiraceae_bacterium_Choco86",
        ]
    )
    # S1 -> strain, brackets of the NCBI name dropped in the display name
    assert taxa.loc["515620", "rank"] == "strain"
    assert taxa.loc["515620", "original_name"] == "Eubacterium eligens ATCC 27750"
    assert taxa.loc["515620", "count"] == 1285
    # intermediate ranks (R, R1 cellular organisms, D1 Terrabacteria group) are not listed
    assert "131567" not in taxa.index
    assert "1783272" not in taxa.index
    assert "1" not in taxa.index
    # domain level: Bacteria 27086 of 27402 root reads (the rest stopped at root)
    assert profile.at_rank("kingdom")["Bacteria"] == pytest.approx(27086 / 27402)


def test_psomagen2_kingdom_rank_is_skipped_but_taxa_below_keep_lineage(inputs: Path) -> None:
    profile = read_cached(inputs / "kraken2/Psomagen2_Kraken2.kreport").profile()
    # Homo sapiens (taxid 9606, 6509 reads) sits under K Metazoa, K1..K3 and many P/C codes
    row = profile.taxa[profile.taxa["taxid"] == "9606"]
    assert row["count"].item() == 6509
    assert row.index[0] == (
        "k__Eukaryota|p__Chordata|c__Mammalia|o__Primates|f__Hominidae|g__Homo|s__Homo_sapiens"
    )
    assert "33208" not in set(profile.taxa["taxid"])  # K Metazoa is an intermediate node
    kingdoms = profile.counts_at_rank("kingdom")
    assert kingdoms.to_dict() == {
        "Bacteria": 8852507,
        "Archaea": 6691,
        "Eukaryota": 6509,
        "Viruses": 814,
    }


def test_minimizer_report_reads_like_the_plain_report(inputs: Path, tmp_path: Path) -> None:
    # No real --report-minimizer-data file is in shared data. This one is the real Ombre6
    # report with the two minimizer columns inserted after column 3 (values are placeholders:
    # 10x and 5x the clade reads); the reader must ignore them and give the same profile.
    source = inputs / "kraken2/Ombre6_Kraken2.kreport"
    rows = []
    for line in source.read_text().splitlines():
        fields = line.split("\t")
        clade = int(fields[1])
        rows.append("\t".join([*fields[:3], str(10 * clade), str(5 * clade), *fields[3:]]))
    path = tmp_path / "Ombre6_Kraken2.kreport"
    path.write_text("\n".join(rows) + "\n")
    assert sniff(path).name == "kraken2"
    plain = read_cached(source).profile()
    wide = read_profile(path)
    assert wide.sample_id == plain.sample_id
    assert list(wide.taxa.index) == list(plain.taxa.index)
    assert wide.taxa["count"].tolist() == plain.taxa["count"].tolist()
    assert wide.unclassified_fraction == plain.unclassified_fraction
