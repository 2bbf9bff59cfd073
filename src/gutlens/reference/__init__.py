"""Reference populations shipped with gutlens, and the loader ``load_reference``."""

from gutlens.reference._metaml import read_metaml_table
from gutlens.reference._population import (
    AGE_BANDS,
    BETA_RANKS,
    MIN_STRATUM,
    PCoA,
    ReferencePopulation,
    Stratum,
    load_reference,
    mid_rank_percentile,
)

__all__ = [
    "AGE_BANDS",
    "BETA_RANKS",
    "MIN_STRATUM",
    "PCoA",
    "ReferencePopulation",
    "Stratum",
    "load_reference",
    "mid_rank_percentile",
    "read_metaml_table",
]
