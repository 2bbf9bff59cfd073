"""Generic tables: real data written out as generic CSV/TSV/XLSX must read as the original readers
read it; real generic tables (mockrobiota expected taxonomy); bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pytest

from gutlens.cli._app import run
from gutlens.errors import ProfileFormatError, UnknownFormatError
from gutlens.io import read_many, read_profiles, sniff
from gutlens.io.formats.table import read_table
from gutlens.model import ProfileTable

RANK_COLUMNS = ["Kingdom", "Phylum", "Class", "Order", "Family", "Genus", "Species"]


@pytest.fixture(scope="session")
def cf_frames(inputs: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = inputs / "dada2/cf_infant_stool"
    counts = pd.read_csv(folder / "ASVs_counts.tsv", sep="\t", index_col=0)
    taxa = pd.read_csv(folder / "ASVs_taxonomy.tsv", sep="\t", index_col=0)
    return counts.iloc[:, :40], taxa.loc[counts.index]


@pytest.fixture(scope="session")
def cf_original(inputs: Path, cf_frames: tuple[pd.DataFrame, pd.DataFrame]) -> ProfileTable:
    folder = inputs / "dada2/cf_infant_stool"
    return read_many([folder / "ASVs_counts.tsv", folder / "ASVs_taxonomy.tsv"])


def _assert_same(
    a: ProfileTable,
    b: ProfileTable,
    values: Literal["relative_abundance", "count"] = "relative_abundance",
) -> None:
    samples = a.sample_ids
    x = a.to_dataframe(values=values)
    y = b.to_dataframe(values=values)[samples]
    x, y = x[(x > 0).any(axis=1)].sort_index(), y[(y > 0).any(axis=1)].sort_index()
    assert list(x.index) == list(y.index)
    np.testing.assert_allclose(x.to_numpy(), y.to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        a.samples["unclassified_fraction"].to_numpy(),
        b.samples.loc[samples, "unclassified_fraction"].to_numpy(),
        atol=1e-12,
    )


def test_dada2_counts_as_lineage_tsv(
    tmp_path: Path, cf_frames: tuple[pd.DataFrame, pd.DataFrame], cf_original: ProfileTable
) -> None:
    counts, taxa = cf_frames
    lineage = taxa.apply(
        lambda r: "; ".join(f"{k[0].lower()}__{v}" for k, v in r.items() if isinstance(v, str)),
        axis=1,
    )
    frame = counts.copy()
    frame.insert(0, "taxonomy", lineage)
    frame.index.name = "ASV"
    path = tmp_path / "cf_lineages.tsv"
    frame.to_csv(path, sep="\t")
    assert sniff(path).name == "table"
    table = read_profiles(path)
    assert len(table) == 40
    assert table.counts is not None  # whole numbers -> counts
    _assert_same(table, cf_original, values="count")
    assert table.profile("103_N_STOOL").total_count == counts["103_N_STOOL"].sum()


def test_dada2_counts_with_rank_columns_csv(
    tmp_path: Path, cf_frames: tuple[pd.DataFrame, pd.DataFrame], cf_original: ProfileTable
) -> None:
    counts, taxa = cf_frames
    frame = pd.concat([taxa.rename(columns=str.lower), counts], axis=1)
    path = tmp_path / "cf_ranks.csv"
    frame.to_csv(path)  # first column: ASV ids, then kingdom..species, then samples
    table = read_profiles(path)
    _assert_same(table, cf_original, values="count")


def test_dada2_samples_as_rows_percent_xlsx(
    tmp_path: Path, cf_frames: tuple[pd.DataFrame, pd.DataFrame], cf_original: ProfileTable
) -> None:
    counts, taxa = cf_frames
    # each ASV at its deepest rank down to genus (reads named only to a family stay there)
    lineage = taxa[RANK_COLUMNS[:6]].apply(
        lambda r: "|".join(f"{k[0].lower()}__{v}" for k, v in r.items() if isinstance(v, str)),
        axis=1,
    )
    percent = counts.groupby(lineage).sum() / counts.sum(axis=0) * 100
    unassigned = (100 - percent.sum(axis=0)).clip(lower=0)
    frame = percent.T
    frame["Unassigned"] = unassigned
    path = tmp_path / "cf_genus_percent.xlsx"
    frame.to_excel(path, index_label="sample")
    table = read_profiles(path)
    assert table.counts is None  # fractional values summing to 100 -> percent
    original = cf_original.to_dataframe(rank="genus")[table.sample_ids]
    mine = table.to_dataframe(rank="genus")
    original = original[(original > 0).any(axis=1)]
    mine = mine[(mine > 0).any(axis=1)]
    np.testing.assert_allclose(
        mine.sort_index().to_numpy(), original.sort_index().to_numpy(), atol=1e-9
    )
    np.testing.assert_allclose(
        table.samples["unclassified_fraction"].to_numpy(),
        cf_original.samples.loc[table.sample_ids, "unclassified_fraction"].to_numpy(),
        atol=1e-9,
    )


@pytest.fixture(scope="session")
def metaphlan_merged(inputs: Path) -> tuple[pd.DataFrame, ProfileTable]:
    path = inputs / "metaphlan3/hmp6_merged_abundance_table.txt"
    frame = pd.read_csv(path, sep="\t", comment="#", index_col=0)
    return frame, read_profiles(path)


@pytest.mark.parametrize("layout", ["csv", "fractions-csv", "transposed-xlsx"])
def test_metaphlan_merged_as_generic_table(
    tmp_path: Path, metaphlan_merged: tuple[pd.DataFrame, ProfileTable], layout: str
) -> None:
    frame, original = metaphlan_merged
    if layout == "csv":
        path = tmp_path / "merged.csv"
        frame.to_csv(path)
    elif layout == "fractions-csv":
        path = tmp_path / "merged_fractions.csv"
        (frame.drop(columns="NCBI_tax_id") / 100).to_csv(path)
    else:
        path = tmp_path / "merged.xlsx"
        frame.drop(columns="NCBI_tax_id").T.to_excel(path, index_label="sample")
    assert sniff(path).name == "table"
    table = read_profiles(path)
    assert sorted(table.sample_ids) == sorted(original.sample_ids)
    _assert_same(table, original)


def test_mockrobiota_expected_taxonomy(inputs: Path) -> None:
    folder = inputs / "mock_truth/mockrobiota_mock-12"
    raw = pd.read_csv(folder / "gg13_8_99_expected-taxonomy.tsv", sep="\t")
    table = read_profiles(folder / "gg13_8_99_expected-taxonomy.tsv")
    profile = table.profile("Extreme.1")
    assert profile.source.format == "table"
    assert (
        len(table.taxa[table.taxa["rank"] == "species"])
        == raw["Taxonomy"].str.contains(r"s__\w", regex=True).sum()
    )
    prevotella = raw.loc[raw["Taxonomy"].str.contains("g__Prevotella; s__copri"), "Extreme.1"]
    assert profile.at_rank("species")["Prevotella copri"] == pytest.approx(
        prevotella.iloc[0] / raw["Extreme.1"].sum()
    )
    silva = read_profiles(folder / "silva123_99_expected-taxonomy.tsv").profile("Extreme.1")
    assert silva.at_rank("kingdom")["Bacteria"] == pytest.approx(1.0)


def test_plain_names_need_a_rank(inputs: Path) -> None:
    path = inputs / "mock_truth/mockrobiota_mock-12/source_taxonomy.tsv"
    with pytest.raises(ProfileFormatError, match="plain names, not lineages; give rank="):
        read_table(path)
    table = read_table(path, rank="strain")
    raw = pd.read_csv(path, sep="\t")
    assert len(table.taxa) == raw["Taxonomy"].nunique()
    first = raw.iloc[0]
    assert table.profile("Extreme.1").at_rank("strain")[first["Taxonomy"]] == pytest.approx(
        first["Extreme.1"] / raw["Extreme.1"].sum()
    )


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "taxonomy\tS1\tS2\nk__Bacteria|g__Blautia,5,6\n",
            r"line 2: expected 3 tab-separated cells",
        ),
        ("taxonomy,S1\nk__Bacteria|g__Blautia,-5\nk__Bacteria|g__Dorea,3\n", r"line 2: .*negative"),
        (
            "taxonomy,S1,S2\nk__Bacteria|g__Blautia,5,6\nk__Bacteria|g__Dorea,abc,3\n",
            r"line 3: expected a number for sample 'S1', found 'abc'",
        ),
        (
            "taxonomy,S1\nk__Bacteria|g__Blautia,5\nk__Bacteria|g__Dorea,3\nk__Bacteria|g__Blautia,2\n",
            r"line 4: taxon 'k__Bacteria\|g__Blautia' appears twice \(first on line 2\)",
        ),
        (
            "taxonomy,S1\nk__Bacteria|g__Blautia,40.5\nk__Bacteria|g__Dorea,22.7\n",
            r"look like percentages, but sample 'S1' sums to 63.2 \(expected 100\)"
            r".*values='percent'",
        ),
        (
            "taxonomy,S1\nk__Bacteria|g__Blautia,0.2\nk__Bacteria|g__Dorea,0.3\n",
            r"look like fractions, but sample 'S1' sums to 0.5 \(expected 1\)",
        ),
        ("", r"file is empty"),
        (
            "sample,k__Bacteria|g__Blautia,k__Bacteria|g__Dorea\nk__Bacteria|g__X,1,2\n",
            r"line 1: both the first column and the column names look like taxa; give orientation=",
        ),
        (
            "name,S1,S2\nBlautia,1,2\nDorea,3,4\n",
            r"line 1: cannot find the taxa: expected rank columns",
        ),
    ],
)
def test_bad_tables(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / "bad.csv", text)
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path, format="table")
    assert str(path) in str(info.value)


def test_percent_option_accepts_incomplete_totals(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "top.csv",
        "taxonomy,S1\nk__Bacteria|g__Blautia,40.5\nk__Bacteria|g__Dorea,22.7\n",
    )
    table = read_table(path, values="percent")
    assert table.profile("S1").at_rank("genus")["Blautia"] == pytest.approx(40.5 / 63.2)


def test_orientation_option(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.csv",
        "sample,k__Bacteria|g__Blautia,k__Bacteria|g__Dorea\nk__Bacteria|g__X,1,3\n",
    )
    table = read_table(path, orientation="samples-rows")
    assert table.sample_ids == ["k__Bacteria|g__X"]
    assert table.profile().at_rank("genus")["Dorea"] == pytest.approx(0.75)


def test_binary_garbage_with_format_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 40)
    status = run(["profile", str(path), "--format", "table"])
    err = capsys.readouterr().err
    assert status == 1
    assert "garbage.csv" in err
    assert "binary data, not a text table (CSV/TSV) or an .xlsx workbook" in err
    with pytest.raises(UnknownFormatError, match="binary data"):
        read_profiles(path)


def test_european_semicolon_table_with_percent_signs(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "eu.csv",
        "taxonomy;S1;S2\nk__Bacteria|g__Blautia;40,5%;10%\nk__Bacteria|g__Dorea;59,5%;90%\n",
    )
    table = read_profiles(path)
    assert table.profile("S1").at_rank("genus")["Blautia"] == pytest.approx(0.405)
    assert table.profile("S2").at_rank("genus")["Dorea"] == pytest.approx(0.9)
    assert table.counts is None  # "10%" is a percentage, not a count of 10
