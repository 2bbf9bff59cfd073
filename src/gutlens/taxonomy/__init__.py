"""Taxonomy: lineage parsing for every naming style and a cited synonym table."""

from gutlens.taxonomy._lineage import (
    RANK_CODES,
    RANKS,
    Lineage,
    clean_name,
    normalise_rank,
    parse_lineage,
)
from gutlens.taxonomy._synonyms import (
    Rename,
    canonical_lineage,
    canonical_name,
    load_renames,
)

__all__ = [
    "RANKS",
    "RANK_CODES",
    "Lineage",
    "Rename",
    "canonical_lineage",
    "canonical_name",
    "clean_name",
    "load_renames",
    "normalise_rank",
    "parse_lineage",
]
