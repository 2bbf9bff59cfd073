"""BIOM readers on the real American Gut, PGP and CRC tables.

Expected values are computed here from the raw tables with biom-format (``biom.load_table``),
independently of gutlens: genus sums over the observations' own taxonomy metadata (or ids),
divided by the sample's classified total.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import biom
import h5py
import numpy as np
import pytest

from gutlens.errors import ProfileFormatError
from gutlens.io import read_many, read_profiles, sniff
from gutlens.io.formats._leaves import value_kind
from gutlens.model import ProfileTable

AG = "biom/json_v1/AG_100nt.biom.gz"
AG_WGS = "biom/json_v1/AmericanGutMetaphlanWGS.biom"
PGP = "biom/hdf5/PGP_100nt_even1k.biom"
CRC_BIOM = "biom/hdf5/crc_table_from_qza_feature-table.biom"
CRC_TAXONOMY = "qiime2/crc_baxter_zackular_zeller/taxonomy.qza"
EMPTY = {"", "unassigned", "uncultured", "unknown", "na"}


def _levels(taxonomy: Any) -> dict[str, str]:
    """{rank code: name} from a raw taxonomy list or ';'-string (empty levels skipped)."""
    parts = taxonomy.split(";") if isinstance(taxonomy, str) else list(taxonomy)
    levels = {}
    for part in parts:
        code, _, name = part.strip().partition("__")
        if name and name.lower() not in EMPTY:
            levels[code] = name
    return levels


def _raw_genera(table: Any, sample: str, taxonomy: dict[str, str] | None = None) -> dict:
    """Genus name -> share of the classified total, straight from the biom.Table."""
    column = table.data(sample, axis="sample", dense=True)
    ids = table.ids(axis="observation")
    sums: dict[str, float] = defaultdict(float)
    classified = 0.0
    for i, value in enumerate(column):
        if value == 0:
            continue
        if taxonomy is not None:
            raw = taxonomy[ids[i]]
        else:
            meta = table.metadata(ids[i], axis="observation")
            raw = meta["taxonomy"] if meta else ids[i]
        levels = _levels(raw)
        if not levels:
            continue
        classified += value
        genus = levels.get("g") or (levels["s"].split("_")[0] if "s" in levels else None)
        if genus:
            sums[genus.replace("_", " ").replace("[", "").replace("]", "")] += value
    return {g: v / classified for g, v in sorted(sums.items(), key=lambda kv: -kv[1])}


@pytest.fixture(scope="session")
def ag(inputs: Path) -> ProfileTable:
    return read_profiles(inputs / AG)


@pytest.fixture(scope="session")
def ag_raw(inputs: Path) -> Any:
    return biom.load_table(str(inputs / AG))


def test_ag_json_otu_table(inputs: Path, ag: ProfileTable, ag_raw: Any) -> None:
    assert sniff(inputs / AG).name == "biom"
    assert len(ag) == 202 == ag_raw.shape[1]
    assert ag_raw.shape[0] == 23_884
    source = ag.profile(ag.sample_ids[0]).source
    assert (source.format, source.tool, source.tool_version) == ("biom", "AG debug", None)
    sample = "000007112.1075685"
    profile = ag.profile(sample)
    # read counts: the raw column sum; every OTU carries k__Bacteria, so nothing unclassified
    assert profile.total_count == ag_raw.data(sample, axis="sample").sum() == 72_964
    assert profile.unclassified_fraction == 0.0
    raw = _raw_genera(ag_raw, sample)
    genera = profile.at_rank("genus")
    assert (
        list(genera.index[:3])
        == list(raw)[:3]
        == [
            "Staphylococcus",
            "Corynebacterium",
            "Streptococcus",
        ]
    )
    for name in list(raw)[:5]:
        assert genera[name] == pytest.approx(raw[name], rel=1e-12)
    assert genera["Staphylococcus"] == pytest.approx(13249 / 72964)
    assert profile.counts_at_rank("genus")["Staphylococcus"] == 13249


def test_ag_taxa_counts_per_rank(ag: ProfileTable, ag_raw: Any) -> None:
    # distinct lineages ending at genus / species among the OTUs' Greengenes strings
    genus_lineages, species_lineages = set(), set()
    for meta in ag_raw.metadata(axis="observation"):
        parts = [p.strip() for p in meta["taxonomy"]]
        levels = [p for p in parts if p.partition("__")[2]]
        if any(p.startswith("g__") for p in levels):
            genus_lineages.add(tuple(p for p in levels if not p.startswith("s__")))
        if any(p.startswith("s__") for p in levels):
            species_lineages.add(tuple(levels))
    ranks = ag.taxa["rank"].value_counts()
    assert ranks["genus"] == len(genus_lineages)
    assert ranks["species"] == len(species_lineages)


def test_metaphlan_taxon_table_in_biom(inputs: Path, data_dir: Path) -> None:
    path = inputs / AG_WGS
    raw = biom.load_table(str(path))
    table = read_profiles(path)
    assert len(table) == 4
    assert (table.taxa["rank"] == "species").sum() == 156 == raw.shape[0]
    assert value_kind(raw.matrix_data) == "percent"  # samples sum to 99.96-100.00
    profile = table.profile("AG-10538")
    assert profile.source.tool == "BIOM-Format" and profile.source.tool_version == "1.3.1"
    assert not profile.has_counts and profile.total_count is None
    expected = _raw_genera(raw, "AG-10538")
    genera = profile.at_rank("genus")
    assert list(genera.index[:3]) == list(expected)[:3]
    assert genera["Eubacterium"] == pytest.approx(expected["Eubacterium"], rel=1e-12)
    # the file's own figure: s__Akkermansia_muciniphila 9.15618 % of a 99.99344 % total
    akk = profile.at_rank("species")["Akkermansia muciniphila"]
    assert akk == pytest.approx(9.15618 / 99.99344, rel=1e-9)


def test_pgp_hdf5_rarefied(inputs: Path, data_dir: Path) -> None:
    path = inputs / PGP
    raw = biom.load_table(str(path))
    table = read_profiles(path)
    assert len(table) == 434 and raw.shape == (4390, 434)
    assert set(table.samples["total_count"]) == {1000.0}  # rarefied to 1,000 reads
    profile = table.profile("Willowbe.Stool")
    assert (profile.source.tool, profile.source.tool_version) == ("QIIME", "1.8.0-dev")
    expected = _raw_genera(raw, "Willowbe.Stool")
    genera = profile.at_rank("genus")
    assert list(genera.index[:3]) == list(expected)[:3]
    for name in list(expected)[:3]:
        assert genera[name] == pytest.approx(expected[name], rel=1e-12)


def test_json_and_hdf5_give_the_same_table(
    tmp_path: Path, inputs: Path, ag: ProfileTable, ag_raw: Any
) -> None:
    h5_path = tmp_path / "AG_100nt.biom"
    with h5py.File(h5_path, "w") as handle:
        ag_raw.to_hdf5(handle, "gutlens test")
    from_hdf5 = read_profiles(h5_path)
    assert list(from_hdf5.taxa.index) == list(ag.taxa.index)
    assert from_hdf5.sample_ids == ag.sample_ids
    assert ag.counts is not None and from_hdf5.counts is not None
    assert (from_hdf5.counts != ag.counts).nnz == 0
    assert (from_hdf5.abundance != ag.abundance).nnz == 0
    columns = ["unclassified_fraction", "total_count"]
    assert from_hdf5.samples[columns].equals(ag.samples[columns])


def test_to_biom_from_biom_round_trip(ag: ProfileTable) -> None:
    back = ProfileTable.from_biom(ag.to_biom())
    assert list(back.taxa.index) == list(ag.taxa.index)
    assert ag.counts is not None and back.counts is not None
    assert abs(back.counts - ag.counts).max() == 0
    assert abs(back.abundance - ag.abundance).max() < 1e-12


def test_round_trip_keeps_unclassified_share(inputs: Path) -> None:
    table = read_profiles(inputs / CRC_BIOM, taxonomy=inputs / CRC_TAXONOMY)
    assert table.samples["unclassified_fraction"].max() > 0
    back = ProfileTable.from_biom(table.to_biom())
    np.testing.assert_allclose(
        back.samples["unclassified_fraction"], table.samples["unclassified_fraction"], atol=1e-12
    )
    assert list(back.samples["total_count"]) == list(table.samples["total_count"])


def test_crc_biom_needs_its_taxonomy(inputs: Path) -> None:
    with pytest.raises(ProfileFormatError, match=r"the table has no taxonomy: its 13,813 feature"):
        read_profiles(inputs / CRC_BIOM)
    table = read_many([inputs / CRC_BIOM, inputs / CRC_TAXONOMY])
    assert len(table) == 763


def test_sample_metadata_from_the_biom_file(tmp_path: Path, inputs: Path) -> None:
    raw = biom.load_table(str(inputs / PGP))
    mapping = (inputs / "biom/hdf5/PGP_100nt_even1k_mapping.txt").read_text().splitlines()
    header = mapping[0].lstrip("#").split("\t")
    site = header.index("body_site")
    sites = {row.split("\t")[0]: row.split("\t")[site] for row in mapping[1:]}
    raw.add_metadata({s: {"body_site": sites[s]} for s in raw.ids()}, axis="sample")
    path = tmp_path / "pgp_with_sites.biom"
    with h5py.File(path, "w") as handle:
        raw.to_hdf5(handle, "gutlens test")
    table = read_profiles(path)
    assert table.profile("Willowbe.Stool").metadata["body_site"] == "UBERON:feces"
    assert table.profile("Sandale.Forehead").metadata["body_site"] == "UBERON:skin of head"


def _write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document))
    return path


def _tiny(**change: Any) -> dict:
    document = {
        "id": None,
        "format": "Biological Observation Matrix 1.0.0",
        "format_url": "http://biom-format.org",
        "type": "OTU table",
        "generated_by": "hand",
        "matrix_type": "sparse",
        "matrix_element_type": "int",
        "shape": [2, 2],
        "rows": [
            {"id": "o1", "metadata": {"taxonomy": ["k__Bacteria", "g__Blautia"]}},
            {"id": "o2", "metadata": {"taxonomy": "Unassigned"}},
        ],
        "columns": [{"id": "S1", "metadata": None}, {"id": "S2", "metadata": None}],
        "data": [[0, 0, 5], [1, 0, 5], [0, 1, 3]],
    }
    document.update(change)
    return document


def test_unassigned_observations_are_the_unclassified_share(tmp_path: Path) -> None:
    table = read_profiles(_write_json(tmp_path / "t.biom", _tiny()))
    assert table.profile("S1").unclassified_fraction == 0.5
    assert table.profile("S1").at_rank("genus")["Blautia"] == 1.0
    assert table.profile("S2").unclassified_fraction == 0.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shape": [3, 2]}, r"shape \[3, 2\] does not match 2 rows x 2 columns"),
        ({"data": [[0, 0, -5]]}, r"negative .* feature 'o1' in sample 'S1'"),
        ({"data": [[0, 7, 1]]}, r"data entry \[0.0, 7.0, 1.0\] points outside the 2 x 2 table"),
        ({"data": [[0, 0, "x"]]}, r"'data' holds something that is not a number"),
        ({"data": [[0, 0]]}, r"must list \[row, column, value\] triples"),
    ],
)
def test_bad_biom_json(tmp_path: Path, change: dict, message: str) -> None:
    path = _write_json(tmp_path / "bad.biom", _tiny(**change))
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path)
    assert str(path) in str(info.value)


def test_truncated_gzip_json(tmp_path: Path, inputs: Path) -> None:
    data = (inputs / AG).read_bytes()
    path = tmp_path / "cut.biom.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProfileFormatError, match="gzip file is truncated or corrupt"):
        read_profiles(path)


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.biom"
    text = json.dumps(_tiny(), indent=1)
    path.write_text(text[: len(text) - 40])
    with pytest.raises(ProfileFormatError, match=r"line \d+: not valid BIOM JSON"):
        read_profiles(path, format="biom")


def test_truncated_hdf5(tmp_path: Path, inputs: Path) -> None:
    data = (inputs / PGP).read_bytes()
    path = tmp_path / "cut.biom"
    path.write_bytes(data[: len(data) // 2])
    assert sniff(path).name == "biom"
    with pytest.raises(ProfileFormatError, match="HDF5 file is truncated or corrupt"):
        read_profiles(path)


def test_clade_table_in_biom_is_not_summed_twice(tmp_path: Path, inputs: Path) -> None:
    # a MetaPhlAn merged table stored as BIOM keeps one row per clade (k__, k__|p__, ...):
    # the reader must take the rows as clades, as the MetaPhlAn reader does
    merged = read_profiles(inputs / "metaphlan2/hmp6_merged_abundance_table.txt")
    lines = (inputs / "metaphlan2/hmp6_merged_abundance_table.txt").read_text().splitlines()
    rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("#")]
    header, body = rows[0], rows[1:]
    matrix = np.array([[float(v) for v in r[1:]] for r in body])
    table = biom.Table(matrix, [r[0] for r in body], header[1:], type="Taxon table")
    path = tmp_path / "metaphlan_as_biom.json"
    path.write_text(table.to_json("gutlens test"))
    from_biom = read_profiles(path)
    assert list(from_biom.taxa.index) == list(merged.taxa.index)
    assert abs(from_biom.abundance - merged.abundance).max() < 1e-12


def test_to_biom_file_reads_back(tmp_path: Path, inputs: Path) -> None:
    table = read_profiles(inputs / CRC_BIOM, taxonomy=inputs / CRC_TAXONOMY)
    path = tmp_path / "crc_from_gutlens.biom"
    with h5py.File(path, "w") as handle:
        table.to_biom().to_hdf5(handle, "gutlens test")
    again = read_profiles(path)
    assert list(again.taxa.index) == list(table.taxa.index)
    assert table.counts is not None and again.counts is not None
    assert abs(again.counts - table.counts).max() == 0
    np.testing.assert_allclose(
        again.samples["unclassified_fraction"], table.samples["unclassified_fraction"]
    )
