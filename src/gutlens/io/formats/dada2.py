"""DADA2 outputs: sequence tables, "Happy Belly" ASV tables and the taxonomy tables beside them.

DADA2 (Callahan et al. 2016, Nat Methods, doi:10.1038/nmeth.3869) infers amplicon sequence
variants (ASVs) and names them with ``assignTaxonomy``/``addSpecies``. Layouts read:

* Native, written from R with ``write.csv``: ``seqtab.nochim.csv`` (samples as rows, one column
  per ASV with the DNA sequence as its name, first column the sample id) and ``taxa.csv``
  (one row per ASV sequence, columns ``Kingdom``..``Genus`` and optionally ``Species``).
* "Happy Belly" exports (astrobiomike.github.io): ``ASVs_counts.tsv`` (ASV ids such as
  ``ASV_1`` as rows, samples as columns) and ``ASVs_taxonomy.tsv`` (ASV ids x ranks).

``NA`` means unassigned at that rank; a species column holding only the epithet
(``prausnitzii``, as ``addSpecies`` writes it) is joined to the genus. ASVs with no kingdom are
the unclassified part. Values are read counts and are summed up the lineage to every rank.

A table of ASVs holds no taxon names, so it is read together with its taxonomy table: both files
given to ``gutlens profile``, or ``read_profiles(table, taxonomy=taxa)``. Without one the reader
stops and names the taxonomy files found beside the table (several often are, made with
different references, so picking one silently would be a guess). Every ASV of the table must be
in the taxonomy table; ASVs the taxonomy lists but the table lacks are ignored (a taxonomy made
before filtering). :func:`read_asv_table` gives the ASV-level data, sequences included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance
from gutlens.io.formats._delimited import (
    Row,
    delimiter_name,
    guess_delimiter,
    header_fields,
    read_rows,
)
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, normalise_rank, parse_lineage

__all__ = ["AsvTable", "read_asv_table", "read_dada2", "read_dada2_taxonomy"]

_DNA = re.compile(r"^[ACGTUNRYSWKMBDHV]{30,}$", re.IGNORECASE)
_ASV_ID = re.compile(r"^(ASV|OTU|ESV|zOTU|SV)[_.-]?\d+$", re.IGNORECASE)
_TAXONOMY_NAMES = ("taxa", "tax", "taxonomy", "asvs_taxonomy")


@dataclass
class AsvTable:
    """ASV-level content of a DADA2 table and its taxonomy.

    Attributes
    ----------
    counts : pandas.DataFrame
        ASVs x samples read counts (index: ASV id, or the sequence itself for native tables).
    lineages : list of Lineage
        One per ASV in ``counts`` order (empty lineage = unassigned).
    sequences : dict of str to str
        ASV id -> DNA sequence, where the files give the sequences (native tables).
    """

    counts: pd.DataFrame
    lineages: list[Lineage]
    sequences: dict[str, str]


def _cells(head: Head, limit: int = 6) -> tuple[str, list[list[str]]] | None:
    lines = [ln for ln in head.lines if ln.strip()][:limit]
    if len(lines) < 2:
        return None
    sep = guess_delimiter(lines)
    if sep is None:
        return None
    return sep, [header_fields(ln, sep) for ln in lines]


def _sniff_seqtab(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text"):
        return False
    found = _cells(head, limit=3)
    if found is None:
        return False
    header = _full_header(found[1][0], found[1][1:])
    names = [c.strip() for c in header[1:] if c.strip()]
    return header[0].strip() == "" and bool(names) and all(_DNA.match(n) for n in names[:20])


def _sniff_counts(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text"):
        return False
    found = _cells(head)
    if found is None:
        return False
    first, *data = found[1]
    header = _full_header(first, data)
    if header[0].strip() not in ("", "ASV_ID", "ASV", "asv_id") or len(header) < 2:
        return False
    if any(normalise_rank(c) for c in header[1:]):
        return False
    return all(_ASV_ID.match(r[0].strip()) for r in data) and all(
        _is_number(c) for r in data for c in r[1:]
    )


def _sniff_taxonomy(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text"):
        return False
    found = _cells(head)
    if found is None:
        return False
    first, *data = found[1]
    header = _full_header(first, data)
    ranks = [normalise_rank(c) for c in header[1:]]
    if len(ranks) < 2 or not all(ranks) or ranks[0] != "kingdom":
        return False
    keys = [r[0].strip() for r in data]
    return header[0].strip() in ("", "ASV_ID", "ASV") and all(
        _DNA.match(k) or _ASV_ID.match(k) for k in keys
    )


def _full_header(header: list[str], data: list[list[str]]) -> list[str]:
    """The header with an empty first cell added when R's ``write.table`` left out the cell
    above the row names (every data row one cell longer than the header)."""
    if data and all(len(row) == len(header) + 1 for row in data):
        return ["", *header]
    return header


def _is_number(text: str) -> bool:
    try:
        float(text.strip().strip('"'))
    except ValueError:
        return False
    return True


def read_dada2_taxonomy(path: Path) -> dict[str, tuple[Lineage, int]]:
    """Read a DADA2 taxonomy table: ASV id or sequence -> (lineage, line number).

    Raises
    ------
    ProfileFormatError
        If the header does not name ranks, a row has the wrong number of cells, an ASV repeats,
        or a lineage cannot be built.
    """
    rows, sep = read_rows(path)
    header = Row(rows[0].line, _full_header(rows[0].cells, [r.cells for r in rows[1:]]))
    ranks = header.cells[1:]
    if len(ranks) < 1 or not all(normalise_rank(r) for r in ranks):
        msg = (
            f"expected a DADA2 taxonomy header (an empty first cell, then Kingdom, Phylum, ...,"
            f" {delimiter_name(sep)}-separated), found {header.cells[:8]}"
        )
        raise ProfileFormatError(msg, path=path, line=header.line)
    result: dict[str, tuple[Lineage, int]] = {}
    for row in rows[1:]:
        if len(row.cells) != len(header.cells):
            msg = (
                f"expected {len(header.cells)} cells (ASV, {', '.join(ranks)}),"
                f" found {len(row.cells)}"
            )
            raise ProfileFormatError(msg, path=path, line=row.line)
        key = row.cells[0]
        if key in result:
            msg = f"ASV {_short(key)!r} appears twice (first on line {result[key][1]})"
            raise ProfileFormatError(msg, path=path, line=row.line)
        try:
            lineage = parse_lineage(row.cells[1:], ranks=ranks)
        except ValueError as err:
            raise ProfileFormatError(
                f"cannot build a lineage from {row.cells[1:]}: {err}", path=path, line=row.line
            ) from err
        result[key] = (lineage, row.line)
    if not result:
        raise ProfileFormatError("taxonomy table has a header but no ASV rows", path=path)
    return result


def _short(key: str) -> str:
    return key if len(key) <= 24 else f"{key[:12]}...{key[-8:]} ({len(key)} nt)"


def _read_counts(path: Path) -> tuple[pd.DataFrame, bool]:
    """ASVs x samples counts and whether the file was a native (samples-as-rows) seqtab."""
    rows, sep = read_rows(path)
    header = Row(rows[0].line, _full_header(rows[0].cells, [r.cells for r in rows[1:]]))
    native = bool(header.cells[1:]) and all(_DNA.match(c) for c in header.cells[1:] if c)
    names = header.cells[1:]
    if not names:
        msg = f"expected {delimiter_name(sep)}-separated columns after the first, found one column"
        raise ProfileFormatError(msg, path=path, line=header.line)
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in seen:
            what = "ASV" if native else "sample"
            msg = (
                f"{what} {_short(name)!r} is named in two columns "
                f"({seen[name] + 2} and {position + 2})"
            )
            raise ProfileFormatError(msg, path=path, line=header.line)
        seen[name] = position
    row_ids: list[str] = []
    first_line: dict[str, int] = {}
    values = np.zeros((len(rows) - 1, len(names)))
    for i, row in enumerate(rows[1:]):
        if len(row.cells) != len(header.cells):
            msg = (
                f"expected {len(header.cells)} {delimiter_name(sep)}-separated cells like the"
                f" header, found {len(row.cells)}"
            )
            raise ProfileFormatError(msg, path=path, line=row.line)
        key = row.cells[0]
        if key in first_line:
            what = "sample" if native else "ASV"
            msg = f"{what} {_short(key)!r} appears twice (first on line {first_line[key]})"
            raise ProfileFormatError(msg, path=path, line=row.line)
        first_line[key] = row.line
        row_ids.append(key)
        values[i] = _numbers(row.cells[1:], path, row.line)
    if not row_ids:
        raise ProfileFormatError("table has a header but no data rows", path=path)
    if native:
        frame = pd.DataFrame(values.T, index=pd.Index(names), columns=pd.Index(row_ids))
    else:
        frame = pd.DataFrame(values, index=pd.Index(row_ids), columns=pd.Index(names))
    return frame, native


def _numbers(cells: list[str], path: Path, line: int) -> np.ndarray:
    """Cells as non-negative finite counts (fast path; per-cell parsing names a bad cell)."""
    try:
        numbers = np.array(cells, dtype=float)
    except ValueError:
        numbers = np.full(len(cells), np.nan)
    if np.all(np.isfinite(numbers)) and np.all(numbers >= 0):
        return numbers
    return np.array([parse_abundance(c, path=path, line=line, what="read count") for c in cells])


def _companions(path: Path) -> list[str]:
    found = []
    for other in sorted(path.parent.iterdir()):
        stem = other.name.lower().split(".")[0]
        if (
            other != path
            and other.is_file()
            and other.suffix.lower() != ".rds"
            and (stem in _TAXONOMY_NAMES or stem.startswith(("taxa", "asvs_taxonomy")))
        ):
            found.append(other.name)
    return found


def read_asv_table(path: Path, *, taxonomy: Path | None = None) -> AsvTable:
    """Read a DADA2 ASV table with its taxonomy table, keeping ASVs and sequences.

    Raises
    ------
    ProfileFormatError
        If no taxonomy is given, the taxonomy names none (or not all) of the table's ASVs, or
        either file is malformed.
    """
    counts, native = _read_counts(path)
    if taxonomy is None:
        nearby = _companions(path)
        hint = f" (found beside it: {', '.join(nearby)})" if nearby else ""
        example = nearby[0] if nearby else ("taxa.csv" if native else "ASVs_taxonomy.tsv")
        msg = (
            "a DADA2 table lists ASVs without taxon names; give the taxonomy table made by "
            f"assignTaxonomy with it{hint}, e.g. 'gutlens profile {path.name} {example}'"
        )
        raise ProfileFormatError(msg, path=path)
    names = read_dada2_taxonomy(taxonomy)
    missing = [asv for asv in counts.index if asv not in names]
    if len(missing) == len(counts.index):
        msg = (
            f"the taxonomy table {taxonomy.name} lists none of the {len(counts.index)} ASVs of "
            f"this table (first here: {_short(str(counts.index[0]))!r}, first there: "
            f"{_short(next(iter(names)))!r}); are they from the same DADA2 run?"
        )
        raise ProfileFormatError(msg, path=path)
    if missing:
        msg = (
            f"{len(missing)} of the {len(counts.index)} ASVs are not in the taxonomy table "
            f"{taxonomy.name} (first: {_short(str(missing[0]))!r}); are they from the same run?"
        )
        raise ProfileFormatError(msg, path=path)
    lineages = [names[str(asv)][0] for asv in counts.index]
    sequences = {str(s): str(s) for s in counts.index} if native else {}
    return AsvTable(counts=counts, lineages=lineages, sequences=sequences)


def read_dada2(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a DADA2 sequence table or ASV count table with its taxonomy table.

    Raises
    ------
    ProfileFormatError
        See :func:`read_asv_table`.
    """
    asvs = read_asv_table(path, taxonomy=taxonomy)
    assert taxonomy is not None
    source = SourceInfo(format="dada2", tool="DADA2", database=None)
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="dada2")
    metadata = pd.DataFrame(
        {
            "taxonomy_file": str(taxonomy),
            "asv_count": (asvs.counts > 0).sum(axis=0).astype(int),
        },
        index=asvs.counts.columns,
    )
    return ProfileTable.from_leaves(
        asvs.lineages,
        asvs.counts.to_numpy(),
        [str(c) for c in asvs.counts.columns],
        source=source,
        provenance=provenance,
        kind="count",
        metadata=metadata,
    )


def _read_taxonomy_alone(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    msg = "a DADA2 taxonomy table holds no abundances; give it with the ASV table it describes"
    raise ProfileFormatError(msg, path=path)


def _sniff_rds(head: Head) -> bool:
    return head.kind in ("binary", "gzip-text") and head.path.suffix.lower() in (".rds", ".rdata")


def _read_rds(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    msg = (
        "this is an R data file, which gutlens does not read; write the object out as CSV in R, "
        "e.g. write.csv(seqtab.nochim, 'seqtab.nochim.csv') and write.csv(taxa, 'taxa.csv'), "
        "and give those"
    )
    raise ProfileFormatError(msg, path=path)


register(
    Format(
        name="r-data",
        title="R data files (.rds): refused with how to export them as CSV",
        sniff=_sniff_rds,
        read=_read_rds,
        priority=10,
        extensions=(".rds",),
    )
)
register(
    Format(
        name="dada2",
        title="DADA2 sequence table (seqtab.nochim.csv) or ASV count table (ASVs_counts.tsv)",
        sniff=lambda head: _sniff_seqtab(head) or _sniff_counts(head),
        read=read_dada2,
        priority=30,
        extensions=(".csv", ".tsv"),
    )
)
register(
    Format(
        name="dada2-taxonomy",
        title="DADA2 taxonomy table (taxa.csv, ASVs_taxonomy.tsv), paired with its ASV table",
        sniff=_sniff_taxonomy,
        read=_read_taxonomy_alone,
        priority=30,
        extensions=(".csv", ".tsv"),
        role="taxonomy",
    )
)
