"""Delimited text and spreadsheet rows with their line numbers, for the table readers.

Shared by the DADA2, generic-table and consumer-export readers: every row keeps the 1-based
line (or spreadsheet row) it came from, so errors can name it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from gutlens.errors import ProfileFormatError
from gutlens.io._head import read_lines

__all__ = ["Row", "guess_delimiter", "header_fields", "read_rows", "read_xlsx_rows"]

_DELIMITERS = ("\t", ",", ";")
_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon"}


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a table: its 1-based line number and its cells as text."""

    line: int
    cells: list[str]


def header_fields(line: str, delimiter: str) -> list[str]:
    """The cells of one line, honouring CSV quotes."""
    return next(csv.reader([line], delimiter=delimiter), [])


def guess_delimiter(lines: list[str]) -> str | None:
    """The delimiter (tab, comma or semicolon, tried in that order) that splits the first
    lines into the same number (> 1) of cells, or ``None``."""
    sample = [ln for ln in lines[:50] if ln.strip() and not ln.startswith("#")][:20]
    if not sample:
        return None
    for delimiter in _DELIMITERS:
        counts = {len(header_fields(ln, delimiter)) for ln in sample}
        if len(counts) == 1 and counts.pop() > 1:
            return delimiter
    for delimiter in _DELIMITERS:  # ragged but clearly split (a short last line, say)
        if len(header_fields(sample[0], delimiter)) > 1:
            return delimiter
    return None


def delimiter_name(delimiter: str) -> str:
    """``"tab"``, ``"comma"`` or ``"semicolon"``."""
    return _NAMES.get(delimiter, repr(delimiter))


def read_rows(path: Path, *, delimiter: str | None = None) -> tuple[list[Row], str]:
    """All non-blank rows of a delimited text file (gzip allowed) and the delimiter used.

    Raises
    ------
    ProfileFormatError
        If the file is empty, or no tab, comma or semicolon splits its first line.
    """
    lines = read_lines(path)
    if not any(ln.strip() for ln in lines):
        raise ProfileFormatError("file is empty; expected a table", path=path)
    sep = delimiter or guess_delimiter(lines)
    if sep is None:
        first = next(ln for ln in lines if ln.strip())
        msg = (
            f"expected tab-, comma- or semicolon-separated columns, found {first[:60]!r}"
            " with no such delimiter"
        )
        line = next(i for i, ln in enumerate(lines, 1) if ln.strip())
        raise ProfileFormatError(msg, path=path, line=line)
    rows: list[Row] = []
    text = "\n".join(lines)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            rows.append(Row(number, [c.strip() for c in cells]))
    except csv.Error as err:
        msg = f"cannot split the line into {delimiter_name(sep)}-separated cells ({err})"
        raise ProfileFormatError(msg, path=path, line=reader.line_num) from err
    return rows, sep


def read_xlsx_rows(path: Path) -> list[Row]:
    """Rows of the first sheet of an ``.xlsx`` workbook as text cells (row numbers as lines).

    Raises
    ------
    ProfileFormatError
        If the workbook cannot be opened.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a corrupt file
        msg = f"cannot open as an Excel workbook ({type(err).__name__}: {err})"
        raise ProfileFormatError(msg, path=path) from err
    try:
        sheet = workbook.worksheets[0]
        rows: list[Row] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else _cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if cells and any(c.strip() for c in cells):
                rows.append(Row(number, [c.strip() for c in cells]))
    finally:
        workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
