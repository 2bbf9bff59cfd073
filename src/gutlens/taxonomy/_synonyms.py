"""A cited synonym table: one canonical (current) name per organism, whatever produced the file.

The table ships as ``gutlens/taxonomy/data/taxon_renames.tsv`` (built by
``scripts/build_taxonomy_data.py`` from ``shared/data/knowledge/curated_guilds``). Most rows cite
the paper that made the change; a few equivalences (*Eubacterium rectale* = *Agathobacter
rectalis*, *Ruminococcus gnavus* = *Mediterraneibacter gnavus*) come from the curated guild table
whose curators could not verify the renaming paper, and say so in ``note``. Renaming is applied
level by level: a lineage keeps the structure its producer gave it, and the original names stay
available on the profile.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from gutlens.taxonomy._lineage import Lineage

__all__ = ["Rename", "canonical_lineage", "canonical_name", "load_renames"]


@dataclass(frozen=True, slots=True)
class Rename:
    """One name change. ``doi`` is the renaming paper, or ``None`` where the curators could not
    verify one (the equivalence then rests on the curated guild table; ``note`` says so)."""

    old_name: str
    current_name: str
    rank: str
    year: int | None
    doi: str | None
    note: str = ""


@lru_cache(maxsize=1)
def load_renames() -> tuple[Rename, ...]:
    """Read the shipped synonym table (cached)."""
    text = files("gutlens.taxonomy").joinpath("data/taxon_renames.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(
        Rename(
            old_name=row["old_name"],
            current_name=row["current_name"],
            rank=row["rank"],
            year=int(row["year_of_change"]) if row["year_of_change"] else None,
            doi=row["citation_doi"] or None,
            note=row["note"],
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def _rename_map() -> dict[tuple[str, str], str]:
    mapping: dict[tuple[str, str], str] = {}
    for row in load_renames():
        mapping[(row.rank, row.old_name)] = row.current_name
    return mapping


def canonical_name(name: str, rank: str) -> str:
    """The current name of ``name`` at ``rank`` (unchanged if it was never renamed).

    Examples
    --------
    >>> canonical_name("Firmicutes", "phylum")
    'Bacillota'
    >>> canonical_name("Bacteroides vulgatus", "species")
    'Phocaeicola vulgatus'
    """
    return _rename_map().get((rank, name), name)


def canonical_lineage(lineage: Lineage) -> Lineage:
    """Apply :func:`canonical_name` to every level of ``lineage``."""
    return lineage.renamed(_rename_map())
