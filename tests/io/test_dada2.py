"""DADA2 readers on every file under inputs/dada2 (values computed from the raw files)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from gutlens.cli._app import run
from gutlens.errors import ProfileFormatError, UnknownFormatError
from gutlens.io import read_many, read_profiles, sniff
from gutlens.io.formats.dada2 import read_asv_table
from gutlens.model import ProfileTable

RANK_COLUMNS = ["Kingdom", "Phylum", "Class", "Order", "Family", "Genus"]


@dataclass
class Expected:
    """Independent expectations from the raw tables."""

    classified: pd.Series  # reads in ASVs with a kingdom, per sample
    total: pd.Series  # all reads, per sample
    genus_n: int  # distinct lineages down to genus
    species_n: int  # distinct lineages down to species
    genus_counts: pd.DataFrame  # genus x samples read counts


def _expected(counts: pd.DataFrame, taxa: pd.DataFrame) -> Expected:
    """From counts (ASVs x samples) and taxa (ASV x ranks) read with pandas."""
    taxa = taxa.loc[counts.index]
    assigned = taxa["Kingdom"].notna()
    genus_keys = taxa[RANK_COLUMNS].dropna().apply(tuple, axis=1)
    species_n = 0
    if "Species" in taxa:
        with_species = taxa.dropna(subset=[*RANK_COLUMNS, "Species"])
        species_n = len(with_species[[*RANK_COLUMNS, "Species"]].drop_duplicates())
    # gutlens writes NCBI's bracketed names ([Ruminococcus] gnavus group) without brackets
    genus = taxa["Genus"].dropna().str.replace(r"[\[\]]", "", regex=True)
    return Expected(
        classified=counts[assigned].sum(axis=0),
        total=counts.sum(axis=0),
        genus_n=genus_keys.nunique(),
        species_n=species_n,
        genus_counts=counts.loc[genus.index].groupby(genus).sum(),
    )


def _native(folder: Path, taxa_name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    seqtab = pd.read_csv(folder / "seqtab.nochim.csv", index_col=0)
    taxa = pd.read_csv(folder / taxa_name, index_col=0)
    return seqtab.T, taxa


@pytest.fixture(scope="session")
def cf_infant(inputs: Path) -> ProfileTable:
    folder = inputs / "dada2/cf_infant_stool"
    return read_many([folder / "ASVs_counts.tsv", folder / "ASVs_taxonomy.tsv"])


@pytest.mark.parametrize(
    ("folder", "taxa_name", "n_samples"),
    [
        ("run_here_ombre_sample6", "taxa_rdp19.csv", 1),
        ("run_here_ombre_sample6", "taxa.csv", 1),
        ("run_here_miseq_sop_extdata", "taxa.csv", 2),
    ],
)
def test_native_seqtab_with_taxa(inputs: Path, folder: str, taxa_name: str, n_samples: int) -> None:
    path = inputs / "dada2" / folder
    assert sniff(path / "seqtab.nochim.csv").name == "dada2"
    assert sniff(path / taxa_name).name == "dada2-taxonomy"
    table = read_profiles(path / "seqtab.nochim.csv", taxonomy=path / taxa_name)
    counts, taxa = _native(path, taxa_name)
    want = _expected(counts, taxa)
    assert len(table) == n_samples == counts.shape[1]
    ranks = table.taxa["rank"].value_counts()
    assert ranks.get("genus", 0) == want.genus_n
    assert ranks.get("species", 0) == want.species_n
    for sample in table.sample_ids:
        profile = table.profile(sample)
        assert profile.source.tool == "DADA2"
        assert profile.total_count == want.total[sample]
        classified = want.classified[sample]
        assert profile.unclassified_fraction == pytest.approx(1 - classified / want.total[sample])
        genus_counts = want.genus_counts[sample].sort_values(ascending=False)
        genus_counts = genus_counts[genus_counts > 0]
        top3 = profile.counts_at_rank("genus").head(3)
        assert list(top3.to_numpy()) == list(genus_counts.head(3).to_numpy())
        genera = profile.at_rank("genus")
        assert genera.iloc[0] == pytest.approx(genus_counts.iloc[0] / classified)


def test_ombre_rdp19_real_genera(inputs: Path) -> None:
    folder = inputs / "dada2/run_here_ombre_sample6"
    table = read_many([folder / "seqtab.nochim.csv", folder / "taxa_rdp19.csv"])
    profile = table.profile("ombre6")
    # seqtab.nochim.csv: 24,257 non-chimeric reads in 158 ASVs; RDP 19 names them to genus
    assert profile.total_count == 24257
    assert profile.metadata["asv_count"] == 158
    assert list(profile.at_rank("genus").index[:3]) == [
        "Bacteroides",
        "Ruminococcoides",
        "Phocaeicola",
    ]


def test_happy_belly_tables(cf_infant: ProfileTable, inputs: Path) -> None:
    folder = inputs / "dada2/cf_infant_stool"
    counts = pd.read_csv(folder / "ASVs_counts.tsv", sep="\t", index_col=0)
    taxa = pd.read_csv(folder / "ASVs_taxonomy.tsv", sep="\t", index_col=0)
    want = _expected(counts, taxa)
    assert len(cf_infant) == 289 == counts.shape[1]
    ranks = cf_infant.taxa["rank"].value_counts()
    assert ranks["genus"] == want.genus_n
    assert ranks["species"] == want.species_n
    # addSpecies epithets are joined to their genus: ASV_3 is Blautia obeum
    assert "Blautia obeum" in set(cf_infant.taxa["name"])
    for sample in ("103_N_STOOL", "113_E_STOOL"):
        profile = cf_infant.profile(sample)
        genus_counts = want.genus_counts[sample].sort_values(ascending=False)
        top3 = profile.counts_at_rank("genus").head(3)
        assert list(top3.index) == list(genus_counts.head(3).index)
        assert list(top3.to_numpy()) == list(genus_counts.head(3).to_numpy())
        assert profile.total_count == counts[sample].sum()
        assert profile.unclassified_fraction == 0.0  # every ASV has a kingdom in this file


def test_asv_table_keeps_sequences(inputs: Path) -> None:
    folder = inputs / "dada2/run_here_miseq_sop_extdata"
    asvs = read_asv_table(folder / "seqtab.nochim.csv", taxonomy=folder / "taxa.csv")
    header = (folder / "seqtab.nochim.csv").read_text().splitlines()[0]
    first_sequence = header.split(",")[1].strip('"')
    assert first_sequence in asvs.sequences
    assert len(asvs.sequences) == 8
    assert asvs.counts.loc[first_sequence, "sam1"] == 385


def test_without_taxonomy_names_companions(inputs: Path) -> None:
    path = inputs / "dada2/run_here_ombre_sample6/seqtab.nochim.csv"
    with pytest.raises(ProfileFormatError, match=r"taxa\.csv, taxa_rdp19\.csv") as info:
        read_profiles(path)
    assert str(path) in str(info.value)
    with pytest.raises(ProfileFormatError, match=r"ASVs_taxonomy\.tsv"):
        read_profiles(inputs / "dada2/cf_infant_stool/ASVs_counts.tsv")


def test_taxonomy_alone_is_refused(inputs: Path) -> None:
    with pytest.raises(ProfileFormatError, match="without abundances"):
        read_profiles(inputs / "dada2/cf_infant_stool/ASVs_taxonomy.tsv")


def test_taxonomy_from_another_run(inputs: Path) -> None:
    table = inputs / "dada2/run_here_ombre_sample6/seqtab.nochim.csv"
    other = inputs / "dada2/cf_infant_stool/ASVs_taxonomy.tsv"
    with pytest.raises(ProfileFormatError, match="lists none of the 158 ASVs") as info:
        read_profiles(table, taxonomy=other)
    assert str(table) in str(info.value)


@pytest.mark.parametrize(
    "name",
    [
        "run_here_miseq_sop_extdata/seqtab.nochim.rds",
        "run_here_miseq_sop_extdata/taxa.rds",
        "run_here_ombre_sample6/seqtab.nochim.rds",
        "run_here_ombre_sample6/taxa.rds",
    ],
)
def test_rds_refused_with_export_hint(inputs: Path, name: str) -> None:
    with pytest.raises(ProfileFormatError, match=r"R data file.*write\.csv"):
        read_profiles(inputs / "dada2" / name)


@pytest.mark.parametrize(
    "name",
    [
        "run_here_miseq_sop_extdata/read_tracking.csv",
        "run_here_ombre_sample6/read_tracking.csv",
        "cf_infant_stool/metadata3yrs.csv",
    ],
)
def test_side_files_are_not_profiles(inputs: Path, name: str) -> None:
    with pytest.raises(UnknownFormatError, match="unrecognised format"):
        read_profiles(inputs / "dada2" / name)


def test_cli_pairs_table_and_taxonomy(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = inputs / "dada2/run_here_ombre_sample6"
    status = run(["profile", str(folder / "seqtab.nochim.csv"), str(folder / "taxa_rdp19.csv")])
    out = capsys.readouterr().out
    assert status == 0
    assert "DADA2" in out
    assert "Bacteroides" in out


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_bad_dada2_inputs(tmp_path: Path) -> None:
    seq = "TACGGAGGATCCGAGCGTTATCCGGATTTATTGGGTTTAAAGGGAGCG"
    table = _write(tmp_path / "seqtab.csv", f'"","{seq}A","{seq}C"\n"s1",10,abc\n')
    taxa = _write(
        tmp_path / "taxa.csv",
        f'"","Kingdom","Genus"\n"{seq}A","Bacteria","Blautia"\n"{seq}C","Bacteria",NA\n',
    )
    with pytest.raises(ProfileFormatError, match="line 2: expected a number for the read count"):
        read_profiles(table, taxonomy=taxa)
    _write(table, f'"","{seq}A","{seq}C"\n"s1",10,-3\n')
    with pytest.raises(ProfileFormatError, match="line 2: read count must not be negative"):
        read_profiles(table, taxonomy=taxa)
    _write(table, f'"","{seq}A","{seq}C"\n"s1",10,3\n"s1",1,1\n')
    with pytest.raises(ProfileFormatError, match=r"line 3: sample 's1' appears twice"):
        read_profiles(table, taxonomy=taxa)
    _write(table, f'"","{seq}A","{seq}C"\n"s1",10\n')
    with pytest.raises(ProfileFormatError, match="line 2: expected 3 comma-separated cells"):
        read_profiles(table, taxonomy=taxa)
    _write(table, f'"","{seq}A","{seq}C"\n"s1",10,3\n')
    _write(taxa, f'"","Kingdom","Genus"\n"{seq}A","Bacteria","Blautia"\n')
    with pytest.raises(ProfileFormatError, match="1 of the 2 ASVs are not in the taxonomy"):
        read_profiles(table, taxonomy=taxa)
    _write(taxa, f'"","Kingdom","Genus"\n"{seq}A","Bacteria","X"\n"{seq}A","Bacteria","Y"\n')
    with pytest.raises(ProfileFormatError, match=r"taxa\.csv, line 3: ASV .* appears twice"):
        read_profiles(table, taxonomy=taxa)
    empty = _write(tmp_path / "empty.csv", "")
    with pytest.raises(ProfileFormatError, match="empty"):
        read_profiles(empty, format="dada2", taxonomy=taxa)


def test_write_table_tsv_without_corner_cell(inputs: Path, tmp_path: Path) -> None:
    # R's write.table(x, sep="\t", quote=FALSE) leaves out the header cell above the row names
    folder = inputs / "dada2/run_here_miseq_sop_extdata"
    seqtab = pd.read_csv(folder / "seqtab.nochim.csv", index_col=0)
    taxa = pd.read_csv(folder / "taxa.csv", index_col=0)
    table_path, taxa_path = tmp_path / "seqtab.tsv", tmp_path / "taxa.tsv"
    table_path.write_text(seqtab.to_csv(sep="\t").split("\t", 1)[1])
    taxa_path.write_text(taxa.to_csv(sep="\t", na_rep="NA").split("\t", 1)[1])
    assert sniff(table_path).name == "dada2"
    assert sniff(taxa_path).name == "dada2-taxonomy"
    mine = read_many([table_path, taxa_path])
    original = read_profiles(folder / "seqtab.nochim.csv", taxonomy=folder / "taxa.csv")
    assert mine.sample_ids == original.sample_ids == ["sam1", "sam2"]
    assert (mine.to_dataframe(values="count") == original.to_dataframe(values="count")).all().all()
