"""CAMI (Bioboxes) taxonomic profiling format, as written by mOTUs and the CAMI challenge tools.

The format (Sczyrba et al. 2017, Nat Methods, doi:10.1038/nmeth.4458; Bioboxes profiling
format 0.9) is one block per sample::

    @SampleID:<id>
    @Version:0.9.3
    @Ranks:superkingdom|phylum|class|order|family|genus|species|strain
    @@TAXID<TAB>RANK<TAB>TAXPATH<TAB>TAXPATHSN<TAB>PERCENTAGE
    2<TAB>superkingdom<TAB>2<TAB>Bacteria<TAB>99.94

``TAXPATH`` and ``TAXPATHSN`` list the taxids and names from the top rank down to the row's
rank (one entry per rank in ``@Ranks``; empty where the rank is undefined). ``PERCENTAGE`` is the
taxon's share of the sample at its rank. A file may hold several blocks (samples); each starts
with ``@SampleID``. ``#`` lines are comments; mOTUs writes its version and databases there.

Reading: each row becomes one clade with the lineage its ``TAXPATHSN`` names. Rows whose
TAXID is ``-1`` or whose name is ``unassigned`` (mOTUs' unassigned fraction) are the
unclassified share at their rank; the one at the top rank becomes the sample's unclassified
share. Percentages are divided by the top rank's total (the classified part). A sample called
``unnamed sample`` (mOTUs' default) or left empty takes the file name (numbered when a file holds
several such blocks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, read_lines
from gutlens.io._registry import Format, register
from gutlens.io.formats._common import parse_abundance, sample_id_from_path
from gutlens.io.formats._kreport import ends_with_newline
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256
from gutlens.taxonomy import RANKS, Lineage, clean_name, normalise_rank

__all__ = ["read_cami"]

_REQUIRED = ("TAXID", "RANK", "TAXPATH", "TAXPATHSN", "PERCENTAGE")
_UNNAMED = frozenset({"", "unnamed sample"})
_UNASSIGNED = frozenset({"unassigned", "unknown", "unclassified"})
_MOTUS = re.compile(r"motus version\s+(\S+)", re.IGNORECASE)
_GENE_DB = re.compile(r"gene database:\s*(\S+)", re.IGNORECASE)
_TOLERANCE = 1.0  # percentage points a rank's total may exceed 100


@dataclass
class _Block:
    line: int
    sample_id: str
    header: dict[str, str] = field(default_factory=dict)
    ranks: list[str] | None = None
    columns: dict[str, int] | None = None
    values: dict[Lineage, float] = field(default_factory=dict)
    taxids: dict[Lineage, str] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    rank_totals: dict[str, float] = field(default_factory=dict)
    unassigned: dict[str, float] = field(default_factory=dict)


def _sniff(head: Head) -> bool:
    lines = [ln.strip() for ln in head.lines if ln.strip()][:40]
    if any(ln.upper().startswith("@@TAXID") for ln in lines):
        return True
    keys = {ln.split(":", 1)[0].strip().upper() for ln in lines if ln.startswith("@")}
    return {"@SAMPLEID", "@RANKS"} <= keys


def read_cami(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a CAMI profiling-format file (one or several samples).

    Raises
    ------
    ProfileFormatError
        On a data row before the ``@@TAXID`` header, a header missing a required column, a rank
        not in ``@Ranks`` or not known to gutlens, a ``TAXPATH``/``TAXPATHSN`` that does not
        reach the row's rank, a non-numeric or negative percentage, a repeated TAXID in a
        sample, or a rank whose percentages add up to more than 100.
    """
    lines = read_lines(path)
    if not any(ln.strip() for ln in lines):
        raise ProfileFormatError("file is empty; expected a CAMI profile", path=path)
    if not ends_with_newline(path):
        msg = "the last line does not end with a newline: the file looks truncated"
        raise ProfileFormatError(msg, path=path, line=len(lines))
    comments: list[str] = []
    blocks: list[_Block] = []
    pending: dict[str, str] = {}
    pending_lines: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            comments.append(line)
            continue
        if line.startswith("@@"):
            block = _current(blocks, path, number, "the @@TAXID column header")
            block.columns = _columns(line, path, number)
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "sampleid":
                block = _Block(line=number, sample_id=value, header=dict(pending))
                if "ranks" in pending:
                    block.ranks = _ranks(pending["ranks"], path, pending_lines["ranks"])
                blocks.append(block)
                pending.clear()
                continue
            if not blocks or blocks[-1].columns is not None:
                # before a sample's @SampleID (some writers put @Version first): keep it for
                # the next sample
                pending[key] = value
                pending_lines[key] = number
                continue
            blocks[-1].header[key] = value
            if key == "ranks":
                blocks[-1].ranks = _ranks(value, path, number)
            continue
        block = _current(blocks, path, number, "a data row")
        _row(block, line, path, number)
    if not blocks:
        raise ProfileFormatError("no @SampleID line; expected a CAMI profile", path=path)
    for block in blocks:
        if block.columns is None:
            msg = (
                f"sample {block.sample_id or 'on line ' + str(block.line)!r} has no "
                "@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE header"
            )
            raise ProfileFormatError(msg, path=path, line=block.line)
        _check_totals(block, path)
    return _build(path, blocks, comments)


def _current(blocks: list[_Block], path: Path, number: int, what: str) -> _Block:
    if not blocks:
        msg = f"{what} before any @SampleID line; a CAMI profile starts each sample with @SampleID"
        raise ProfileFormatError(msg, path=path, line=number)
    return blocks[-1]


def _columns(line: str, path: Path, number: int) -> dict[str, int]:
    names = [f.strip().upper() for f in line[2:].split("\t")]
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        hint = " (the header is not tab-separated)" if len(names) == 1 else ""
        msg = (
            f"the @@ header lacks {', '.join(missing)}; expected "
            f"@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE{hint}"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    return {name: names.index(name) for name in _REQUIRED}


def _ranks(value: str, path: Path, number: int) -> list[str]:
    ranks = [r.strip() for r in value.split("|")]
    unknown = [r for r in ranks if normalise_rank(r) is None]
    if unknown or not value:
        msg = (
            f"@Ranks names rank(s) gutlens does not know: {', '.join(unknown) or '(none)'}; "
            f"expected ranks among superkingdom, {', '.join(RANKS[1:])}"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    return ranks


def _row(block: _Block, line: str, path: Path, number: int) -> None:
    if block.columns is None:
        msg = (
            "data row before the @@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE header of its sample"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    if block.ranks is None:
        raise ProfileFormatError("data row before the @Ranks line", path=path, line=number)
    fields = line.split("\t")
    if len(fields) <= max(block.columns.values()):
        hint = " (the columns seem to be separated by spaces)" if " " in line else ""
        msg = f"expected {len(_REQUIRED)} tab-separated columns, found {len(fields)}{hint}"
        raise ProfileFormatError(msg, path=path, line=number)
    cols = block.columns
    taxid = fields[cols["TAXID"]].strip()
    rank_text = fields[cols["RANK"]].strip()
    path_ids = fields[cols["TAXPATH"]].strip().split("|")
    path_names = fields[cols["TAXPATHSN"]].strip().split("|")
    percent = parse_abundance(fields[cols["PERCENTAGE"]], path=path, line=number, what="percentage")
    if percent > 100.0 + 1e-6:
        msg = f"percentage {percent:g} is more than 100"
        raise ProfileFormatError(msg, path=path, line=number)
    if rank_text not in block.ranks:
        msg = f"rank {rank_text!r} is not one of the @Ranks ({'|'.join(block.ranks)})"
        raise ProfileFormatError(msg, path=path, line=number)
    own_name = path_names[-1].strip() if path_names else ""
    if taxid == "-1" or own_name.lower() in _UNASSIGNED:
        block.unassigned[rank_text] = block.unassigned.get(rank_text, 0.0) + percent
        return
    depth = block.ranks.index(rank_text) + 1
    if len(path_ids) != depth or len(path_names) != depth:
        msg = (
            f"TAXPATH has {len(path_ids)} and TAXPATHSN {len(path_names)} levels; a {rank_text} "
            f"row lists {depth} ({'|'.join(block.ranks[:depth])})"
        )
        raise ProfileFormatError(msg, path=path, line=number)
    if taxid in block.seen:
        msg = f"TAXID {taxid} appears twice in sample (first on line {block.seen[taxid]})"
        raise ProfileFormatError(msg, path=path, line=number)
    block.seen[taxid] = number
    if not clean_name(own_name):
        msg = f"TAXPATHSN gives no name for TAXID {taxid} at rank {rank_text}"
        raise ProfileFormatError(msg, path=path, line=number)
    try:
        lineage = Lineage.from_mapping(dict(zip(block.ranks[:depth], path_names, strict=True)))
    except ValueError as err:
        raise ProfileFormatError(
            f"cannot build the lineage: {err}", path=path, line=number
        ) from err
    block.values[lineage] = block.values.get(lineage, 0.0) + percent
    block.taxids.setdefault(lineage, taxid)
    block.rank_totals[rank_text] = block.rank_totals.get(rank_text, 0.0) + percent


def _check_totals(block: _Block, path: Path) -> None:
    for rank in block.ranks or []:
        total = block.rank_totals.get(rank, 0.0) + block.unassigned.get(rank, 0.0)
        if total > 100.0 + _TOLERANCE:
            msg = (
                f"sample {block.sample_id!r}: percentages at rank {rank} add up to {total:.2f}, "
                "more than 100"
            )
            raise ProfileFormatError(msg, path=path, line=block.line)


def _sample_ids(path: Path, blocks: list[_Block]) -> list[str]:
    stem = sample_id_from_path(path)
    for suffix in (".profile", ".cami"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    unnamed = sum(block.sample_id.lower() in _UNNAMED for block in blocks)
    ids: list[str] = []
    counter = 0
    for block in blocks:
        if block.sample_id.lower() in _UNNAMED:
            counter += 1
            ids.append(stem if unnamed == 1 else f"{stem}-{counter}")
        else:
            ids.append(block.sample_id)
    seen: dict[str, int] = {}
    for sample, block in zip(ids, blocks, strict=True):
        if sample in seen:
            msg = f"@SampleID {sample!r} is used twice (first on line {seen[sample]})"
            raise ProfileFormatError(msg, path=path, line=block.line)
        seen[sample] = block.line
    return ids


def _build(path: Path, blocks: list[_Block], comments: list[str]) -> ProfileTable:
    sample_ids = _sample_ids(path, blocks)
    index: dict[Lineage, int] = {}
    taxids: list[str | None] = []
    for block in blocks:
        for lineage in block.values:
            if lineage not in index:
                index[lineage] = len(index)
                taxids.append(block.taxids[lineage])
    matrix = np.zeros((len(index), len(blocks)))
    classified = np.zeros(len(blocks))
    unclassified = np.zeros(len(blocks))
    for column, block in enumerate(blocks):
        for lineage, value in block.values.items():
            matrix[index[lineage], column] = value
        assert block.ranks is not None
        top = next(
            (r for r in block.ranks if r in block.rank_totals or r in block.unassigned), None
        )
        if top is not None:
            classified[column] = block.rank_totals.get(top, 0.0)
            unclassified[column] = block.unassigned.get(top, 0.0)
    text = "\n".join(comments)
    motus = _MOTUS.search(text)
    gene_db = _GENE_DB.search(text)
    program = next(
        (b.header.get("__program__") for b in blocks if b.header.get("__program__")), None
    )
    tool = "mOTUs" if motus else program
    source = SourceInfo(
        format="cami",
        tool=tool,
        tool_version=motus.group(1) if motus else None,
        database=gene_db.group(1) if gene_db else None,
    )
    metadata = pd.DataFrame(
        {
            "cami_version": [b.header.get("version") for b in blocks],
            "taxonomy_id": [b.header.get("taxonomyid") for b in blocks],
        },
        index=pd.Index(sample_ids),
    )
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format="cami")
    return ProfileTable.from_clades(
        list(index),
        matrix,
        sample_ids,
        source=source,
        provenance=provenance,
        kind="percent",
        unclassified=unclassified,
        classified_total=classified,
        taxids=taxids,
        metadata=metadata,
    )


register(
    Format(
        name="cami",
        title="CAMI / Bioboxes taxonomic profiling format (mOTUs, OPAL inputs)",
        sniff=_sniff,
        read=read_cami,
        priority=25,
        extensions=(".profile", ".txt", ".tsv"),
    )
)
