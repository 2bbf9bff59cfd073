"""MetaPhlAn 2, 3 and 4 profiles: single-sample output and ``merge_metaphlan_tables.py`` tables.

Layouts read (Beghini et al. 2021, eLife, doi:10.7554/eLife.65088; Blanco-Míguez et al. 2023,
Nat Biotechnol, doi:10.1038/s41587-023-01688-w):

* MetaPhlAn 2: ``#SampleID<TAB>Metaphlan2_Analysis`` then ``clade<TAB>percent``.
* MetaPhlAn 3/4: ``#mpa_v30_...`` / ``#mpa_vOct22_...`` database line, the command line,
  ``#N reads processed`` (4), ``#SampleID``, then
  ``#clade_name<TAB>NCBI_tax_id<TAB>relative_abundance<TAB>additional_species``.
* Merged tables: a header row ``ID``/``clade_name`` (optionally ``NCBI_tax_id``) then one
  column per sample.

Values are percentages per rank; an ``UNCLASSIFIED`` row (MetaPhlAn 4 ``--unclassified_estimation``)
or ``UNKNOWN`` row (MetaPhlAn 3 ``--unknown_estimation``) gives
the unclassified share.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, read_lines
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance, sample_id_from_path
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, parse_lineage

__all__ = ["read_metaphlan"]

_CLADE = re.compile(r"^[kdpcofgst]__\S")
_DB_LINE = re.compile(r"^#\s*((?:toy_|mpa_)?v(\w+?)_\S*|mpa_v\d+\S*)\s*$")
_TOLERANCE = 5.0  # percentage points a sample's domain total may be away from 100


def _db_version(database: str) -> str:
    tag = database.split("_")[1] if database.startswith(("mpa_", "toy_")) else database
    if tag in ("v20",):
        return "2"
    if tag in ("v30", "v31", "vJan21"):
        return "3"
    return "4"


def _sniff(head: Head) -> bool:
    lines = [ln for ln in head.lines if ln.strip()]
    if not lines:
        return False
    for line in lines[:12]:
        if "Metaphlan" in line and line.startswith("#SampleID"):
            return True
        if line.startswith(("#mpa_v", "#toy_v")):
            return True
    data = [ln for ln in lines if not ln.startswith("#")][:3]
    if not data:
        return False
    first = data[0].split("\t")[0]
    if first in ("ID", "clade_name") and len(data) > 1:
        return bool(_CLADE.match(data[1].split("\t")[0]))
    return bool(_CLADE.match(first)) and "\t" in data[0] and "|" not in first.split("\t")[0][:3]


def read_metaphlan(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a MetaPhlAn 2/3/4 profile or merged table.

    Raises
    ------
    ProfileFormatError
        On a malformed row, a non-numeric or negative value, a repeated clade, an unparsable
        clade name, or a sample whose domain-level total is far from 100 %.
    """
    lines = read_lines(path)
    database: str | None = None
    version: str | None = None
    sample_ids: list[str] | None = None
    has_taxid = False
    value_start = 1
    clades: list[tuple[int, str, str | None, list[str]]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        fields = line.split("\t")
        if line.startswith("#"):
            head = fields[0]
            if _DB_LINE.match(head) and database is None and len(fields) == 1:
                database = head[1:].strip()
                version = _db_version(database)
            elif head == "#SampleID":
                if "Metaphlan2_Analysis" in fields[1:2]:
                    version = version or "2"
            elif head == "#clade_name":
                has_taxid = len(fields) > 1 and fields[1] == "NCBI_tax_id"
                value_start = 2 if has_taxid else 1
            continue
        if fields[0] in ("ID", "clade_name") and sample_ids is None and not clades:
            has_taxid = len(fields) > 1 and fields[1] == "NCBI_tax_id"
            value_start = 2 if has_taxid else 1
            sample_ids = [f.strip() for f in fields[value_start:]]
            if not sample_ids:
                msg = "merged table header has no sample columns"
                raise ProfileFormatError(msg, path=path, line=number)
            continue
        clades.append((number, fields[0].strip(), fields[1] if has_taxid else None, fields))
    if sample_ids is None:
        sample_ids = [sample_id_from_path(path)]
    if not clades:
        raise ProfileFormatError("no clade rows found; expected MetaPhlAn output", path=path)
    return _build(path, clades, sample_ids, value_start, database, version)


def _build(
    path: Path,
    clades: list[tuple[int, str, str | None, list[str]]],
    sample_ids: list[str],
    value_start: int,
    database: str | None,
    version: str | None,
) -> ProfileTable:
    n = len(sample_ids)
    seen: dict[str, int] = {}
    lineages: list[Lineage] = []
    taxids: list[str | None] = []
    rows: list[list[float]] = []
    unclassified = np.zeros(n)
    for number, clade, taxid, fields in clades:
        expected = value_start + n
        values_text = fields[value_start:expected]
        # single-sample MetaPhlAn 3/4 rows carry an extra additional_species column
        if len(fields) < expected or (len(fields) > expected + 1):
            msg = (
                f"expected {expected} tab-separated columns (clade"
                f"{', taxid' if value_start == 2 else ''}, {n} value(s)), found {len(fields)}"
            )
            raise ProfileFormatError(msg, path=path, line=number)
        values = [parse_abundance(v, path=path, line=number) for v in values_text]
        if clade.upper() in ("UNCLASSIFIED", "UNKNOWN"):
            unclassified += values
            continue
        if clade in seen:
            msg = f"clade {clade!r} appears twice (first on line {seen[clade]})"
            raise ProfileFormatError(msg, path=path, line=number)
        seen[clade] = number
        if not _CLADE.match(clade):
            msg = f"cannot parse clade name {clade!r}; expected k__Domain|p__Phylum|..."
            raise ProfileFormatError(msg, path=path, line=number)
        try:
            lineage = parse_lineage(clade)
        except ValueError as err:
            raise ProfileFormatError(
                f"cannot parse clade {clade!r}: {err}", path=path, line=number
            ) from err
        if not lineage.levels:
            msg = f"clade {clade!r} names no taxon"
            raise ProfileFormatError(msg, path=path, line=number)
        lineages.append(lineage)
        taxids.append(_last_taxid(taxid))
        rows.append(values)
    matrix = np.asarray(rows, dtype=float).reshape(len(rows), n)
    top = np.array([lin.rank == "kingdom" for lin in lineages])
    if not top.any():
        msg = "no domain-level (k__) rows; a MetaPhlAn profile lists k__Bacteria and below"
        raise ProfileFormatError(msg, path=path)
    totals = matrix[top].sum(axis=0) + unclassified
    for sample, total in zip(sample_ids, totals, strict=True):
        if total > 0 and abs(total - 100.0) > _TOLERANCE:
            msg = (
                f"sample {sample!r}: domain-level abundances sum to {total:.2f} %, expected 100 %"
                " (is this a MetaPhlAn relative-abundance table?)"
            )
            raise ProfileFormatError(msg, path=path)
    source = SourceInfo(
        format="metaphlan",
        tool="MetaPhlAn",
        tool_version=version,
        database=database,
    )
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="metaphlan")
    return ProfileTable.from_clades(
        lineages,
        matrix,
        sample_ids,
        source=source,
        provenance=provenance,
        kind="percent",
        unclassified=unclassified,
        classified_total=matrix[top].sum(axis=0),
        taxids=taxids,
    )


def _last_taxid(text: str | None) -> str | None:
    if not text:
        return None
    last = text.strip().split("|")[-1]
    return last or None


register(
    Format(
        name="metaphlan",
        title="MetaPhlAn 2, 3 and 4 profiles and merged tables",
        sniff=_sniff,
        read=read_metaphlan,
        priority=20,
        extensions=(".txt", ".tsv"),
    )
)
