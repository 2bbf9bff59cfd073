"""FASTQ and FASTA files given where a profile is expected: refused with what to do instead.

Raw reads are not a taxonomic profile; ``gutlens reads R1 [R2] -o profile.tsv`` classifies them
into one. FASTA files that are reference databases rather than a sample's reads are told apart
and refused with their own message:

* DADA2 ``assignTaxonomy`` training sets: headers are lineages (``>Bacteria;Bacillota;...;``);
* DADA2 ``addSpecies`` sets: every header is ``>ID Genus species``;
* other reference sequence sets: sequences far longer than reads (median over 1,000 nt, as
  full-length 16S genes or genomes are) in the file's head.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from gutlens.errors import ReadsInputError
from gutlens.io._head import Head, peek
from gutlens.io._registry import Format, register
from gutlens.model import ProfileTable

__all__ = ["describe_sequences"]

_BASES = re.compile(r"^[ACGTUNRYSWKMBDHV.\-*]+$", re.IGNORECASE)
_SPECIES_HEADER = re.compile(r"^>\S+ [A-Z][a-z]+ \S+$")
_REFERENCE_LENGTH = 1000
_PAIR = re.compile(r"(_R|_|\.)([12])(_\d{3})?(\.f(?:ast)?q)", re.IGNORECASE)


def _records(head: Head) -> list[tuple[str, int]]:
    """FASTA headers in the head with their sequence lengths (the last may be cut)."""
    records: list[tuple[str, int]] = []
    for line in head.lines:
        if line.startswith(">"):
            records.append((line, 0))
        elif records and line.strip():
            name, length = records[-1]
            records[-1] = (name, length + len(line.strip()))
    return records


def _is_fastq(lines: list[str]) -> bool:
    lines = [ln for ln in lines[:8] if ln.strip()]
    return (
        len(lines) >= 4
        and lines[0].startswith("@")
        and bool(_BASES.match(lines[1].strip()))
        and lines[2].startswith("+")
    )


def _is_fasta(lines: list[str]) -> bool:
    lines = [ln for ln in lines[:6] if ln.strip()]
    return len(lines) >= 2 and lines[0].startswith(">") and bool(_BASES.match(lines[1].strip()))


def _sniff(head: Head) -> bool:
    if head.kind not in ("text", "gzip-text"):
        return False
    return _is_fastq(head.lines) or _is_fasta(head.lines)


def describe_sequences(head: Head) -> str:
    """What a FASTQ/FASTA file is: ``"reads"``, ``"dada2-training"``, ``"dada2-species"`` or
    ``"reference"`` (long reference sequences)."""
    if _is_fastq(head.lines):
        return "reads"
    records = _records(head)
    complete = records[:-1] if len(records) > 1 else records
    headers = [name for name, _ in complete] or [name for name, _ in records]
    if headers and all(h.count(";") >= 3 for h in headers):
        return "dada2-training"
    if headers and all(_SPECIES_HEADER.match(h) for h in headers):
        return "dada2-species"
    lengths = [length for _, length in complete]
    if lengths and statistics.median(lengths) > _REFERENCE_LENGTH:
        return "reference"
    return "reads"


def _command_files(path: Path) -> str:
    """``R1 R2`` for a file of a read pair (named ``..._R1_...``/``...1.fastq``), else ``R1``."""
    match = _PAIR.search(path.name)
    if match is None:
        return f"{path.name} [R2]"
    mates = {"1": "2", "2": "1"}
    mate = path.name[: match.start(2)] + mates[match.group(2)] + path.name[match.end(2) :]
    first, second = (path.name, mate) if match.group(2) == "1" else (mate, path.name)
    return f"{first} {second}"


def _refuse(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    head = peek(path)
    kind = describe_sequences(head)
    what = "FASTQ" if _is_fastq(head.lines) else "FASTA"
    if kind == "reads":
        msg = (
            f"these are raw sequencing reads ({what}), not a taxonomic profile; "
            f"'gutlens reads {_command_files(path)} -o profile.tsv' turns them into a profile"
        )
    elif kind == "dada2-training":
        msg = (
            "this is a reference database (a DADA2 assignTaxonomy training set: FASTA headers "
            "are lineages), not a sample; give a sample's reads or its profile instead"
        )
    elif kind == "dada2-species":
        msg = (
            "this is a reference database (a DADA2 addSpecies set: '>ID Genus species' headers),"
            " not a sample; give a sample's reads or its profile instead"
        )
    else:
        msg = (
            f"this FASTA holds long sequences (median over {_REFERENCE_LENGTH} nt), as a "
            "reference database or genome does, not a sample's reads or profile"
        )
    raise ReadsInputError(msg, path=path)


register(
    Format(
        name="reads",
        title="FASTQ/FASTA reads (refused: run 'gutlens reads' to make a profile first)",
        sniff=_sniff,
        read=_refuse,
        priority=5,
        extensions=(".fastq", ".fq", ".fasta", ".fa", ".fna", ".gz"),
    )
)
