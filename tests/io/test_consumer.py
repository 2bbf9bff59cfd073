"""uBiome, Thryve/Ombre and BIOHM exports: every real file, values computed from the raw files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gutlens.errors import ProfileFormatError
from gutlens.io import read_profile, read_profiles, sniff

UBIOME = [
    "isaacgerg_2017_0706.json",
    "myazdani_2013-09-03_kit_289-003-128.json.txt",
    "sprague-ubiome-150421.json",
]
THRYVE = [
    "consumer/thryve_ombre_csv/Sample2-thryve-GJKE4_abundance_profile.csv",
    "consumer/thryve_ombre_csv/Sample6-Ombre-GTV3A_abundance_profile.csv",
    "fastq_16s/ombre_consumer_v4_sample6/vendor_Sample6-Ombre-GTV3A_abundance_profile.csv",
]
BIOHM = "consumer/biohm_xlsx/Sample4-BIOHM-GW004397_RAW_Data.xlsx"


def _unbracket(name: str) -> str:
    # gutlens drops the brackets inside species names ("[Ruminococcus] gnavus" is R. gnavus) but
    # keeps a bracketed genus on its own ("[Ruminococcus]" is not Ruminococcus)
    if name.startswith("[") and name.endswith("]") and " " not in name.replace("_", " "):
        return name
    return re.sub(r"[\[\]]", "", name)


# -- uBiome ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", UBIOME)
def test_ubiome_exports(inputs: Path, name: str) -> None:
    path = inputs / "consumer/ubiome_json" / name
    records = pd.DataFrame(json.loads(path.read_text())["ubiome_bacteriacounts"])
    records["count"] = records["count"].astype(float)
    domains = records.loc[records["tax_rank"] == "superkingdom", "count"].sum()
    roots = records.loc[records["tax_rank"] == "root", "count"]
    genera = records[records["tax_rank"] == "genus"].sort_values("count", ascending=False)
    species = records[records["tax_rank"] == "species"]

    assert sniff(path).name == "ubiome"
    profile = read_profile(path)
    assert profile.source.tool == "uBiome"
    assert len(profile.at_rank("genus")) == genera["tax_name"].nunique()
    assert len(profile.at_rank("species")) == species["tax_name"].nunique()
    top = profile.counts_at_rank("genus").head(3)
    assert list(top.index) == list(genera["tax_name"].head(3))
    assert list(top.to_numpy()) == list(genera["count"].head(3))
    shares = profile.at_rank("genus")
    assert shares.iloc[0] == pytest.approx(genera["count"].iloc[0] / domains)
    if len(roots):
        assert profile.total_count == roots.iloc[0]
        assert profile.unclassified_fraction == pytest.approx(1 - domains / roots.iloc[0])
    else:  # no root record: the unclassified share is not derivable
        assert profile.total_count == domains
        assert profile.unclassified_fraction == 0.0


def test_ubiome_real_values(inputs: Path) -> None:
    folder = inputs / "consumer/ubiome_json"
    gerg = read_profile(folder / "isaacgerg_2017_0706.json")
    assert gerg.metadata["date"] == "2017-07-06"
    assert gerg.metadata["site"] == "gut"
    assert gerg.counts_at_rank("genus")["Bacteroides"] == 1880
    # sprague: root 309,530 reads; Bacteria 300,921 + Archaea 7,506 + Viruses 5 classified
    sprague = read_profile(folder / "sprague-ubiome-150421.json")
    assert sprague.unclassified_fraction == pytest.approx((309530 - 308432) / 309530)
    assert sprague.at_rank("kingdom")["Archaea"] == pytest.approx(7506 / 308432)
    # every value a string in the 2013 export: Cronobacter 28,125 reads
    smarr = read_profile(folder / "myazdani_2013-09-03_kit_289-003-128.json.txt")
    assert smarr.counts_at_rank("genus").index[0] == "Cronobacter"
    lineage = smarr.taxa.index[smarr.taxa["name"] == "Cronobacter sakazakii"][0]
    assert lineage.startswith("k__Bacteria|p__Pseudomonadota|c__Gammaproteobacteria|")


def test_ubiome_bad_inputs(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    path.write_text(json.dumps({"site": "gut", "bacteria": []}))
    with pytest.raises(ProfileFormatError, match="ubiome_bacteriacounts") as info:
        read_profiles(path, format="ubiome")
    assert str(path) in str(info.value)
    record = {
        "taxon": 2,
        "parent": 1,
        "count": "x",
        "tax_name": "Bacteria",
        "tax_rank": "superkingdom",
    }
    path.write_text(json.dumps({"ubiome_bacteriacounts": [record]}))
    with pytest.raises(ProfileFormatError, match=r"taxon 2\) count, found 'x'"):
        read_profiles(path, format="ubiome")
    path.write_text('{"ubiome_bacteriacounts": [\n{"taxon": 2,,}]}')
    with pytest.raises(ProfileFormatError, match="line 2: not valid JSON"):
        read_profiles(path, format="ubiome")


# -- Thryve / Ombre ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", THRYVE)
def test_thryve_exports(inputs: Path, name: str) -> None:
    path = inputs / name
    raw = pd.read_csv(path)
    real = raw[~raw["name"].str.startswith("other ")]
    classified = raw.loc[raw["rank"] == "kingdom", "rank_count"].iloc[0]
    genera = real[real["rank"] == "genus"].sort_values("count", ascending=False)

    assert sniff(path).name == "thryve"
    profile = read_profile(path)
    assert profile.source.tool == "Thryve/Ombre"
    assert len(profile.at_rank("genus")) == genera["name"].nunique()
    assert len(profile.at_rank("species")) == real.loc[real["rank"] == "species", "name"].nunique()
    top = profile.counts_at_rank("genus").head(3)
    assert list(top.index) == list(genera["name"].head(3))
    assert list(top.to_numpy()) == list(genera["count"].head(3))
    assert profile.at_rank("genus").iloc[0] == pytest.approx(genera["count"].iloc[0] / classified)
    assert profile.total_count == classified
    assert profile.unclassified_fraction == 0.0  # the export does not give the reads sequenced


def test_ombre_sample6_values(inputs: Path) -> None:
    profile = read_profile(inputs / THRYVE[1])
    # kingdom rank_count 27,070; g__Bacteroides 10,322 reads
    assert profile.total_count == 27070
    assert profile.at_rank("genus")["Bacteroides"] == pytest.approx(10322 / 27070)
    # Actinobacteria is a phylum and a class: the class sits under the phylum
    assert "k__Bacteria|p__Actinomycetota|c__Actinobacteria" in profile.taxa.index
    assert profile.sample_id == "Sample6-Ombre-GTV3A"
    vendor = read_profile(inputs / THRYVE[2])
    assert vendor.sample_id == profile.sample_id


HEADER = '"taxon_id","rank","name","parent","count","rank_count","perc"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '"2","kingdom","Bacteria","","10","10","1"\n"1","phylum","X","Bacteria","abc","10","1"\n',
            r"line 3: expected a number for the count, found 'abc'",
        ),
        (
            '"2","kingdom","Bacteria","","10","10","1"\n"1","phylum","X","Bacteria","-4","10","1"\n',
            r"line 3: count must not be negative",
        ),
        (
            '"2","kingdom","Bacteria","","10","10","1"\n"2","kingdom","Bacteria","","10","10","1"\n',
            r"line 3: kingdom 'Bacteria' appears twice \(first on line 2\)",
        ),
        (
            '"2","kingdom","Bacteria","","10","10","1"\n"1","phylum","X","Nowhere","4","10","1"\n',
            r"line 3: parent 'Nowhere' of 'X' is not listed",
        ),
        (
            '"2","kingdom","Bacteria","","10","10","1"\n"1","tribe","X","Bacteria","4","10","1"\n',
            r"line 3: unknown rank 'tribe'",
        ),
    ],
)
def test_thryve_bad_rows(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad_abundance_profile.csv"
    path.write_text(HEADER + body)
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path)
    assert str(path) in str(info.value)


# -- BIOHM -------------------------------------------------------------------------------------
def _biohm_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_biohm_export(inputs: Path) -> None:
    path = inputs / BIOHM
    rows = _biohm_rows(path)
    by_prefix: dict[str, dict[str, float]] = {}
    for label, value in rows:
        if isinstance(label, str) and label[:3] in ("p__", "g__", "s__"):
            names = by_prefix.setdefault(label[:3], {})
            name = _unbracket(label[3:])
            names[name] = names.get(name, 0) + float(str(value))
    phylum_total = sum(by_prefix["p__"].values())
    genera = pd.Series(by_prefix["g__"]).sort_values(ascending=False)

    assert sniff(path).name == "biohm"
    profile = read_profile(path)
    assert profile.sample_id == rows[0][1] == "GW004397"
    assert profile.source.tool == "BIOHM"
    assert len(profile.at_rank("genus")) == len(genera)
    assert len(profile.at_rank("species")) == len(by_prefix["s__"])
    top = profile.counts_at_rank("genus").head(3)
    assert list(top.index) == list(genera.index[:3])
    assert list(top.to_numpy()) == list(genera.to_numpy()[:3])
    assert profile.at_rank("genus").iloc[0] == pytest.approx(genera.iloc[0] / phylum_total)
    assert profile.total_count == phylum_total == 44255
    assert profile.unclassified_fraction == 0.0  # the sheet does not give the reads sequenced
    assert profile.metadata["BarcodeSequence"] == "TGCCACGAAC"


def test_biohm_count_in_header_row(inputs: Path, tmp_path: Path) -> None:
    rows = _biohm_rows(inputs / BIOHM)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    line = 0
    for number, (label, value) in enumerate(rows, start=1):
        if label == "Genus":
            value, line = 17, number
        sheet.append([label, value])
    path = tmp_path / "biohm_bad.xlsx"
    workbook.save(path)
    with pytest.raises(
        ProfileFormatError, match=rf"line {line}: section header 'Genus' has a value"
    ):
        read_profiles(path)
