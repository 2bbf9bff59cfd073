"""Generic abundance tables: CSV, TSV (plain or gzip) and XLSX, in either orientation.

Asked last (priority 90), so every producer-specific format wins. The rules, applied to the
header row and the cells below it:

**Where the taxa are.**

1. *Rank columns*: header cells naming ranks (``Kingdom``/``Domain``, ``Phylum``, ``Class``,
   ``Order``, ``Family``, ``Genus``, ``Species``, ``Strain``; any case). Taxa are rows; each
   row's lineage is built from those cells (``NA``/empty = unassigned; a bare species epithet
   is joined to the genus).
2. *A lineage column*: a column named ``taxonomy``, ``lineage``, ``taxon``, ``taxa``, ``clade``,
   ``clade_name`` or ``classification``, or else the first column when at least 80 % of its
   cells are lineages in any style :func:`gutlens.taxonomy.parse_lineage` reads with rank
   prefixes (``k__``/``d__``/``D_0__``) or two or more ``;``/``|``-separated levels. Taxa are
   rows.
3. *Lineages as column names*: at least 80 % of the header cells after the first are such
   lineages. Samples are rows; the first column holds the sample ids.

If both 1/2 and 3 hold, or none does, the reader stops and says what to pass:
``read_table(path, orientation="taxa-rows" | "samples-rows")``, and ``rank="genus"`` (say) for
tables naming taxa by plain names (``Bacteroides``), which carry no rank of their own.

**Which columns are samples** (taxa as rows): every other column whose non-empty cells are
numbers. Columns named ``confidence``, ``taxid``, ``tax_id``, ``ncbi_tax_id``, ``taxon_id`` or
``rank`` are annotations; a column of mostly text (an ASV or OTU id) is an id column, and then
each row is a feature (ASV/OTU) whose lineage may repeat. A column of mostly numbers with a
non-number in it is an error naming that cell. Empty cells are zero. With samples as rows,
header cells that are not lineages become sample metadata, except ``Unassigned``/
``Unclassified``/``Unknown`` columns, which are the unclassified amount.

**Clades or leaves.** Without an id column, when at least 90 % of the multi-level lineages have
their parent lineage as a row too and every such parent holds at least the sum of its children
(a MetaPhlAn-style table listing every rank), values are clade values as stated; otherwise rows
are leaves (ASVs, or taxa at their deepest rank) summed up the lineage to every rank. A lineage
that appears twice without an id column is an error.

**Value kind**, unless ``values=`` is given. A sample's total is the sum of its top-rank clade
rows (clade tables) or of all rows (leaf tables), unclassified rows included.

* all values whole numbers -> ``count`` (unless every sample total is exactly 100 ->
  ``percent``);
* otherwise every total within 0.05 of 1 -> ``fraction``; within 5 of 100 -> ``percent``;
* anything else is an error naming the first sample whose total does not fit (a percentage
  table summing to 63 %, say): pass ``values="percent"`` to take the values as the whole
  classified part, or ``values="count"`` for normalised counts.

Cells written ``12.5%`` make the table a percentage table; in semicolon-separated files
(European spreadsheets) a decimal comma (``12,5``) is read as a decimal point.

Rows whose taxon is ``Unassigned``/``Unclassified``/``Unknown`` are the unclassified part.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, peek
from gutlens.io._registry import Format, register
from gutlens.io.formats._delimited import (
    Row,
    delimiter_name,
    guess_delimiter,
    header_fields,
    read_rows,
    read_xlsx_rows,
)
from gutlens.io.formats._table_layout import (
    Layout,
    Orientation,
    find_layout,
    is_number,
    is_unclassified,
    looks_like_lineage,
)
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.model._profile import ValueKind
from gutlens.taxonomy import RANKS, Lineage, normalise_rank, parse_lineage

__all__ = ["read_table"]

_ANNOTATIONS = frozenset({"confidence", "taxid", "tax_id", "ncbi_tax_id", "taxon_id", "rank"})
_DECIMAL_COMMA = re.compile(r"^(-?\d+),(\d+%?)$")
_PERCENT_CELL = re.compile(r"^-?[\d.eE+-]+\s*%$")
_COUNT_TOL = 1e-9


# -- sniffing ----------------------------------------------------------------------------------
def _sniff(head: Head) -> bool:
    if head.kind == "zip":
        if "xl/workbook.xml" not in head.zip_names:
            return False
        try:
            rows = read_xlsx_rows(head.path)[:30]
        except ProfileFormatError:
            return False
        table = [r.cells for r in rows]
    elif head.kind in ("text", "gzip-text"):
        lines = [ln for ln in head.lines if ln.strip()]
        lines = _drop_comments_text(lines)[:30]
        sep = guess_delimiter(lines)
        if sep is None or len(lines) < 2:
            return False
        table = [header_fields(ln, sep) for ln in lines]
    else:
        return False
    if len(table) < 2:
        return False
    header, data = table[0], table[1:]
    if isinstance(find_layout(header, data, None, None), str):
        return False
    return any(
        is_number(_DECIMAL_COMMA.sub(r"\1.\2", c).rstrip("%")) for row in data for c in row[1:]
    )


def _drop_comments_text(lines: list[str]) -> list[str]:
    while lines and lines[0].startswith("#") and lines[0].count("\t") + lines[0].count(",") == 0:
        lines = lines[1:]
    return lines


# -- reading -----------------------------------------------------------------------------------
def _load(path: Path) -> tuple[list[Row], str]:
    head = peek(path)
    if head.kind == "empty":
        raise ProfileFormatError("file is empty; expected a table", path=path)
    if head.kind == "zip":
        if "xl/workbook.xml" not in head.zip_names:
            msg = "a zip archive that is not an Excel .xlsx workbook; expected a table"
            raise ProfileFormatError(msg, path=path)
        return read_xlsx_rows(path), "spreadsheet"
    if head.kind not in ("text", "gzip-text"):
        msg = f"{head.kind} data, not a text table (CSV/TSV) or an .xlsx workbook"
        raise ProfileFormatError(msg, path=path)
    rows, sep = read_rows(path)
    return rows, delimiter_name(sep)


def read_table(
    path: Path,
    *,
    taxonomy: Path | None = None,
    orientation: Orientation | None = None,
    values: ValueKind | None = None,
    rank: str | None = None,
) -> ProfileTable:
    """Read a generic abundance table (CSV, TSV or XLSX); see the module docstring for the rules.

    Parameters
    ----------
    path : Path
    taxonomy : Path, optional
        Ignored (generic tables name their taxa themselves).
    orientation : {"taxa-rows", "samples-rows"}, optional
        Where the taxa are, when the table does not make it clear.
    values : {"count", "percent", "fraction"}, optional
        What the numbers are, when the totals do not make it clear.
    rank : str, optional
        Rank of taxa named by plain names (``"genus"`` for ``Bacteroides``).

    Raises
    ------
    ProfileFormatError
        Naming the file, line and what was expected.
    """
    if rank is not None and normalise_rank(rank) is None:
        msg = f"unknown rank {rank!r}; expected one of {', '.join(RANKS)}"
        raise ProfileFormatError(msg, path=path)
    rows, delimiter = _load(path)
    while rows and rows[0].cells[0].startswith("#") and len(rows[0].cells) == 1:
        rows = rows[1:]
    if len(rows) < 2:
        raise ProfileFormatError("expected a header row and at least one data row", path=path)
    header = rows[0]
    header_cells = [c.lstrip("#").strip() if i == 0 else c for i, c in enumerate(header.cells)]
    width = max(len(r.cells) for r in rows[1:])
    if len(header_cells) == width - 1:  # R's write.table: no header cell above the row names
        header_cells = ["", *header_cells]
    width = len(header_cells)
    data: list[Row] = []
    percent_signs = False
    for row in rows[1:]:
        cells = (
            row.cells + [""] * (width - len(row.cells)) if delimiter == "spreadsheet" else row.cells
        )
        if len(cells) != width:
            msg = (
                f"expected {width} {delimiter}-separated cells like the header, found {len(cells)}"
            )
            raise ProfileFormatError(msg, path=path, line=row.line)
        if delimiter == "semicolon":  # European spreadsheets: decimal commas
            cells = [_DECIMAL_COMMA.sub(r"\1.\2", c) for c in cells]
        if any(c.endswith("%") for c in cells):
            percent_signs = True
            cells = [c[:-1].strip() if _PERCENT_CELL.match(c) else c for c in cells]
        data.append(Row(row.line, cells))
    layout = find_layout(header_cells, [r.cells for r in data], orientation, rank)
    if isinstance(layout, str):
        raise ProfileFormatError(layout, path=path, line=header.line)
    if layout.orientation == "samples-rows":
        frame = _samples_rows(path, header.line, header_cells, data, layout)
    else:
        frame = _taxa_rows(path, header.line, header_cells, data, layout)
    return _build(path, frame, values or ("percent" if percent_signs else None))


@dataclass
class _Frame:
    lineages: list[Lineage]
    lines: list[int]
    matrix: np.ndarray  # taxa x samples
    samples: list[str]
    has_ids: bool
    unclassified: np.ndarray
    metadata: pd.DataFrame | None = None


def _number(text: str, path: Path, line: int, sample: str) -> float:
    text = text.strip().strip('"')
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError as err:
        msg = f"expected a number for sample {sample!r}, found {text[:40]!r}"
        raise ProfileFormatError(msg, path=path, line=line) from err
    if not math.isfinite(value):
        msg = f"expected a finite number for sample {sample!r}, found {text!r}"
        raise ProfileFormatError(msg, path=path, line=line)
    if value < 0:
        msg = f"abundance must not be negative, found {value:g} for sample {sample!r}"
        raise ProfileFormatError(msg, path=path, line=line)
    return value


def _column_numbers(cells: np.ndarray) -> np.ndarray | None:
    """A column of text cells as floats (empty = 0), or ``None`` if any cell is not a number."""
    try:
        return np.where(cells == "", "0", cells).astype(float)
    except ValueError:
        return None


def _checked(
    numbers: np.ndarray | None, cells: np.ndarray, path: Path, lines: list[int], sample: str
) -> np.ndarray:
    """Finite non-negative values, or the error naming the first bad cell."""
    if numbers is not None and np.all(np.isfinite(numbers)) and np.all(numbers >= 0):
        return numbers
    return np.array([_number(c, path, line, sample) for c, line in zip(cells, lines, strict=True)])


def _lineage(text: str, path: Path, line: int, plain_rank: str | None) -> Lineage:
    try:
        if plain_rank is not None and not looks_like_lineage(text):
            return Lineage.from_mapping({plain_rank: text})
        if is_unclassified(text):
            return Lineage(())
        if not looks_like_lineage(text):
            msg = (
                f"cannot read the taxon {text[:60]!r}; expected a lineage such as "
                "'k__Bacteria|p__Bacillota|g__Blautia'"
            )
            raise ProfileFormatError(msg, path=path, line=line)
        return parse_lineage(text)
    except ValueError as err:
        if isinstance(err, ProfileFormatError):
            raise
        raise ProfileFormatError(
            f"cannot read the taxon {text[:60]!r}: {err}", path=path, line=line
        ) from err


def _rank_cell(text: str) -> str:
    """A rank-column cell; cells without a letter (``-1``, ``0``) mean unassigned."""
    return text if re.search(r"[A-Za-z]", text) else ""


def _check_ids(path: Path, line: int, names: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            raise ProfileFormatError(f"{what} {position} has no name", path=path, line=line)
        if name in seen:
            msg = f"{what} {name!r} is named twice (columns {seen[name]} and {position})"
            raise ProfileFormatError(msg, path=path, line=line)
        seen[name] = position


def _taxa_rows(
    path: Path, header_line: int, header: list[str], data: list[Row], layout: Layout
) -> _Frame:
    descriptor = set(layout.rank_columns) | (
        {layout.lineage_column} if layout.lineage_column is not None else set()
    )
    value_columns: list[int] = []
    columns: list[np.ndarray] = []
    id_column: int | None = None
    grid = np.array([r.cells for r in data], dtype=object).reshape(len(data), len(header))
    lines_of = [r.line for r in data]
    for col, name in enumerate(header):
        if col in descriptor or name.strip().lower() in _ANNOTATIONS:
            continue
        numbers = _column_numbers(grid[:, col])
        if numbers is None:
            cells = [c for c in grid[:, col] if c.strip()]
            if not cells or sum(map(is_number, cells)) < 0.5 * len(cells):
                if col == 0 and cells:
                    id_column = col
                continue
        numbers = _checked(numbers, grid[:, col], path, lines_of, name.strip())
        value_columns.append(col)
        columns.append(numbers)
    if not value_columns:
        msg = "no sample columns of numbers found beside the taxa"
        raise ProfileFormatError(msg, path=path, line=header_line)
    samples = [header[c].strip() for c in value_columns]
    _check_ids(path, header_line, samples, "sample column")
    ranks = [header[c] for c in layout.rank_columns]
    lineages: list[Lineage] = []
    lines: list[int] = []
    for row in data:
        if layout.rank_columns:
            try:
                names = [_rank_cell(row.cells[c]) for c in layout.rank_columns]
                lineage = parse_lineage(names, ranks=ranks)
            except ValueError as err:
                msg = f"cannot build a lineage from the rank columns: {err}"
                raise ProfileFormatError(msg, path=path, line=row.line) from err
        else:
            assert layout.lineage_column is not None
            lineage = _lineage(row.cells[layout.lineage_column], path, row.line, layout.plain_rank)
        lineages.append(lineage)
        lines.append(row.line)
    if id_column is not None:
        first: dict[str, int] = {}
        for row in data:
            key = row.cells[id_column]
            if key in first:
                msg = f"id {key!r} appears twice (first on line {first[key]})"
                raise ProfileFormatError(msg, path=path, line=row.line)
            first[key] = row.line
    matrix = np.column_stack(columns).reshape(len(data), len(samples))
    return _Frame(lineages, lines, matrix, samples, id_column is not None, np.zeros(len(samples)))


def _samples_rows(
    path: Path, header_line: int, header: list[str], data: list[Row], layout: Layout
) -> _Frame:
    samples = [r.cells[0].strip() for r in data]
    first: dict[str, int] = {}
    for row, sample in zip(data, samples, strict=True):
        if not sample:
            raise ProfileFormatError(
                "empty sample id in the first column", path=path, line=row.line
            )
        if sample in first:
            msg = f"sample {sample!r} appears twice (first on line {first[sample]})"
            raise ProfileFormatError(msg, path=path, line=row.line)
        first[sample] = row.line
    taxon_columns: list[int] = []
    unclassified_columns: list[int] = []
    meta_columns: list[int] = []
    for col in range(1, len(header)):
        name = header[col]
        if is_unclassified(name):
            unclassified_columns.append(col)
        elif layout.plain_rank is not None or looks_like_lineage(name):
            taxon_columns.append(col)
        else:
            meta_columns.append(col)
    lineages = [_lineage(header[c], path, header_line, layout.plain_rank) for c in taxon_columns]
    matrix = np.array(
        [[_number(r.cells[c], path, r.line, r.cells[0]) for r in data] for c in taxon_columns],
        dtype=float,
    ).reshape(len(taxon_columns), len(samples))
    unclassified = np.array(
        [
            sum(_number(r.cells[c], path, r.line, r.cells[0]) for c in unclassified_columns)
            for r in data
        ]
    )
    metadata = None
    if meta_columns:
        metadata = pd.DataFrame(
            {header[c]: [r.cells[c] for r in data] for c in meta_columns}, index=samples
        )
    return _Frame(
        lineages, [header_line] * len(lineages), matrix, samples, False, unclassified, metadata
    )


def _build(path: Path, frame: _Frame, values: ValueKind | None) -> ProfileTable:
    keys = [str(lin) for lin in frame.lineages]
    classified = [i for i, lin in enumerate(frame.lineages) if len(lin) > 0]
    assigned = set(classified)
    unclassified = frame.unclassified + frame.matrix[
        [i for i in range(len(keys)) if i not in assigned]
    ].sum(axis=0)
    present = {keys[i] for i in classified}
    multi = [frame.lineages[i] for i in classified if len(frame.lineages[i]) > 1]
    with_parent = sum(str(lin.truncate(lin.levels[-2][0])) in present for lin in multi)
    nested = (
        not frame.has_ids
        and bool(multi)
        and with_parent >= 0.9 * len(multi)
        and _clades_add_up([frame.lineages[i] for i in classified], frame.matrix[classified])
    )
    if not frame.has_ids:
        seen: dict[str, int] = {}
        for i in classified:
            if keys[i] in seen:
                msg = f"taxon {keys[i]!r} appears twice (first on line {seen[keys[i]]})"
                raise ProfileFormatError(msg, path=path, line=frame.lines[i])
            seen[keys[i]] = frame.lines[i]
    lineages = [frame.lineages[i] for i in classified]
    matrix = frame.matrix[classified]
    if nested:
        top = min(RANKS.index(lin.rank) for lin in lineages)
        is_top = np.array([RANKS.index(lin.rank) == top for lin in lineages])
        totals = matrix[is_top].sum(axis=0) + unclassified
    else:
        totals = matrix.sum(axis=0) + unclassified
    kind = values or _value_kind(path, frame, totals)
    source = SourceInfo(format="table")
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="table")
    if nested:
        return ProfileTable.from_clades(
            lineages,
            matrix,
            frame.samples,
            source=source,
            provenance=provenance,
            kind=kind,
            unclassified=unclassified,
            metadata=frame.metadata,
        )
    if unclassified.any():
        lineages = [*lineages, Lineage(())]
        matrix = np.vstack([matrix, unclassified])
    return ProfileTable.from_leaves(
        lineages,
        matrix,
        frame.samples,
        source=source,
        provenance=provenance,
        kind=kind,
        metadata=frame.metadata,
    )


def _clades_add_up(lineages: list[Lineage], matrix: np.ndarray) -> bool:
    """Whether every listed parent holds at least the sum of its listed children (a clade
    table), allowing for the rounding of printed values."""
    row = {str(lin): i for i, lin in enumerate(lineages)}
    children = np.zeros_like(matrix)
    for i, lin in enumerate(lineages):
        if len(lin) > 1:
            parent = row.get(str(lin.truncate(lin.levels[-2][0])))
            if parent is not None:
                children[parent] += matrix[i]
    scale = matrix.max(axis=0, initial=0.0)
    return bool(np.all(children <= matrix * (1 + 1e-3) + 1e-4 * scale))


def _value_kind(path: Path, frame: _Frame, totals: np.ndarray) -> ValueKind:
    every = np.concatenate([frame.matrix.ravel(), frame.unclassified])
    whole = bool(np.all(np.abs(every - np.round(every)) < _COUNT_TOL))
    used = totals > 0
    if whole:
        return "percent" if used.any() and np.all(totals[used] == 100) else "count"
    if np.all(np.abs(totals[used] - 1.0) <= 0.05):
        return "fraction"
    if np.all(np.abs(totals[used] - 100.0) <= 5.0):
        return "percent"
    if np.all(totals[used] <= 1.05):
        label, expected, option = "fractions", 1.0, "fraction"
    elif np.all(totals[used] <= 105.0):
        label, expected, option = "percentages", 100.0, "percent"
    else:
        label, expected, option = "normalised counts", math.nan, "count"
    bad = next(
        (
            (s, t)
            for s, t in zip(frame.samples, totals, strict=True)
            if t > 0 and not abs(t - expected) <= 0.05 * expected
        ),
        (frame.samples[0], float(totals[0])),
    )
    wanted = "a whole number" if math.isnan(expected) else f"{expected:g}"
    msg = (
        f"values are not whole numbers, so they look like {label}, but sample {bad[0]!r} sums "
        f"to {bad[1]:.4g} (expected {wanted}); if the values are right, give "
        f"values='{option}' to gutlens.io.formats.table.read_table"
    )
    raise ProfileFormatError(msg, path=path)


register(
    Format(
        name="table",
        title="Generic CSV/TSV/XLSX abundance table (lineages or rank columns; either orientation)",
        sniff=_sniff,
        read=read_table,
        priority=90,
        extensions=(".csv", ".tsv", ".txt", ".xlsx"),
    )
)
