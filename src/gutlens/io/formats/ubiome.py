"""uBiome "download raw data" JSON exports (2013-2017).

The file is one JSON object whose ``ubiome_bacteriacounts`` list holds one record per NCBI taxon:
``taxon`` and ``parent`` (NCBI taxonomy ids), ``count`` (reads), ``count_norm`` (reads per
million bacterial reads), ``tax_name`` and ``tax_rank``. Three variants are read: numeric fields
with ``site``/``sampling_time`` (2017), numeric fields with a ``root`` record (2015), and every
value written as a string (2013-2015, often saved as ``.json.txt``).

Lineages are built by walking the parent ids; ranks gutlens does not keep (``no rank``,
``subphylum``, ``suborder``, ``species group``...) are steps of the walk, not taxa. Values are the
clade read counts as the file states them. The classified total is the sum of the domain
(``superkingdom``) counts. The unclassified share is ``(root - domains) / root`` when the file
has a ``root`` record (reads placed no lower than the root of the tree); files without one do
not say, and it is left at 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, open_text
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, clean_name, normalise_rank

__all__ = ["read_ubiome"]

_KEY = "ubiome_bacteriacounts"
_FIELDS = ("taxon", "parent", "count", "tax_name", "tax_rank")
_META = ("sampling_time", "site", "sequencing_revision", "download_time_utc", "notes")


def _sniff(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text") or not head.text:
        return False
    return head.text.lstrip().startswith("{") and f'"{_KEY}"' in head.text[:4096]


def _sample_id(path: Path) -> str:
    name = path.name
    for suffix in (".txt", ".json", ".gz"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    for suffix in (".txt", ".json"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def read_ubiome(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a uBiome JSON export (one sample).

    Raises
    ------
    ProfileFormatError
        If the file is not JSON, has no ``ubiome_bacteriacounts`` list, a record lacks a field
        or has a bad count, a taxon id repeats, or parent ids run in a circle.
    """
    try:
        with open_text(path) as handle:
            document = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        msg = f"not valid JSON ({getattr(err, 'msg', err)}); expected a uBiome export"
        raise ProfileFormatError(msg, path=path, line=line) from err
    if not isinstance(document, dict) or not isinstance(document.get(_KEY), list):
        keys = list(document)[:6] if isinstance(document, dict) else type(document).__name__
        msg = f"expected a JSON object with a '{_KEY}' list (a uBiome export), found {keys}"
        raise ProfileFormatError(msg, path=path)
    records = document[_KEY]
    if not records:
        raise ProfileFormatError(f"'{_KEY}' is empty", path=path)
    by_id: dict[str, dict[str, Any]] = {}
    for index, record in enumerate(records):
        where = f"{_KEY}[{index}]"
        if not isinstance(record, dict) or any(k not in record for k in _FIELDS):
            msg = f"{where}: expected the fields {', '.join(_FIELDS)}, found {record!r}"[:300]
            raise ProfileFormatError(msg, path=path)
        taxon = str(record["taxon"]).strip()
        if taxon in by_id:
            msg = f"{where}: taxon id {taxon} appears twice"
            raise ProfileFormatError(msg, path=path)
        by_id[taxon] = record | {
            "count": _count(record["count"], path, f"{where} (taxon {taxon}) count")
        }
    lineages, values, taxids = _walk(path, by_id)
    domains = [
        r["count"] for r in by_id.values() if normalise_rank(str(r["tax_rank"])) == "kingdom"
    ]
    if not domains:
        msg = "no superkingdom record (Bacteria); cannot tell the classified total"
        raise ProfileFormatError(msg, path=path)
    classified = float(sum(domains))
    roots = [r["count"] for r in by_id.values() if str(r["tax_rank"]).strip() == "root"]
    unclassified = max(0.0, float(roots[0]) - classified) if roots else 0.0
    sample = _sample_id(path)
    metadata = {k: str(document[k]) for k in _META if document.get(k) not in (None, "")}
    if "sampling_time" in metadata:
        metadata["date"] = metadata["sampling_time"][:10]
    return ProfileTable.from_clades(
        lineages,
        np.asarray(values, dtype=float).reshape(-1, 1),
        [sample],
        source=SourceInfo(
            format="ubiome", tool="uBiome", tool_version=metadata.get("sequencing_revision")
        ),
        provenance=Provenance(path=str(path), sha256=file_sha256(path), format="ubiome"),
        kind="count",
        unclassified=np.array([unclassified]),
        classified_total=np.array([classified]),
        taxids=taxids,
        metadata=pd.DataFrame([metadata], index=[sample]) if metadata else None,
    )


def _count(value: Any, path: Path, what: str) -> float:
    try:
        return parse_abundance(str(value), path=path, line=0, what=what)
    except ProfileFormatError as err:
        raise ProfileFormatError(err.reason, path=path) from err


def _walk(
    path: Path, by_id: dict[str, dict[str, Any]]
) -> tuple[list[Lineage], list[float], list[str | None]]:
    lineages: list[Lineage] = []
    values: list[float] = []
    taxids: list[str | None] = []
    for taxon, record in by_id.items():
        rank = normalise_rank(str(record["tax_rank"]))
        if rank is None:
            continue
        levels: dict[str, str] = {}
        current: str | None = taxon
        visited: set[str] = set()
        while current is not None and current in by_id:
            if current in visited:
                msg = f"taxon {taxon}: parent ids run in a circle through {current}"
                raise ProfileFormatError(msg, path=path)
            visited.add(current)
            node = by_id[current]
            node_rank = normalise_rank(str(node["tax_rank"]))
            name = str(node["tax_name"]).strip()
            if node_rank is not None and node_rank not in levels and name:
                levels[node_rank] = clean_name(name, rank=node_rank)
            parent = str(node["parent"]).strip()
            current = parent if parent != current else None
        try:
            lineage = Lineage.from_mapping(levels)
        except ValueError as err:
            msg = f"taxon {taxon} ({record['tax_name']}): cannot build its lineage: {err}"
            raise ProfileFormatError(msg, path=path) from err
        if lineage.rank != rank:
            continue  # a rank repeated on the way up (a subspecies under its species): skip
        lineages.append(lineage)
        values.append(float(record["count"]))
        taxids.append(taxon)
    if not lineages:
        raise ProfileFormatError("no records at a standard rank (phylum..species)", path=path)
    return lineages, values, taxids


register(
    Format(
        name="ubiome",
        title="uBiome JSON raw-data export (2013-2017)",
        sniff=_sniff,
        read=read_ubiome,
        priority=25,
        extensions=(".json", ".json.txt"),
    )
)
