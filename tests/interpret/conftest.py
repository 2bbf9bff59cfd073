"""Session fixtures: MetAML healthy controls and cases as Results (see ``cohort.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.analysis.results import Results
from tests.interpret.cohort import cohort_results, metaml_table

#: samples per group (first by sample_uid); each case group is compared with the healthy
#: controls of its own study, so country and sequencing batch are the same
N = 15
STUDIES = {
    "ibd": ("Neilsen_genome_assembly", ("ibd_ulcerative_colitis", "ibd_crohn_disease")),
    "crc": ("Zeller_fecal_colorectal_cancer", ("cancer",)),
    "t2d": ("t2dmeta_long", ("t2d",)),
}


@pytest.fixture(scope="session")
def cohort(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Results]]:
    """``{"ibd": [...], "healthy_ibd": [...], "crc": ..., "t2d": ...}``."""
    samples, _ = metaml_table(data_dir)
    groups: dict[str, list[str]] = {}
    for name, (study, labels) in STUDIES.items():
        in_study = samples[samples["dataset_name"] == study]
        for key, mask in (
            (name, in_study["disease"].isin(labels)),
            (f"healthy_{name}", in_study["disease"] == "n"),
        ):
            groups[key] = sorted(in_study.loc[mask, "sample_uid"])[:N]
    uids = [u for ids in groups.values() for u in ids]
    results = dict(
        zip(uids, cohort_results(data_dir, uids, tmp_path_factory.mktemp("metaml")), strict=True)
    )
    return {key: [results[u] for u in ids] for key, ids in groups.items()}
