"""Kraken 2 sample reports (``kraken2 --report``), with or without ``--report-minimizer-data``.

Kraken 2 (Wood, Lu & Langmead 2019, Genome Biol, doi:10.1186/s13059-019-1891-0) writes one row
per taxon: percent of all fragments, clade reads, direct reads, (minimizers, distinct
minimizers,) rank code, NCBI taxid and the indented name; the layout and its checks are in
:mod:`gutlens.io.formats._kreport`.

Abundances are clade reads over the root's clade reads (everything classified); the ``U`` row's
reads give the unclassified share. The report states neither the Kraken version nor the database,
so both are left empty. The sample id is the file name without its report suffixes.

Kraken and Bracken reports share this layout. The sniffer calls a report Kraken's when it has a
``U`` row or reads assigned directly to a taxon that has children (Bracken's reports have
neither); ``--format kraken2`` reads either kind.
"""

from __future__ import annotations

from pathlib import Path

from gutlens.io._head import Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._kreport import build_table, parse_kreport, sniff_kreport
from gutlens.model import ProfileTable

__all__ = ["read_kraken2"]


def _sniff(head: Head) -> bool:
    return sniff_kreport(head) == "kraken2"


def read_kraken2(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a Kraken 2 report (6 columns, or 8 with ``--report-minimizer-data``).

    Raises
    ------
    ProfileFormatError
        On a malformed row, a non-numeric, fractional or negative count, a repeated taxid,
        indentation that jumps, clade counts that do not add up, percentages that disagree
        with the counts, or a file cut mid-line.
    """
    report = parse_kreport(path)
    return build_table(path, report, format_name="kraken2", tool="Kraken 2")


register(
    Format(
        name="kraken2",
        title="Kraken 2 reports (--report, optionally --report-minimizer-data)",
        sniff=_sniff,
        read=read_kraken2,
        priority=30,
        extensions=(".kreport", ".k2report", ".report", ".txt"),
    )
)
