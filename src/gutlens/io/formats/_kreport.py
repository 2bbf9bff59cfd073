"""The Kraken report layout, shared by Kraken 2 ``--report`` and Bracken ``-w`` reports.

One row per taxon, tab-separated (Kraken 2 manual, "Sample Report Output Format"; Wood, Lu &
Langmead 2019, Genome Biol, doi:10.1186/s13059-019-1891-0):

1. percentage of all fragments in the clade, ``%6.2f``
2. fragments in the clade rooted at this taxon (*clade reads*)
3. fragments assigned directly to this taxon (*direct reads*)
4. (``--report-minimizer-data`` only) minimizers in the clade, then distinct minimizers
5. rank code: ``U`` (unclassified), ``R`` (root), ``D``, ``K``, ``P``, ``C``, ``O``, ``F``,
   ``G``, ``S``; other ranks are the closest ancestor's code plus the distance from it
   (``G1``, ``S1``, ``R2``...); Kraken 1 writes ``-`` for them
6. NCBI taxid
7. the scientific name, indented by two spaces per level below the root

The tree is rebuilt from the indentation with a stack. Rank codes ``D``, ``P``, ``C``, ``O``,
``F``, ``G``, ``S`` and ``S1`` become the gutlens ranks kingdom (the domain) ... species and
strain; every other code (``R``, ``R1``, ``K`` for Fungi/Metazoa, ``D1``, ``G1``, ``S2``...) is an
intermediate node: its reads are already in its parent's clade count, so it is not listed, but
the taxa under it still get their full lineage.

Checks: column count and tabs, whole non-negative read counts, one taxid per row, indentation in
steps of two spaces and never more than one level deeper than the row above, each clade count
equal to its direct reads plus its children's clade counts, column 1 agreeing with the counts,
and a final newline (a file cut mid-line is refused).

Bracken writes its re-estimated reads as truncated floats (``"%i"``; Bracken ``est_abundance.py``),
so in a Bracken report a parent's count may exceed the sum of its children's by less than one
read per child, and column 1 is computed from the untruncated values; both checks allow exactly
that slack when the report *looks like Bracken's* (see :func:`bracken_layout`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, open_text, read_lines
from gutlens.io.formats._common import parse_abundance, sample_id_from_path
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, clean_name

__all__ = [
    "Kreport",
    "KreportRow",
    "bracken_layout",
    "build_table",
    "ends_with_newline",
    "kreport_sample_id",
    "parse_kreport",
    "sniff_kreport",
]

#: Kraken rank codes kept as gutlens ranks; all other codes are intermediate nodes.
RANK_OF_CODE: dict[str, str] = {
    "D": "kingdom",
    "P": "phylum",
    "C": "class",
    "O": "order",
    "F": "family",
    "G": "genus",
    "S": "species",
    "S1": "strain",
}
_CODE = re.compile(r"^(?:[URDKPCOFGS]\d{0,2}|-)$")
_TAXID = re.compile(r"^\d+$")
_COLUMNS = "percent, clade reads, direct reads, rank code, taxid, name"
_PERCENT_ROUNDING = 0.0051  # column 1 is printed with two decimals
# extra dotted suffixes producers add to report names ("x.bracken.report.txt", "x.k2report")
_REPORT_SUFFIXES = (".report", ".k2report", ".breport", ".kraken2", ".kraken", ".bracken")


@dataclass(frozen=True, slots=True)
class KreportRow:
    """One parsed report row (``depth``: indentation level, root = 0)."""

    line: int
    percent: float
    clade: float
    direct: float
    code: str
    taxid: str
    depth: int
    name: str


@dataclass
class Kreport:
    """A parsed report: its taxon rows (root and below), the ``U`` row's reads, the layout."""

    rows: list[KreportRow]
    unclassified: float
    has_unclassified_row: bool
    minimizer_columns: bool
    unclassified_row: KreportRow | None = None

    @property
    def root_reads(self) -> float:
        """Clade reads of the root row (0 when nothing was classified)."""
        return self.rows[0].clade if self.rows else 0.0


def _whole(text: str, *, path: Path, line: int, what: str) -> float:
    value = parse_abundance(text, path=path, line=line, what=what)
    if not value.is_integer():
        msg = f"expected a whole number for the {what}, found {text.strip()!r}"
        raise ProfileFormatError(msg, path=path, line=line)
    return value


def _split_row(raw: str, *, path: Path, number: int, expected: int | None) -> list[str]:
    fields = raw.split("\t")
    if len(fields) in (6, 8) and (expected is None or len(fields) == expected):
        return fields
    if expected is not None and len(fields) in (6, 8):
        msg = (
            f"found {len(fields)} tab-separated columns but the rows above have {expected}; "
            "a report has 6 columns, or 8 with --report-minimizer-data, on every row"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    hint = ""
    if len(fields) == 1 and raw.count(",") >= 5:
        hint = " (the columns are separated by commas; a Kraken report uses tabs)"
    elif len(fields) < 6 and len(raw.split()) >= 6:
        hint = " (the columns seem to be separated by spaces; a Kraken report uses tabs)"
    msg = (
        f"expected 6 tab-separated columns ({_COLUMNS}) or 8 with --report-minimizer-data, "
        f"found {len(fields)}{hint}"
    )
    raise ProfileFormatError(msg, path=path, line=number)


def _parse_row(fields: list[str], *, path: Path, number: int) -> KreportRow:
    minimizers = len(fields) == 8
    percent = parse_abundance(fields[0], path=path, line=number, what="percentage (column 1)")
    clade = _whole(fields[1], path=path, line=number, what="clade read count (column 2)")
    direct = _whole(fields[2], path=path, line=number, what="direct read count (column 3)")
    if minimizers:
        _whole(fields[3], path=path, line=number, what="minimizer count (column 4)")
        _whole(fields[4], path=path, line=number, what="distinct minimizer count (column 5)")
    code, taxid, name = fields[-3].strip(), fields[-2].strip(), fields[-1]
    if not _CODE.match(code):
        msg = (
            f"unknown rank code {code!r}; expected U, R, D, K, P, C, O, F, G or S, "
            "optionally followed by a number (G1, S1...)"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    if not _TAXID.match(taxid):
        msg = f"expected a numeric NCBI taxid, found {taxid!r}"
        raise ProfileFormatError(msg, path=path, line=number)
    label = name.rstrip()
    indent = len(label) - len(label.lstrip(" "))
    label = label.strip()
    if not label:
        raise ProfileFormatError("the taxon name (last column) is empty", path=path, line=number)
    if indent % 2:
        msg = f"name indented by {indent} spaces; Kraken indents by 2 spaces per level"
        raise ProfileFormatError(msg, path=path, line=number)
    if direct > clade:
        msg = f"direct reads ({direct:.0f}) exceed the clade reads ({clade:.0f})"
        raise ProfileFormatError(msg, path=path, line=number)
    return KreportRow(number, percent, clade, direct, code, taxid, indent // 2, label)


def ends_with_newline(path: Path) -> bool:
    """Whether the last character of a (plain or gzipped) text file is a line break; a file cut
    mid-line lacks it (Kraken, Bracken and mOTUs end every line with one)."""
    last = ""
    with open_text(path) as handle:
        while chunk := handle.read(1 << 20):
            last = chunk[-1]
    return last in ("\n", "\r")


def parse_kreport(path: Path) -> Kreport:
    """Parse and check a Kraken-layout report.

    Raises
    ------
    ProfileFormatError
        On any of the problems listed in the module docstring, naming the line.
    """
    lines = read_lines(path)
    if not any(ln.strip() for ln in lines):
        raise ProfileFormatError("file is empty; expected a Kraken-style report", path=path)
    if not ends_with_newline(path):
        msg = "the last line does not end with a newline: the file looks truncated"
        raise ProfileFormatError(msg, path=path, line=len(lines))
    width: int | None = None
    rows: list[KreportRow] = []
    unclassified = 0.0
    u_row: KreportRow | None = None
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            msg = (
                "comment line in a Kraken report (KrakenUniq reports and kraken2-inspect "
                "output are not sample reports)"
            )
            raise ProfileFormatError(msg, path=path, line=number)
        fields = _split_row(raw, path=path, number=number, expected=width)
        width = len(fields)
        row = _parse_row(fields, path=path, number=number)
        if row.code == "U":
            if u_row is not None:
                msg = f"a second unclassified (U) row (first on line {u_row.line})"
                raise ProfileFormatError(msg, path=path, line=number)
            if row.depth != 0:
                msg = "the unclassified (U) row must not be indented"
                raise ProfileFormatError(msg, path=path, line=number)
            u_row = row
            unclassified = row.clade
            continue
        if row.taxid in seen:
            msg = f"taxid {row.taxid} appears twice (first on line {seen[row.taxid]})"
            raise ProfileFormatError(msg, path=path, line=number)
        seen[row.taxid] = number
        if not rows:
            if row.depth != 0:
                msg = f"the first taxon row is indented {row.depth} level(s); expected the root"
                raise ProfileFormatError(msg, path=path, line=number)
        elif row.depth == 0:
            msg = (
                f"a second top-level row ({row.name!r}) after the root on line {rows[0].line}; "
                "every taxon must sit under the root"
            )
            raise ProfileFormatError(msg, path=path, line=number)
        elif row.depth > rows[-1].depth + 1:
            msg = (
                f"indentation jumps from level {rows[-1].depth} to level {row.depth}: a taxon "
                "can only be one level deeper than the row above it"
            )
            raise ProfileFormatError(msg, path=path, line=number)
        rows.append(row)
    report = Kreport(rows, unclassified, u_row is not None, width == 8, u_row)
    _check_tree(path, report)
    _check_percentages(path, report)
    return report


def bracken_layout(rows: Sequence[KreportRow], has_unclassified_row: bool) -> bool:
    """Whether a report looks like Bracken's rather than Kraken's.

    Bracken's report has no ``U`` row and only its leaves carry direct reads (every row with
    children has 0 in column 3). A Kraken 2 report nearly always has a ``U`` row and reads
    assigned directly to inner nodes (the root, genera...). The file name is not used.
    """
    if has_unclassified_row or not rows:
        return False
    return all(
        row.direct == 0
        for row, following in itertools.pairwise(rows)
        if following.depth > row.depth
    )


def _check_tree(path: Path, report: Kreport) -> None:
    slack = bracken_layout(report.rows, report.has_unclassified_row)
    rows = report.rows
    children_sum = [0.0] * len(rows)
    children_n = [0] * len(rows)
    stack: list[int] = []

    def close(index: int) -> None:
        row = rows[index]
        missing = row.clade - row.direct - children_sum[index]
        ok = (0 <= missing < max(children_n[index], 1)) if slack else missing == 0
        if not ok:
            msg = (
                f"clade reads of {row.name!r} (taxid {row.taxid}) are {row.clade:.0f}, but its "
                f"direct reads ({row.direct:.0f}) plus its children's clade reads "
                f"({children_sum[index]:.0f}) make {row.direct + children_sum[index]:.0f}; "
                "rows are missing (a truncated file?) or the counts were edited"
            )
            raise ProfileFormatError(msg, path=path, line=row.line)

    for index, row in enumerate(rows):
        while len(stack) > row.depth:
            close(stack.pop())
        if stack:
            children_sum[stack[-1]] += row.clade
            children_n[stack[-1]] += 1
        stack.append(index)
    while stack:
        close(stack.pop())


def _check_percentages(path: Path, report: Kreport) -> None:
    total = report.root_reads + report.unclassified
    if total <= 0:
        return
    tolerance = _PERCENT_ROUNDING
    if bracken_layout(report.rows, report.has_unclassified_row):
        tolerance += 200.0 / total  # Bracken prints truncated reads beside exact percentages
    checked = (
        report.rows if report.unclassified_row is None else [report.unclassified_row, *report.rows]
    )
    for row in checked:
        expected = 100.0 * row.clade / total
        if abs(row.percent - expected) > tolerance:
            msg = (
                f"percentage {row.percent:.2f} (column 1) does not match the reads: "
                f"{row.clade:.0f} of {total:.0f} reads is {expected:.2f} %"
            )
            raise ProfileFormatError(msg, path=path, line=row.line)


def _lineages(path: Path, rows: Sequence[KreportRow]) -> tuple[list[Lineage], list[int]]:
    """Lineages of the rows at kept ranks, and the index of each such row."""
    stack: list[tuple[str, str] | None] = []
    lineages: list[Lineage] = []
    kept: list[int] = []
    for index, row in enumerate(rows):
        del stack[row.depth :]
        rank = RANK_OF_CODE.get(row.code)
        level = None
        if rank is not None:
            name = clean_name(row.name, rank=rank)
            if not name:
                msg = f"taxon name {row.name!r} is empty once cleaned"
                raise ProfileFormatError(msg, path=path, line=row.line)
            level = (rank, name)
        stack.append(level)
        if level is None:
            continue
        try:
            lineage = Lineage(tuple(lv for lv in stack if lv is not None))
        except ValueError as err:
            msg = f"cannot place {row.name!r} (rank code {row.code}) under its parents: {err}"
            raise ProfileFormatError(msg, path=path, line=row.line) from err
        lineages.append(lineage)
        kept.append(index)
    return lineages, kept


def kreport_sample_id(path: Path) -> str:
    """The sample id of a report: the file name without its report suffixes."""
    name = sample_id_from_path(path)
    changed = True
    while changed:
        changed = False
        for suffix in _REPORT_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                changed = True
    return name


def build_table(path: Path, report: Kreport, *, format_name: str, tool: str) -> ProfileTable:
    """A one-sample :class:`ProfileTable` of clade reads from a parsed report.

    Relative abundance is clade reads / root clade reads; the ``U`` row's reads are the
    unclassified part (0 when the report has no ``U`` row, as Bracken's).
    """
    lineages, kept = _lineages(path, report.rows)
    values = np.array([report.rows[i].clade for i in kept], dtype=float).reshape(len(kept), 1)
    source = SourceInfo(format=format_name, tool=tool)
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format=format_name)
    return ProfileTable.from_clades(
        lineages,
        values,
        [kreport_sample_id(path)],
        source=source,
        provenance=provenance,
        kind="count",
        unclassified=np.array([report.unclassified]),
        classified_total=np.array([report.root_reads]),
        taxids=[report.rows[i].taxid for i in kept],
    )


def sniff_kreport(head: Head) -> str | None:
    """``"kraken2"`` or ``"bracken"`` if the head looks like a Kraken-layout report, else None.

    The first lines must all parse as report rows; which producer is decided by
    :func:`bracken_layout` on the rows in the head.
    """
    lines = [ln for ln in head.lines if ln.strip()]
    if not lines:
        return None
    rows: list[KreportRow] = []
    width: int | None = None
    for number, raw in enumerate(lines, start=1):
        try:
            fields = _split_row(raw, path=head.path, number=number, expected=width)
            rows.append(_parse_row(fields, path=head.path, number=number))
        except ProfileFormatError:
            if number <= 3:
                return None
            break
        width = len(fields)
    if not any(row.code in ("U", "R") or row.taxid == "1" for row in rows[:3]):
        return None
    has_u = any(row.code == "U" for row in rows)
    taxa = [row for row in rows if row.code != "U"]
    return "bracken" if bracken_layout(taxa, has_u) else "kraken2"
