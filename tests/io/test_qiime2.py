"""QIIME 2 artifact readers on the real CRC (SILVA 138) and Moving Pictures (Greengenes) files.

Expected values come from the artifacts' own members (``feature-table.biom`` through
biom-format, ``taxonomy.tsv`` through pandas), read here without gutlens.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path

import biom
import h5py
import pandas as pd
import pytest

from gutlens.errors import ProfileFormatError, UnknownFormatError
from gutlens.io import read_many, read_profiles, sniff
from gutlens.model import ProfileTable

CRC = "qiime2/crc_baxter_zackular_zeller"
MP = "qiime2/moving_pictures"
EMPTY = {"", "unassigned", "uncultured"}


def _member(path: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(suffix) and "/data/" in n)
        return archive.read(name)


def _raw(path_table: Path, path_taxonomy: Path) -> tuple[biom.Table, dict[str, str]]:
    with h5py.File(io.BytesIO(_member(path_table, "feature-table.biom")), "r") as handle:
        table = biom.Table.from_hdf5(handle)
    frame = pd.read_csv(io.BytesIO(_member(path_taxonomy, "taxonomy.tsv")), sep="\t", dtype=str)
    return table, dict(zip(frame["Feature ID"], frame["Taxon"], strict=True))


def _split(taxon: str) -> dict[str, str]:
    levels = {}
    for part in taxon.split(";"):
        code, _, name = part.strip().partition("__")
        if name and name.lower() not in EMPTY:
            levels[code] = name
    return levels


def _expected(table: biom.Table, taxonomy: dict[str, str], sample: str) -> tuple[dict, float]:
    """Genus shares of the classified total, and the unclassified share, from the raw data."""
    column = table.data(sample, axis="sample", dense=True)
    genera: dict[str, float] = defaultdict(float)
    classified = unclassified = 0.0
    for feature, value in zip(table.ids(axis="observation"), column, strict=True):
        levels = _split(taxonomy[feature])
        if not levels:
            unclassified += value
            continue
        classified += value
        if "g" in levels:
            genera[levels["g"].replace("_", " ")] += value
    shares = {g: v / classified for g, v in sorted(genera.items(), key=lambda kv: -kv[1])}
    return shares, unclassified / (classified + unclassified)


@pytest.fixture(scope="session")
def crc(inputs: Path) -> ProfileTable:
    return read_profiles(inputs / CRC / "table.qza", taxonomy=inputs / CRC / "taxonomy.qza")


@pytest.fixture(scope="session")
def crc_raw(inputs: Path) -> tuple[biom.Table, dict[str, str]]:
    return _raw(inputs / CRC / "table.qza", inputs / CRC / "taxonomy.qza")


def test_sniff_artifacts(inputs: Path) -> None:
    assert sniff(inputs / CRC / "table.qza").name == "qiime2"
    assert sniff(inputs / CRC / "taxonomy.qza").name == "qiime2-taxonomy"
    assert sniff(inputs / MP / "taxonomy.qza").role == "taxonomy"


def test_crc_table_with_silva_taxonomy(crc: ProfileTable, crc_raw: tuple) -> None:
    raw, taxonomy = crc_raw
    assert len(crc) == 763 and raw.shape == (13_813, 763)
    profile = crc.profile("Adenoma1-2065")
    assert (profile.source.tool, profile.source.tool_version) == ("QIIME 2", "2021.4.0 (archive 5)")
    assert profile.source.format == "qiime2"
    # metadata.csv gives Reads_after_QC = 107534 for this sample
    assert profile.total_count == 107_534
    genera, unclassified = _expected(raw, taxonomy, "Adenoma1-2065")
    assert profile.unclassified_fraction == pytest.approx(unclassified, abs=1e-15)
    top = profile.at_rank("genus")
    assert list(top.index[:3]) == list(genera)[:3]
    for name in list(genera)[:3]:
        assert top[name] == pytest.approx(genera[name], rel=1e-12)
    # SILVA 138 writes Firmicutes; the canonical phylum name is Bacillota
    assert "Bacillota" in profile.at_rank("phylum").index


def test_crc_unassigned_features_are_unclassified(crc: ProfileTable, crc_raw: tuple) -> None:
    raw, taxonomy = crc_raw
    unassigned = [f for f, t in taxonomy.items() if t == "Unassigned"]
    assert len(unassigned) == 8
    reads = raw.filter(unassigned, axis="observation", inplace=False).sum(axis="sample")
    sample = raw.ids()[int(reads.argmax())]
    _, expected = _expected(raw, taxonomy, sample)
    assert expected > 0
    assert crc.profile(sample).unclassified_fraction == pytest.approx(expected, rel=1e-12)


def test_crc_taxa_counts(crc: ProfileTable, crc_raw: tuple) -> None:
    _, taxonomy = crc_raw
    genus_lineages, species_lineages = set(), set()
    for taxon in taxonomy.values():
        parts = [p.strip() for p in taxon.split(";")]
        kept = tuple(p for p in parts if p.partition("__")[2].lower() not in EMPTY)
        codes = [p.partition("__")[0] for p in kept]
        if "g" in codes:
            genus_lineages.add(kept[: codes.index("g") + 1])
        if "s" in codes:
            species_lineages.add(kept)
    ranks = crc.taxa["rank"].value_counts()
    assert ranks["genus"] == len(genus_lineages)
    assert ranks["species"] == len(species_lineages)


def test_qza_equals_extracted_biom(tmp_path: Path, inputs: Path, crc: ProfileTable) -> None:
    tsv = tmp_path / "taxonomy.tsv"
    tsv.write_bytes(_member(inputs / CRC / "taxonomy.qza", "taxonomy.tsv"))
    assert sniff(tsv).name == "qiime2-taxonomy-tsv"
    extracted = read_profiles(
        inputs / "biom/hdf5/crc_table_from_qza_feature-table.biom", taxonomy=tsv
    )
    assert list(extracted.taxa.index) == list(crc.taxa.index)
    assert extracted.sample_ids == crc.sample_ids
    assert (extracted.abundance != crc.abundance).nnz == 0
    assert crc.counts is not None and extracted.counts is not None
    assert (extracted.counts != crc.counts).nnz == 0
    columns = ["unclassified_fraction", "total_count"]
    assert extracted.samples[columns].equals(crc.samples[columns])


def test_moving_pictures_pair(inputs: Path) -> None:
    table = read_many([inputs / MP / "table-dada2.qza", inputs / MP / "taxonomy.qza"])
    raw, taxonomy = _raw(inputs / MP / "table-dada2.qza", inputs / MP / "taxonomy.qza")
    assert len(table) == 34 == raw.shape[1]
    profile = table.profile("L1S8")  # a gut sample
    assert profile.source.tool_version == "2022.8.3 (archive 5)"
    genera, unclassified = _expected(raw, taxonomy, "L1S8")
    top = profile.at_rank("genus")
    assert list(top.index[:2]) == list(genera)[:2]
    assert top.iloc[0] == pytest.approx(next(iter(genera.values())), rel=1e-12)
    assert profile.unclassified_fraction == pytest.approx(unclassified, abs=1e-15)
    assert profile.total_count == raw.data("L1S8", axis="sample").sum()


def test_taxonomy_from_another_study_is_refused(inputs: Path) -> None:
    with pytest.raises(ProfileFormatError, match=r"13813 of 13813 feature ids .* not in"):
        read_profiles(inputs / CRC / "table.qza", taxonomy=inputs / MP / "taxonomy.qza")


def test_table_without_taxonomy(inputs: Path) -> None:
    with pytest.raises(ProfileFormatError, match=r"has no taxonomy.*taxonomy\.qza"):
        read_profiles(inputs / MP / "table-dada2.qza")


def test_taxonomy_alone(inputs: Path) -> None:
    with pytest.raises(ProfileFormatError, match="without abundances"):
        read_profiles(inputs / CRC / "taxonomy.qza")
    with pytest.raises(ProfileFormatError, match="only taxonomy files were given"):
        read_many([inputs / CRC / "taxonomy.qza"])


def test_rep_seqs_is_not_a_table(inputs: Path) -> None:
    with pytest.raises(
        ProfileFormatError, match=r"is FeatureData\[Sequence\] \(representative sequences"
    ):
        read_profiles(inputs / MP / "rep-seqs-dada2.qza")
    with pytest.raises(ProfileFormatError, match=r"FeatureData\[Sequence\], not a taxonomy"):
        read_profiles(inputs / MP / "table-dada2.qza", taxonomy=inputs / MP / "rep-seqs-dada2.qza")


def test_zip_that_is_not_an_artifact(tmp_path: Path) -> None:
    path = tmp_path / "table.qza"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnknownFormatError, match=r"zip archive .* not a known artifact"):
        read_profiles(path)
    with pytest.raises(ProfileFormatError, match=r"not a QIIME 2 artifact: expected <uuid>"):
        read_profiles(path, format="qiime2")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.qza"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("u/metadata.yaml", "type: FeatureTable[Frequency]\n")
        archive.writestr("u/VERSION", "QIIME 2\narchive: 5\nframework: 2021.4.0\n")
        archive.writestr("u/data/feature-table.biom", b"\0" * (50 * 1024**2))
    assert path.stat().st_size < 200_000
    with pytest.raises(ProfileFormatError, match=r"expands \d+ times \(a zip bomb\?\)"):
        read_profiles(path)
    with pytest.raises(ProfileFormatError, match="zip bomb"):
        read_profiles(path, format="qiime2")


def test_nested_zip_is_refused(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("x.txt", "x")
    path = tmp_path / "nested.qza"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("u/metadata.yaml", "type: FeatureTable[Frequency]\n")
        archive.writestr("u/VERSION", "QIIME 2\narchive: 5\n")
        archive.writestr("u/data/inner.zip", inner.getvalue())
    with pytest.raises(ProfileFormatError, match="nests another archive"):
        read_profiles(path, format="qiime2")


def test_truncated_artifact(tmp_path: Path, inputs: Path) -> None:
    data = (inputs / MP / "table-dada2.qza").read_bytes()
    path = tmp_path / "cut.qza"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProfileFormatError, match="zip archive but cannot be opened"):
        read_profiles(path)


def test_cli_profile_pairs_table_and_taxonomy(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gutlens.cli._app import run

    status = run(
        [
            "profile",
            str(inputs / CRC / "table.qza"),
            str(inputs / CRC / "taxonomy.qza"),
            "--sample",
            "Adenoma1-2065",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "QIIME 2 2021.4.0 (archive 5)" in out and "107,534" in out
    assert run(["profile", str(inputs / CRC / "table.qza")]) == 1
    assert "has no taxonomy" in capsys.readouterr().err
