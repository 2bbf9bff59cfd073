"""MetaPhlAn 2/3/4 readers on the real bioBakery and CRC-study files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gutlens.errors import ProfileFormatError
from gutlens.io import read_profile, read_profiles, sniff


def test_metaphlan2_single_profile(inputs: Path) -> None:
    path = inputs / "metaphlan2/SRS014459-Stool_profile.txt"
    assert sniff(path).name == "metaphlan"
    profile = read_profile(path)
    assert profile.sample_id == "SRS014459-Stool_profile"
    assert profile.source.tool == "MetaPhlAn"
    assert profile.source.tool_version == "2"
    assert profile.unclassified_fraction == 0.0
    species = profile.at_rank("species")
    genera = profile.at_rank("genus")
    assert len(species) == 9
    assert len(genera) == 5
    # the file: g__Bacteroides 31.34317 %; canonical phylum names applied
    assert genera["Bacteroides"] == pytest.approx(0.3134317)
    assert profile.at_rank("phylum")["Bacillota"] == pytest.approx(0.6491753)
    assert "Firmicutes" in set(profile.taxa["original_name"])
    assert not profile.has_counts


def test_metaphlan3_profile_header(inputs: Path) -> None:
    profile = read_profile(inputs / "metaphlan3/SRS014459-Stool_profile.txt")
    assert profile.source.tool_version == "3"
    assert profile.source.database == "mpa_v30_CHOCOPhlAn_201901"
    assert profile.taxa.loc["k__Bacteria|p__Bacillota", "taxid"] == "1239"
    assert profile.at_rank("phylum")["Bacillota"] == pytest.approx(0.6837997)


def test_metaphlan4_crc_sample(inputs: Path) -> None:
    profile = read_profile(
        inputs / "metaphlan4/5-MDCOL055-Stool-1A-Baseline-BSB-2-4-1-2.output.txt"
    )
    assert profile.source.tool_version == "4"
    assert profile.source.database == "mpa_vOct22_CHOCOPhlAnSGB_202403"
    genera = profile.at_rank("genus")
    assert list(genera.index[:3]) == ["Bacteroides", "Phocaeicola", "Blautia"]
    assert genera["Bacteroides"] == pytest.approx(0.307578, abs=1e-6)
    assert len(profile.at_rank("species")) == 88
    assert len(genera) == 67
    assert (profile.taxa["rank"] == "strain").sum() > 0  # t__SGB levels kept


@pytest.mark.parametrize(
    ("merged", "single", "column"),
    [
        (
            "metaphlan2/hmp6_merged_abundance_table.txt",
            "metaphlan2/SRS014459-Stool_profile.txt",
            "SRS014459-Stool_profile",
        ),
        (
            "metaphlan3/hmp6_merged_abundance_table.txt",
            "metaphlan3/SRS014459-Stool_profile.txt",
            "SRS014459-Stool_profile",
        ),
        (
            "metaphlan4/toydb_hmp6_merged_abundance_table.txt",
            "metaphlan4/toydb_SRS011061-Stool_profile.txt",
            "SRS011061-Stool",
        ),
    ],
)
def test_merged_table_equals_single_profiles(
    inputs: Path, merged: str, single: str, column: str
) -> None:
    table = read_profiles(inputs / merged)
    assert len(table) == 6
    from_merged = table.profile(column)
    from_single = read_profile(inputs / single)
    a = from_merged.taxa["relative_abundance"].sort_index()
    b = from_single.taxa["relative_abundance"].sort_index()
    assert list(a.index) == list(b.index)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=0, atol=1e-9)


HEADER = (
    "#mpa_v30_CHOCOPhlAn_201901\n#SampleID\tMetaphlan_Analysis\n"
    "#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species\n"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("k__Bacteria\t2\tabc\t\n", r"line 4: expected a number for the abundance, found 'abc'"),
        ("k__Bacteria\t2\t-5\t\n", r"line 4: abundance must not be negative"),
        (
            "k__Bacteria\t2\t100\t\nk__Bacteria\t2\t100\t\n",
            r"line 5: clade 'k__Bacteria' appears twice \(first on line 4\)",
        ),
        ("k__Bacteria\t2\t60.0\t\n", r"sum to 60.00 %, expected 100 %"),
        ("k__Bacteria\t2\n", r"line 4: expected 3 tab-separated columns"),
        (
            "k__Bacteria\t2\t100\t\nx__Weird\t2\t1\t\n",
            r"line 5: cannot parse clade name 'x__Weird'",
        ),
    ],
)
def test_bad_metaphlan_rows(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(HEADER + body)
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path, format="metaphlan")
    assert str(path) in str(info.value)


def test_metaphlan3_unknown_estimation(data_dir: Path) -> None:
    # the GMWI2 authors' example: MetaPhlAn 3.0.13 with --unknown_estimation (UNKNOWN 70.84224 %)
    profile = read_profile(data_dir / "knowledge/gmwi2/example_SRR1761667_metaphlan3.tsv")
    assert profile.unclassified_fraction == pytest.approx(0.7084224)
    # k__Bacteria 29.0318949 % of the sample = 29.0318949 / (100 - 70.84224) of the classified part
    assert profile.at_rank("kingdom")["Bacteria"] == pytest.approx(29.031894900524044 / 29.15776)
