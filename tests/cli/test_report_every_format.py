"""A report (with analysis and interpretation) from one real file of every profile format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gutlens.cli._app import run

FILES = [
    ("metaphlan2/SRS014459-Stool_profile.txt", None),
    ("metaphlan3/HD32R1_subsample_taxonomic_profile.tsv", None),
    ("metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt", None),
    ("kraken2/Ombre6_Kraken2.kreport", None),
    ("bracken/thryve2_Kraken2_bracken.kreport", None),
    ("cami_profile_motus/ERR479025.profile", None),
    ("consumer/ubiome_json/isaacgerg_2017_0706.json", None),
    ("consumer/thryve_ombre_csv/Sample2-thryve-GJKE4_abundance_profile.csv", None),
    ("consumer/biohm_xlsx/Sample4-BIOHM-GW004397_RAW_Data.xlsx", None),
    ("biom/json_v1/AmericanGutMetaphlanWGS.biom", "AG-10538"),
]


@pytest.mark.parametrize(("name", "sample"), FILES)
def test_report_from_every_format(
    inputs: Path, tmp_path: Path, name: str, sample: str | None
) -> None:
    out = tmp_path / "report.json"
    argv = ["report", str(inputs / name), "-o", str(out)]
    assert run(argv + (["--sample", sample] if sample else [])) == 0
    report = json.loads(out.read_text())
    ids = {s["id"] for s in report["sections"]}
    assert {"summary", "composition", "diversity", "areas", "recommendations"} <= ids
    numbered = {ref["key"] for ref in report["references"]}
    for section in report["sections"]:
        for finding in section["findings"]:
            assert set(finding["citations"]) <= numbered
    assert report["provenance"]["input_sha256"]
