"""How a generic table is laid out: where its taxa are (rank columns, a lineage column, or
lineages as column names). See :mod:`gutlens.io.formats.table` for the rules."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from gutlens.taxonomy import RANKS, normalise_rank, parse_lineage

__all__ = [
    "Layout",
    "Orientation",
    "find_layout",
    "is_number",
    "is_unclassified",
    "looks_like_lineage",
]

Orientation = Literal["taxa-rows", "samples-rows"]

_RANK_WORDS = frozenset(RANKS) | {"domain", "superkingdom"}
_LINEAGE_HEADERS = frozenset(
    {"taxonomy", "lineage", "taxon", "taxa", "clade", "clade_name", "classification"}
)
_UNCLASSIFIED = frozenset({"unassigned", "unclassified", "unknown", "no hit", "no_hit"})
_PREFIXED = re.compile(r"^\s*(?:[kdpcofgst]__|D_\d+__)")
_SHARE = 0.8


@dataclass
class Layout:
    orientation: Orientation
    rank_columns: list[int] = field(default_factory=list)
    lineage_column: int | None = None
    plain_rank: str | None = None


def _rank_columns(header: list[str]) -> list[int]:
    """Header cells naming ranks, when they run top-down (a lone one must be the first)."""
    found = [i for i, h in enumerate(header) if h.strip().lower() in _RANK_WORDS]
    ranks = [RANKS.index(normalise_rank(header[i]) or "") for i in found]
    if not found or ranks != sorted(set(ranks)):
        return []
    if len(found) == 1 and found[0] != 0:
        return []
    return found


@functools.lru_cache(maxsize=65536)
def looks_like_lineage(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    if not _PREFIXED.match(text):
        parts = [p for p in re.split(r"[;|]", text) if p.strip()]
        if len(parts) < 2:
            return False
    try:
        return len(parse_lineage(text)) > 0
    except ValueError:
        return False


def is_unclassified(text: str) -> bool:
    bare = re.sub(r"^[kd]__", "", text.strip()).strip().lower()
    return bare in _UNCLASSIFIED


def _mostly_lineages(cells: list[str]) -> bool:
    cells = [c for c in cells if c.strip() and not is_unclassified(c)]
    return bool(cells) and sum(map(looks_like_lineage, cells)) >= _SHARE * len(cells)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def find_layout(
    header: list[str], data: list[list[str]], orientation: Orientation | None, rank: str | None
) -> Layout | str:
    """The table's layout, or a message saying why it cannot be told."""
    rank_columns = _rank_columns(header)
    first = [row[0] for row in data if row]
    lineage_column: int | None = None
    if not rank_columns:
        if _mostly_lineages(first):
            lineage_column = 0
        else:
            named = [
                i for i, h in enumerate(header) if h.strip().lower().lstrip("#") in _LINEAGE_HEADERS
            ]
            cells = [[row[i] for row in data if len(row) > i] for i in named]
            lineage_column = next(
                (i for i, c in zip(named, cells, strict=True) if _mostly_lineages(c)), None
            )
            if lineage_column is None and named and rank is None and orientation != "samples-rows":
                return (
                    f"the {header[named[0]]!r} column holds plain names, not lineages; give "
                    "rank= (read_table(path, rank='genus'), say) when all are of one rank"
                )
    taxa_rows = bool(rank_columns) or lineage_column is not None
    samples_rows = _mostly_lineages(header[1:])
    if orientation is None and taxa_rows and samples_rows:
        return (
            "both the first column and the column names look like taxa; give "
            "orientation='taxa-rows' or orientation='samples-rows'"
        )
    if orientation == "samples-rows" or (orientation is None and samples_rows and not taxa_rows):
        if not samples_rows and rank is None:
            return "the column names are not lineages; give rank= for plain taxon names"
        return Layout("samples-rows", plain_rank=None if samples_rows else rank)
    if taxa_rows and orientation in (None, "taxa-rows"):
        return Layout("taxa-rows", rank_columns=rank_columns, lineage_column=lineage_column)
    if rank is not None:
        return Layout("taxa-rows", lineage_column=0, plain_rank=rank)
    return (
        "cannot find the taxa: expected rank columns (Kingdom, Phylum, ..., Species), a column "
        "of lineages such as 'k__Bacteria|p__Bacillota|g__Blautia' or 'd__Bacteria; "
        "p__Bacillota', or lineages as the column names; for plain names (Bacteroides) use "
        "gutlens.io.formats.table.read_table(path, rank='genus')"
    )
