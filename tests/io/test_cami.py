"""CAMI profiling format: the two real mOTUs 3.0.2 profiles (Zeller et al. 2014 stool samples)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gutlens.io import read_profile, read_profiles, sniff

# (file, species rows, genus rows, top 3 genera with PERCENTAGE as written, Archaea %)
CAMI_FILES = [
    (
        "ERR478958",
        161,
        74,
        [
            ("Clostridium", 18.479142960912874),
            ("Faecalibacterium", 11.040845616172337),
            ("Eubacterium", 8.673198200952433),
        ],
        0.06068252469658632,
    ),
    (
        "ERR479025",
        55,
        34,
        [
            ("Fusobacterium", 24.74509480232532),
            ("Bacteroides", 13.671617599618576),
            ("Ruminococcus", 11.03751384354981),
        ],
        0.5198164350498441,
    ),
]


@pytest.mark.parametrize(("sample", "n_species", "n_genera", "top", "archaea"), CAMI_FILES)
def test_motus_cami_profiles(
    inputs: Path,
    sample: str,
    n_species: int,
    n_genera: int,
    top: list[tuple[str, float]],
    archaea: float,
) -> None:
    path = inputs / f"cami_profile_motus/{sample}.profile"
    assert sniff(path).name == "cami"
    table = read_profiles(path)
    # "@SampleID: unnamed sample" -> the file name
    assert table.sample_ids == [sample]
    profile = table.profile()
    assert profile.source.tool == "mOTUs"
    assert profile.source.tool_version == "3.0.2"
    assert profile.source.database == "nr3.0.2"
    assert profile.metadata == {"cami_version": "0.9.3", "taxonomy_id": "Jan 08 2019"}
    assert profile.unclassified_fraction == 0.0  # no unassigned (-1) rows in these files
    assert not profile.has_counts
    assert len(profile.at_rank("species")) == n_species
    assert len(profile.at_rank("genus")) == n_genera
    genera = profile.at_rank("genus")
    assert list(genera.index[:3]) == [genus for genus, _ in top]
    # the two superkingdom rows add up to the classified total (100 % up to rounding)
    total = 100.0 - archaea
    for genus, percent in top:
        assert genera[genus] == pytest.approx(percent / 100.0, rel=1e-12)
    assert profile.at_rank("kingdom")["Archaea"] == pytest.approx(archaea / 100.0, rel=1e-12)
    assert profile.at_rank("kingdom")["Bacteria"] == pytest.approx(total / 100.0, rel=1e-12)
    # every rank of these files sums to 100 %
    for rank in ("phylum", "class", "order", "family", "genus", "species"):
        assert profile.at_rank(rank).sum() == pytest.approx(1.0, abs=1e-9)


def test_names_and_lineage_from_taxpathsn(inputs: Path) -> None:
    profile = read_profile(inputs / "cami_profile_motus/ERR478958.profile")
    taxa = profile.taxa.set_index("taxid")
    # 1673721 Intestinimonas massiliensis: its family is unnamed in TAXPATH ("||") but named
    # "Clostridiales fam. incertae sedis" in TAXPATHSN; the names are kept as written
    key = profile.taxa.index[profile.taxa["taxid"] == "1673721"][0]
    assert key.endswith(
        "|f__Clostridiales_fam._incertae_sedis|g__Intestinimonas|s__Intestinimonas_massiliensis"
    )
    assert taxa.loc["1673721", "relative_abundance"] == pytest.approx(
        0.10345983264713611 / 100, rel=1e-12
    )
    # phylum names are made canonical; the file's name is kept
    assert taxa.loc["1239", "name"] == "Bacillota"
    assert taxa.loc["1239", "original_name"] == "Firmicutes"


def _blocks(path: Path) -> str:
    """The file from its @SampleID line on (the # comment header dropped)."""
    text = path.read_text()
    return text[text.index("@SampleID") :]


def test_several_samples_in_one_file(inputs: Path, tmp_path: Path) -> None:
    # both real profiles as two blocks of one file, named, then left unnamed
    first = inputs / "cami_profile_motus/ERR478958.profile"
    second = inputs / "cami_profile_motus/ERR479025.profile"
    named = tmp_path / "both.profile"
    named.write_text(
        first.read_text().replace("@SampleID: unnamed sample", "@SampleID: ERR478958")
        + "\n"
        + _blocks(second).replace("@SampleID: unnamed sample", "@SampleID:ERR479025")
    )
    table = read_profiles(named)
    assert table.sample_ids == ["ERR478958", "ERR479025"]
    for sample, single in (("ERR478958", first), ("ERR479025", second)):
        a = table.profile(sample).taxa["relative_abundance"].sort_index()
        b = read_profile(single).taxa["relative_abundance"].sort_index()
        assert list(a.index) == list(b.index)
        np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=0, atol=1e-15)
    unnamed = tmp_path / "pair.profile"
    unnamed.write_text(first.read_text() + _blocks(second))
    assert read_profiles(unnamed).sample_ids == ["pair-1", "pair-2"]


def test_unassigned_rows_are_the_unclassified_share(inputs: Path, tmp_path: Path) -> None:
    # mOTUs names its unassigned fraction "unassigned" (taxid -1 in its own tables); the real
    # files have none, so rows of that shape are added: 20 % unassigned at every rank, the real
    # rows scaled to 80 %
    lines = (inputs / "cami_profile_motus/ERR479025.profile").read_text().splitlines()
    out = []
    ranks = ["superkingdom", "phylum", "class", "order", "family", "genus", "species"]
    for line in lines:
        fields = line.split("\t")
        if len(fields) == 5 and not line.startswith("@"):
            fields[4] = repr(float(fields[4]) * 0.8)
        out.append("\t".join(fields))
    for depth, rank in enumerate(ranks, start=1):
        out.append(
            f"-1\t{rank}\t{'|'.join(['-1'] * depth)}\t{'|'.join(['unassigned'] * depth)}\t20"
        )
    path = tmp_path / "ERR479025.profile"
    path.write_text("\n".join(out) + "\n")
    profile = read_profile(path)
    original = read_profile(inputs / "cami_profile_motus/ERR479025.profile")
    assert profile.unclassified_fraction == pytest.approx(0.2)
    # shares of the classified part are unchanged
    assert profile.at_rank("genus")["Fusobacterium"] == pytest.approx(
        original.at_rank("genus")["Fusobacterium"]
    )
    assert "unassigned" not in set(profile.taxa["name"])
