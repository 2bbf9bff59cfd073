"""Results for report tests and screenshots: the real :func:`gutlens.analysis.analyze` on real
files, against the shipped MetAML healthy reference (Pasolli et al. 2016).

``metaml_healthy`` gives the raw reference table for tests that re-derive a number from it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from gutlens.analysis import analyze
from gutlens.analysis.results import Results
from gutlens.model import Profile

METAML = "reference/metaml_pasolli2016_stool"


@cache
def metaml_healthy(data_dir: Path) -> pd.DataFrame:
    """Healthy MetAML samples (one per subject): (rank, taxon) x samples, fractions."""
    samples = pd.read_csv(data_dir / METAML / "samples.tsv", sep="\t")
    keep = samples.loc[samples["healthy_reference_one_per_subject"], "sample_uid"].tolist()
    table = pd.read_csv(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz", sep="\t")
    return table.set_index(["rank", "taxon"])[keep] / 100.0


def results_for(profile: Profile, data_dir: Path | None = None) -> Results:
    """``analyze(profile)`` (``data_dir`` is accepted for the callers that pass it; the analysis
    reads only the reference bundle shipped in the package)."""
    del data_dir
    return analyze(profile)
