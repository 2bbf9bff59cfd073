"""BIOHM Gut Test raw-data Excel export (Ion Torrent 16S, 2021).

One sheet, two columns. The first rows are QIIME-mapping-style fields (``#SampleID`` with the
sample id, ``BarcodeSequence``, ``LinkerPrimerSequence``, ``Arrival``, ``Status``,
``Description``), kept as sample metadata. Then come section header rows naming a rank
(``Phylum``, ``Class``, ``Order``, ``Family``, ``Genus``, ``Species``) with an empty second
cell, each followed by Greengenes-style names (``p__Firmicutes``, ``s__Escherichia coli``) with
their read counts.

Rules:

* The file gives no parents, so each taxon's lineage is its own level only (``g__Blautia``);
  analyses by rank (``at_rank``) work as for any profile, lineage-wide roll-ups do not.
* The classified total is the sum of the phylum section (the highest rank listed); relative
  abundance is ``count / classified total``.
* A name listed twice in one section is summed (the real export lists ``g__Clostridium``
  twice: Greengenes has two genera of that name in different families, which the export does
  not tell apart).
* The sheet does not give the number of reads sequenced: the unclassified share is not
  derivable and is left at 0.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance
from gutlens.io.formats._delimited import read_xlsx_rows
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import Lineage, normalise_rank, parse_lineage

__all__ = ["read_biohm"]

_PREFIXED = re.compile(r"^[kpcofgs]__")
_MAPPING_FIELDS = ("#SampleID", "BarcodeSequence", "LinkerPrimerSequence")


def _sniff(head: Head) -> bool:
    if head.kind != "zip" or "xl/workbook.xml" not in head.zip_names:
        return False
    try:
        rows = read_xlsx_rows(head.path)[:3]
    except ProfileFormatError:
        return False
    return [r.cells[0] for r in rows[:3] if r.cells] == list(_MAPPING_FIELDS)


def read_biohm(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a BIOHM raw-data workbook (one sample).

    Raises
    ------
    ProfileFormatError
        On a missing ``#SampleID`` row, a section header with a value, a taxon row before any
        section or with a prefix of another rank, a bad count, or no phylum section.
    """
    rows = read_xlsx_rows(path)
    if not rows or rows[0].cells[0] != "#SampleID" or len(rows[0].cells) < 2:
        msg = "expected '#SampleID' and the sample id in the first row (a BIOHM export)"
        raise ProfileFormatError(msg, path=path, line=rows[0].line if rows else None)
    sample = rows[0].cells[1]
    metadata: dict[str, str] = {}
    section: str | None = None
    counts: dict[Lineage, float] = {}
    for row in rows[1:]:
        label = row.cells[0]
        value = row.cells[1] if len(row.cells) > 1 else ""
        rank = normalise_rank(label)
        if rank is not None and not _PREFIXED.match(label):
            if value:
                msg = (
                    f"section header {label!r} has a value ({value!r}); expected an empty cell "
                    f"and the {label.lower()} names with their counts on the rows below"
                )
                raise ProfileFormatError(msg, path=path, line=row.line)
            section = rank
            continue
        if section is None:
            metadata[label] = value
            continue
        if not _PREFIXED.match(label):
            msg = f"expected a {section} name such as '{section[0]}__Name', found {label!r}"
            raise ProfileFormatError(msg, path=path, line=row.line)
        try:
            lineage = parse_lineage(label)
        except ValueError as err:
            raise ProfileFormatError(
                f"cannot read {label!r}: {err}", path=path, line=row.line
            ) from err
        if lineage.rank != section:
            if not lineage.levels:
                continue  # 'g__' with no name: nothing assigned at this rank
            msg = f"{label!r} is a {lineage.rank} name inside the {section} section"
            raise ProfileFormatError(msg, path=path, line=row.line)
        count = parse_abundance(value, path=path, line=row.line, what="read count")
        counts[lineage] = counts.get(lineage, 0.0) + count
    if not counts:
        raise ProfileFormatError("no taxa rows (p__/g__/s__ names with counts) found", path=path)
    lineages = list(counts)
    values = np.array([counts[lin] for lin in lineages], dtype=float).reshape(-1, 1)
    phylum = [lin.rank == "phylum" for lin in lineages]
    if not any(phylum):
        raise ProfileFormatError("no Phylum section; cannot tell the classified total", path=path)
    classified = values[np.array(phylum)].sum()
    return ProfileTable.from_clades(
        lineages,
        values,
        [sample],
        source=SourceInfo(format="biohm", tool="BIOHM"),
        provenance=Provenance(path=str(path), sha256=file_sha256(path), format="biohm"),
        kind="count",
        classified_total=np.array([classified]),
        metadata=pd.DataFrame([metadata], index=[sample]) if metadata else None,
    )


register(
    Format(
        name="biohm",
        title="BIOHM Gut Test raw-data Excel export",
        sniff=_sniff,
        read=read_biohm,
        priority=25,
        extensions=(".xlsx",),
    )
)
