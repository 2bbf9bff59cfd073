"""Bracken: the five real re-estimated reports, the species table, and the known answer that a
Kraken 2 report and its Bracken re-estimate agree on the leading genera."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from gutlens.io import read_profile, read_profiles, sniff
from tests.io._kreport_cache import read_cached

# (file, sample id, root clade reads, species rows, genus rows, top 3 genera with clade reads),
# read off the files (R row, rank codes S and G)
BRACKEN_FILES = [
    (
        "Ombre6_Kraken2_bracken.kreport",
        "Ombre6_Kraken2_bracken",
        26965,
        119,
        86,
        [("Bacteroides", 10751), ("Lachnospira", 2477), ("Faecalibacterium", 2309)],
    ),
    (
        "thryve2_Kraken2_bracken.kreport",
        "thryve2_Kraken2_bracken",
        54847,
        145,
        101,
        [("Bacteroides", 30036), ("Faecalibacterium", 4994), ("Ruminococcus", 3124)],
    ),
    (
        "Psomagen2_Kraken2_bracken.kreport",
        "Psomagen2_Kraken2_bracken",
        8869760,
        5100,
        1459,
        [("Bacteroides", 5033083), ("Alistipes", 1189055), ("Faecalibacterium", 487220)],
    ),
    (
        "14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.bracken.report.txt",
        "14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4",
        3325945,
        698,
        253,
        [("Enterocloster", 1553780), ("Klebsiella", 643537), ("Fusobacterium", 222979)],
    ),
    (
        "5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2.bracken.report.txt",
        "5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2",
        2353717,
        466,
        212,
        [("Bacteroides", 1210087), ("Phocaeicola", 667206), ("Blautia", 122169)],
    ),
]


@pytest.mark.parametrize(("name", "sample", "root", "n_species", "n_genera", "top"), BRACKEN_FILES)
def test_bracken_reports(
    inputs: Path,
    name: str,
    sample: str,
    root: int,
    n_species: int,
    n_genera: int,
    top: list[tuple[str, int]],
) -> None:
    path = inputs / "bracken" / name
    assert sniff(path).name == "bracken"
    table = read_cached(path)
    assert table.sample_ids == [sample]
    profile = table.profile()
    assert profile.source.tool == "Bracken"
    # Bracken drops Kraken's U row: the unclassified share is not stated
    assert profile.unclassified_fraction == 0.0
    assert profile.total_count == root
    assert len(profile.at_rank("species")) == n_species
    assert len(profile.at_rank("genus")) == n_genera
    genera = profile.at_rank("genus")
    counts = profile.counts_at_rank("genus")
    assert list(genera.index[:3]) == [genus for genus, _ in top]
    for genus, reads in top:
        assert counts[genus] == reads
        assert genera[genus] == pytest.approx(reads / root)
    # Bracken keeps nothing below its estimation level (species)
    assert not (profile.taxa["rank"] == "strain").any()


@pytest.mark.parametrize(
    ("name", "format_name", "tool"),
    [
        ("kraken2/Ombre6_Kraken2.kreport", "bracken", "Bracken"),
        ("bracken/Ombre6_Kraken2_bracken.kreport", "kraken2", "Kraken 2"),
    ],
)
def test_either_format_name_reads_either_report(
    inputs: Path, name: str, format_name: str, tool: str
) -> None:
    forced = read_profile(inputs / name, format=format_name)
    sniffed = read_cached(inputs / name).profile()
    assert forced.source.tool == tool
    assert list(forced.taxa.index) == list(sniffed.taxa.index)
    assert forced.taxa["count"].tolist() == sniffed.taxa["count"].tolist()
    assert forced.unclassified_fraction == sniffed.unclassified_fraction


def test_sniffer_ignores_the_file_name(inputs: Path, tmp_path: Path) -> None:
    # the rule is the content (U row / direct reads on inner taxa), not "bracken" in the name
    as_plain = tmp_path / "sample.kreport"
    shutil.copy(inputs / "bracken/Ombre6_Kraken2_bracken.kreport", as_plain)
    assert sniff(as_plain).name == "bracken"
    misnamed = tmp_path / "sample_bracken.kreport"
    shutil.copy(inputs / "kraken2/Ombre6_Kraken2.kreport", misnamed)
    assert sniff(misnamed).name == "kraken2"


PAIRS = ["Ombre6", "thryve2", "Psomagen2"]


@pytest.mark.parametrize("sample", PAIRS)
def test_kraken_and_bracken_agree_on_leading_genera(inputs: Path, sample: str) -> None:
    """Known answer: Bracken re-distributes reads Kraken left at higher ranks, so abundances
    change but the leading genera do not. Measured on these files: the top 2 genera are the same
    in all three pairs, the top 3 in thryve2 and Psomagen2 (in Ombre6 Faecalibacterium rises from
    5th to 3rd, taking most of the Clostridiales reads Kraken left unassigned), and the
    Spearman correlation of Kraken's top 10 genera with their Bracken abundances is
    0.758 (Ombre6), 0.976 (thryve2) and 1.0 (Psomagen2)."""
    kraken = read_cached(inputs / f"kraken2/{sample}_Kraken2.kreport").profile().at_rank("genus")
    bracken = (
        read_cached(inputs / f"bracken/{sample}_Kraken2_bracken.kreport").profile().at_rank("genus")
    )
    assert list(kraken.index[:2]) == list(bracken.index[:2])
    if sample != "Ombre6":
        assert list(kraken.index[:3]) == list(bracken.index[:3])
    else:
        assert set(bracken.index[:3]) <= set(kraken.index[:5])
    top10 = list(kraken.index[:10])
    rho = spearmanr(kraken[top10], bracken.reindex(top10).fillna(0.0)).statistic
    expected = {"Ombre6": 0.758, "thryve2": 0.976, "Psomagen2": 1.0}[sample]
    assert rho == pytest.approx(expected, abs=1e-3)


def _species_table_from_reports(kraken: Path, bracken: Path, out: Path) -> dict[str, int]:
    """Write the 7-column Bracken table (``bracken -o``) that belongs to a real Bracken report.

    No real ``-o`` table is in shared data (bracken/README.md), so it is derived from the real
    pair the way ``est_abundance.py`` fills it: for each S row of the Bracken report,
    ``name`` and ``taxonomy_id`` as written, ``taxonomy_lvl`` S, ``kraken_assigned_reads`` =
    that taxid's clade reads in the Kraken report, ``new_est_reads`` = its clade reads in the
    Bracken report, ``added_reads`` = the difference, ``fraction_total_reads`` = new reads over
    the Bracken root's reads, printed ``%0.5f``. Returns ``{taxid: new_est_reads}``.
    """
    kraken_reads = {
        fields[4]: int(fields[1])
        for fields in (ln.split("\t") for ln in kraken.read_text().splitlines())
    }
    rows = [ln.split("\t") for ln in bracken.read_text().splitlines()]
    root = next(int(f[1]) for f in rows if f[3] == "R")
    lines = [
        "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads"
        "\tnew_est_reads\tfraction_total_reads"
    ]
    new_reads: dict[str, int] = {}
    for fields in rows:
        if fields[3] != "S":
            continue
        taxid, new = fields[4], int(fields[1])
        assigned = kraken_reads[taxid]
        assert new >= assigned  # Bracken only adds reads to the species Kraken found
        new_reads[taxid] = new
        lines.append(
            f"{fields[5].strip()}\t{taxid}\tS\t{assigned}\t{new - assigned}\t{new}"
            f"\t{new / root:0.5f}"
        )
    out.write_text("\n".join(lines) + "\n")
    return new_reads


@pytest.mark.parametrize("sample", ["Ombre6", "thryve2"])
def test_species_table_matches_the_bracken_report(
    inputs: Path, tmp_path: Path, sample: str
) -> None:
    report_path = inputs / f"bracken/{sample}_Kraken2_bracken.kreport"
    path = tmp_path / f"{sample}.bracken"
    new_reads = _species_table_from_reports(
        inputs / f"kraken2/{sample}_Kraken2.kreport", report_path, path
    )
    assert sniff(path).name == "bracken"
    table = read_profiles(path)
    assert table.sample_ids == [sample]
    profile = table.profile()
    report = read_cached(report_path).profile()
    # species only: each lineage is one level
    assert set(profile.taxa["rank"]) == {"species"}
    assert all("|" not in key for key in profile.taxa.index)
    assert len(profile.taxa) == len(new_reads) == len(report.at_rank("species"))
    # counts are the report's species counts, taxid by taxid
    by_taxid = profile.taxa.set_index("taxid")["count"]
    report_species = report.taxa[report.taxa["rank"] == "species"].set_index("taxid")["count"]
    assert by_taxid.to_dict() == {t: float(n) for t, n in new_reads.items()}
    assert by_taxid.sort_index().tolist() == report_species.sort_index().tolist()
    # abundances: the table divides by the sum of its species, the report by its root, which
    # Bracken truncates separately (root >= sum, by less than one read per species)
    total = sum(new_reads.values())
    root = report.total_count
    assert root is not None
    assert total <= root < total + len(new_reads)
    mine = profile.at_rank("species")
    theirs = report.at_rank("species").reindex(mine.index)
    np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy() * root / total, rtol=1e-12)
