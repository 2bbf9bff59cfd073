"""Bracken output: re-estimated reports in Kraken layout (``-w``) and the species table (``-o``).

Bracken (Lu, Breitwieser, Thielen & Salzberg 2017, PeerJ Comput Sci, doi:10.7717/peerj-cs.104)
re-distributes the reads Kraken left at higher ranks to the species (or another chosen level)
below them. It writes two files:

* a report in the Kraken layout (:mod:`gutlens.io.formats._kreport`) with no ``U`` row, whose
  direct reads sit only on the leaves; read exactly as a Kraken report (clade reads over the
  root's reads). Bracken does not carry the unclassified reads over, so the unclassified share
  is 0 (not stated).
* a table with the header ``name taxonomy_id taxonomy_lvl kraken_assigned_reads added_reads
  new_est_reads fraction_total_reads``, one row per taxon at one level. Counts are
  ``new_est_reads``; relative abundance is ``new_est_reads`` over their sum. The table has no
  lineage, so each taxon's lineage is its own level only (``s__Name``): the genus is *not*
  guessed from the first word, which would be wrong for NCBI names such as
  ``[Ruminococcus] gnavus``, ``Lachnospiraceae bacterium ...`` or ``uncultured Blautia sp.``.

Telling Bracken's report from Kraken's: a report with a ``U`` row, or with reads assigned
directly to a taxon that has children, is Kraken's; otherwise Bracken's. The file name is not
used. Reports that could be either (everything classified, all reads on leaves) mean the same
thing read either way; ``--format bracken`` and ``--format kraken2`` both read both layouts.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, read_lines
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance
from gutlens.io.formats._kreport import (
    RANK_OF_CODE,
    build_table,
    ends_with_newline,
    kreport_sample_id,
    parse_kreport,
    sniff_kreport,
)
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, clean_name

__all__ = ["SPECIES_TABLE_COLUMNS", "read_bracken"]

#: Header of Bracken's ``-o`` abundance table (Bracken ``est_abundance.py``).
SPECIES_TABLE_COLUMNS = (
    "name",
    "taxonomy_id",
    "taxonomy_lvl",
    "kraken_assigned_reads",
    "added_reads",
    "new_est_reads",
    "fraction_total_reads",
)
_FRACTION_ROUNDING = 0.5e-5 + 1e-9  # fraction_total_reads is printed with "%0.5f"


def _is_table_header(line: str) -> bool:
    return tuple(f.strip() for f in line.split("\t")) == SPECIES_TABLE_COLUMNS


def _sniff(head: Head) -> bool:
    lines = [ln for ln in head.lines if ln.strip()]
    if lines and _is_table_header(lines[0]):
        return True
    return sniff_kreport(head) == "bracken"


def read_bracken(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a Bracken report (Kraken layout) or a Bracken abundance table.

    Raises
    ------
    ProfileFormatError
        On any malformed row: see :mod:`gutlens.io.formats._kreport` for reports; for tables,
        a wrong header or delimiter, a non-numeric or negative count, a repeated taxid,
        ``new_est_reads`` differing from ``kraken_assigned_reads + added_reads``, rows at
        several levels, or ``fraction_total_reads`` that disagrees with the counts.
    """
    lines = read_lines(path)
    first = next((ln for ln in lines if ln.strip()), None)
    if first is not None and first.lower().startswith("name") and "taxonomy_id" in first:
        return _read_table(path, lines)
    report = parse_kreport(path)
    return build_table(path, report, format_name="bracken", tool="Bracken")


def _read_table(path: Path, lines: list[str]) -> ProfileTable:
    if not ends_with_newline(path):
        msg = "the last line does not end with a newline: the file looks truncated"
        raise ProfileFormatError(msg, path=path, line=len(lines))
    header_line = next(i for i, ln in enumerate(lines, start=1) if ln.strip())
    header = lines[header_line - 1]
    if not _is_table_header(header):
        found = header.split("\t")
        hint = " (the columns are not separated by tabs)" if len(found) == 1 else ""
        msg = (
            f"expected the Bracken table header {' '.join(SPECIES_TABLE_COLUMNS)} "
            f"separated by tabs, found {header[:80]!r}{hint}"
        )
        raise ProfileFormatError(msg, path=path, line=header_line)
    names: list[str] = []
    taxids: list[str] = []
    levels: set[str] = set()
    new_reads: list[float] = []
    fractions: list[tuple[int, float]] = []
    seen: dict[str, int] = {}
    for number in range(header_line + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            continue
        fields = raw.split("\t")
        if len(fields) != len(SPECIES_TABLE_COLUMNS):
            msg = f"expected 7 tab-separated columns like the header, found {len(fields)}"
            raise ProfileFormatError(msg, path=path, line=number)
        name, taxid, level = fields[0].strip(), fields[1].strip(), fields[2].strip()
        if not taxid.isdigit():
            msg = f"expected a numeric NCBI taxid in taxonomy_id, found {taxid!r}"
            raise ProfileFormatError(msg, path=path, line=number)
        if taxid in seen:
            msg = f"taxid {taxid} appears twice (first on line {seen[taxid]})"
            raise ProfileFormatError(msg, path=path, line=number)
        seen[taxid] = number
        if level not in RANK_OF_CODE:
            known = ", ".join(RANK_OF_CODE)
            msg = f"taxonomy_lvl {level!r} is not a level gutlens keeps (expected one of {known})"
            raise ProfileFormatError(msg, path=path, line=number)
        counts = [
            parse_abundance(fields[i], path=path, line=number, what=SPECIES_TABLE_COLUMNS[i])
            for i in (3, 4, 5)
        ]
        for column, value in zip((3, 4, 5), counts, strict=True):
            if not value.is_integer():
                msg = (
                    f"expected a whole number of reads in {SPECIES_TABLE_COLUMNS[column]}, "
                    f"found {fields[column].strip()!r}"
                )
                raise ProfileFormatError(msg, path=path, line=number)
        assigned, added, new = counts
        if assigned + added != new:
            msg = (
                f"new_est_reads ({new:.0f}) is not kraken_assigned_reads ({assigned:.0f}) "
                f"plus added_reads ({added:.0f})"
            )
            raise ProfileFormatError(msg, path=path, line=number)
        fraction = parse_abundance(fields[6], path=path, line=number, what="fraction_total_reads")
        clean = clean_name(name, rank=RANK_OF_CODE[level])
        if not clean:
            raise ProfileFormatError("the taxon name is empty", path=path, line=number)
        names.append(clean)
        taxids.append(taxid)
        levels.add(level)
        new_reads.append(new)
        fractions.append((number, fraction))
    if not names:
        raise ProfileFormatError("the Bracken table has a header but no rows", path=path)
    if len(levels) > 1:
        msg = f"rows at several levels ({', '.join(sorted(levels))}); Bracken writes one level"
        raise ProfileFormatError(msg, path=path)
    total = math.fsum(new_reads)
    _check_fractions(path, new_reads, fractions, total)
    rank = RANK_OF_CODE[levels.pop()]
    lineages = [Lineage(((rank, name),)) for name in names]
    source = SourceInfo(format="bracken", tool="Bracken")
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="bracken")
    return ProfileTable.from_clades(
        lineages,
        np.asarray(new_reads, dtype=float).reshape(len(new_reads), 1),
        [kreport_sample_id(path)],
        source=source,
        provenance=provenance,
        kind="count",
        unclassified=np.zeros(1),
        classified_total=np.array([total]),
        taxids=taxids,
    )


def _check_fractions(
    path: Path, new_reads: list[float], fractions: list[tuple[int, float]], total: float
) -> None:
    """``fraction_total_reads`` = new / (Bracken's untruncated total), which lies between the
    sum of the printed counts and that sum plus one read per row (each count was truncated)."""
    upper = total + len(new_reads)
    for new, (number, fraction) in zip(new_reads, fractions, strict=True):
        high = new / total if total > 0 else 0.0
        low = new / upper if upper > 0 else 0.0
        if not (low - _FRACTION_ROUNDING <= fraction <= high + _FRACTION_ROUNDING):
            msg = (
                f"fraction_total_reads {fraction:g} does not match the counts: "
                f"{new:.0f} of {total:.0f} estimated reads is {high:.5f}"
            )
            raise ProfileFormatError(msg, path=path, line=number)


register(
    Format(
        name="bracken",
        title="Bracken re-estimated reports (-w) and abundance tables (-o)",
        sniff=_sniff,
        read=read_bracken,
        priority=30,
        extensions=(".kreport", ".bracken", ".report", ".txt", ".tsv"),
    )
)
