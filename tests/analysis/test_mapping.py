"""Cross-platform mapping onto the MetaPhlAn2 reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.analysis.mapping import is_cross_platform, map_rank
from gutlens.io import list_formats, read_profile
from gutlens.reference import ReferencePopulation

CRC = [
    "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt",
    "metaphlan4/5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2.output.txt",
]


def test_metaphlan2_profile_maps_fully(inputs: Path, reference: ReferencePopulation) -> None:
    profile = read_profile(inputs / "metaphlan2/SRS014459-Stool_profile.txt")
    cross, note = is_cross_platform(profile, reference)
    assert not cross and note is None
    mapped = map_rank(profile, reference, "species")
    assert mapped.unmapped_fraction == 0.0
    assert mapped.n_mapped == int((profile.taxa["rank"] == "species").sum())
    assert mapped.composition.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("name", CRC)
def test_metaphlan4_crc_profiles_are_cross_platform(
    inputs: Path, reference: ReferencePopulation, name: str
) -> None:
    profile = read_profile(inputs / name)
    cross, note = is_cross_platform(profile, reference)
    assert cross and "MetaPhlAn 4" in (note or "")
    species = map_rank(profile, reference, "species")
    genus = map_rank(profile, reference, "genus")
    # SGB-era names (GGB..., genera created after 2016) are absent from the 2016 database
    assert 0.0 < species.unmapped_fraction < 1.0
    assert 0.0 < genus.unmapped_fraction < 1.0
    assert any(name.startswith("GGB") for name in species.unmapped.index)
    total = species.values.sum() + species.unmapped.sum()
    assert species.unmapped_fraction == pytest.approx(species.unmapped.sum() / total)


def test_first_crc_sample_unmapped_share(inputs: Path, reference: ReferencePopulation) -> None:
    profile = read_profile(inputs / CRC[0])
    species = map_rank(profile, reference, "species")
    # Enterocloster clostridioformis (33%) is the canonical name of MetaPhlAn2's
    # Clostridium clostridioforme, so the dominant species maps
    assert "Enterocloster clostridioformis" in species.names
    assert species.unmapped_fraction == pytest.approx(0.2846, abs=1e-3)
    # ... but its genus, split from Clostridium after 2016, does not: renames are per level
    genus = map_rank(profile, reference, "genus")
    assert "Enterocloster" in genus.unmapped.index


def _kraken_available() -> bool:
    return bool({"kraken2", "bracken"} & {fmt.name for fmt in list_formats()})


@pytest.mark.parametrize(
    "name", ["bracken/Psomagen2_Kraken2_bracken.kreport", "kraken2/Psomagen2_Kraken2.kreport"]
)
def test_kraken_reports_map_by_canonical_name(
    inputs: Path, reference: ReferencePopulation, name: str
) -> None:
    if not _kraken_available():
        pytest.skip("the Kraken 2 / Bracken readers are not in this branch yet")
    from gutlens.analysis import analyze

    profile = read_profile(inputs / name)
    cross, _ = is_cross_platform(profile, reference)
    assert cross
    genus = map_rank(profile, reference, "genus")
    assert genus.n_mapped > 0
    assert 0.0 <= genus.unmapped_fraction < 1.0
    result = analyze(profile)
    assert result.reference.cross_platform
    if profile.has_counts:  # Kraken reports carry read counts: Chao1 is defined
        assert result.alpha.chao1 is not None and result.alpha.depth is not None
