"""Real MetAML samples (Pasolli et al. 2016) as ``Results`` for interpretation tests: the real
:func:`gutlens.analysis.analyze_table` on the MetAML table read by
:func:`gutlens.reference.read_metaml_table`, against the shipped healthy reference.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from gutlens.analysis import analyze_table
from gutlens.analysis.results import Results
from gutlens.model import ProfileTable
from gutlens.reference import read_metaml_table

METAML = "reference/metaml_pasolli2016_stool"


@cache
def metaml_table(data_dir: Path) -> tuple[pd.DataFrame, ProfileTable]:
    """(samples metadata, all 1,989 samples as a ProfileTable)."""
    samples = pd.read_csv(data_dir / METAML / "samples.tsv", sep="\t")
    table = read_metaml_table(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz")
    return samples, table


def cohort_results(
    data_dir: Path, sample_uids: list[str], tmp: Path | None = None
) -> list[Results]:
    """``analyze_table`` results for the MetAML samples ``sample_uids``, in that order
    (``tmp`` is accepted for the callers that pass it)."""
    del tmp
    _, table = metaml_table(data_dir)
    return analyze_table(table, samples=sample_uids)
