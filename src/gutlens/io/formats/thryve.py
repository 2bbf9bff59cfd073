"""Thryve / Ombre ``abundance_profile.csv`` exports (16S V4, 2020-2022).

Columns ``taxon_id,rank,name,parent,count,rank_count,perc`` (older Thryve files add
``tags,health_effects,associated_diseases``); every rank from kingdom to species is in one file,
``parent`` is the *name* of the taxon one rank up, ``count`` is the clade's read count,
``rank_count`` the reads placed at that rank and ``perc = count / rank_count``.

Rules (so the numbers follow the gutlens abundance convention):

* The classified total is the kingdom-rank ``rank_count`` (every read assigned to a domain;
  27,070 for the Ombre sample 6 export, where phylum..species rank counts are a few reads to
  ~1,500 reads lower). Files without a kingdom row use the highest rank's ``rank_count``.
  Relative abundance is ``count / classified total``, so the file's ``perc`` (a share of the
  rank's own total) is ``at_rank(rank, renormalise=True)`` when every read of a rank is named.
* Rows named ``other <taxon> <rank>`` hold the reads the vendor placed at that higher taxon
  only; they are not taxa and are left out (their reads are already in the higher taxon's count).
* Lineages are built by following ``parent`` names one rank up (names repeat across ranks:
  *Actinobacteria* is a phylum and a class, so a parent is looked up at the ranks above).
* The file does not say how many reads were sequenced, so the unclassified share is not
  derivable and is left at 0; the read total is the classified total.
* ``tags``, ``health_effects`` and ``associated_diseases`` are vendor claims and are not read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance
from gutlens.io.formats._delimited import header_fields, read_rows
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import RANKS, Lineage, clean_name, normalise_rank

__all__ = ["read_thryve"]

_COLUMNS = ("taxon_id", "rank", "name", "parent", "count", "rank_count", "perc")


def _sniff(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text") or not head.lines:
        return False
    return tuple(header_fields(head.lines[0], ",")[:7]) == _COLUMNS


def _sample_id(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv", "_abundance_profile"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name.removeprefix("vendor_")


def read_thryve(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a Thryve/Ombre abundance profile CSV (one sample).

    Raises
    ------
    ProfileFormatError
        On a wrong header, a row with the wrong number of cells, an unknown rank, a bad count,
        a taxon listed twice at one rank, or a parent that is not in the file.
    """
    rows, _ = read_rows(path, delimiter=",")
    header = rows[0]
    if tuple(header.cells[:7]) != _COLUMNS:
        msg = f"expected the header {','.join(_COLUMNS)}, found {','.join(header.cells[:8])}"
        raise ProfileFormatError(msg, path=path, line=header.line)
    entries: dict[tuple[str, str], tuple[str, float, int, str]] = {}
    rank_counts: dict[str, float] = {}
    for row in rows[1:]:
        if len(row.cells) != len(header.cells):
            msg = f"expected {len(header.cells)} comma-separated cells, found {len(row.cells)}"
            raise ProfileFormatError(msg, path=path, line=row.line)
        taxon_id, rank_text, name, parent = row.cells[:4]
        rank = normalise_rank(rank_text)
        if rank is None:
            msg = f"unknown rank {rank_text!r}; expected one of {', '.join(RANKS[:7])}"
            raise ProfileFormatError(msg, path=path, line=row.line)
        count = parse_abundance(row.cells[4], path=path, line=row.line, what="count")
        rank_count = parse_abundance(row.cells[5], path=path, line=row.line, what="rank_count")
        if not name:
            raise ProfileFormatError("empty taxon name", path=path, line=row.line)
        if rank_counts.setdefault(rank, rank_count) != rank_count:
            msg = f"rank_count {rank_count:g} differs from {rank_counts[rank]:g} earlier at {rank}"
            raise ProfileFormatError(msg, path=path, line=row.line)
        if (rank, name) in entries:
            first = entries[(rank, name)][2]
            msg = f"{rank} {name!r} appears twice (first on line {first})"
            raise ProfileFormatError(msg, path=path, line=row.line)
        entries[(rank, name)] = (parent, count, row.line, taxon_id)
    if not entries:
        raise ProfileFormatError("the file has a header but no taxa", path=path)
    lineages, values, taxids = _lineages(path, entries)
    top = min(rank_counts, key=RANKS.index)
    classified = rank_counts[top]
    sample = _sample_id(path)
    return ProfileTable.from_clades(
        lineages,
        np.asarray(values, dtype=float).reshape(-1, 1),
        [sample],
        source=SourceInfo(format="thryve", tool="Thryve/Ombre"),
        provenance=Provenance(path=str(path), sha256=file_sha256(path), format="thryve"),
        kind="count",
        classified_total=np.array([classified]),
        taxids=taxids,
    )


def _is_other(name: str) -> bool:
    return name.lower().startswith("other ")


def _lineages(
    path: Path, entries: dict[tuple[str, str], tuple[str, float, int, str]]
) -> tuple[list[Lineage], list[float], list[str | None]]:
    lineages: list[Lineage] = []
    values: list[float] = []
    taxids: list[str | None] = []
    for (rank, name), (_parent, count, line, taxon_id) in entries.items():
        if _is_other(name):
            continue
        levels: dict[str, str] = {}
        current: tuple[str, str] | None = (rank, name)
        while current is not None:
            level_rank, level_name = current
            if not _is_other(level_name):
                levels[level_rank] = clean_name(level_name, rank=level_rank)
            parent = entries[current][0]
            if not parent:
                break
            above = [r for r in RANKS[: RANKS.index(level_rank)] if (r, parent) in entries]
            if not above:
                msg = f"parent {parent!r} of {level_name!r} is not listed at a higher rank"
                raise ProfileFormatError(msg, path=path, line=entries[current][2])
            current = (above[-1], parent)
        try:
            lineage = Lineage.from_mapping(levels)
        except ValueError as err:
            msg = f"cannot build the lineage of {name!r}: {err}"
            raise ProfileFormatError(msg, path=path, line=line) from err
        lineages.append(lineage)
        values.append(count)
        taxids.append(taxon_id or None)
    return lineages, values, taxids


register(
    Format(
        name="thryve",
        title="Thryve / Ombre abundance_profile.csv export",
        sniff=_sniff,
        read=read_thryve,
        priority=25,
        extensions=(".csv",),
    )
)
