"""Reading FASTQ / FASTA reads (gzip or plain) with dnaio, checked record by record.

Reads are held as padded byte matrices (one row per read) so quality filtering, trimming and
pair merging run as numpy operations over all reads at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gutlens.errors import ReadsInputError

__all__ = ["ReadSet", "find_pairs", "read_pair", "read_single"]

_BAD_BASE = re.compile(rb"[^ACGTNacgtn]")
_PHRED_OFFSET = 33


@dataclass
class ReadSet:
    """Reads of one file: sequences and Phred qualities as padded ``uint8`` matrices.

    Attributes
    ----------
    path : str
    names : list of str
    bases : ndarray, shape (n_reads, max_length)
        Upper-case ASCII bases, padded with ``N``.
    quals : ndarray or None
        Phred scores (0 past each read's end); ``None`` for FASTA input.
    lengths : ndarray of int64
    """

    path: str
    names: list[str]
    bases: np.ndarray
    quals: np.ndarray | None
    lengths: np.ndarray

    def __len__(self) -> int:
        return len(self.names)

    @property
    def has_qualities(self) -> bool:
        """False for FASTA input."""
        return self.quals is not None

    def sequence(self, index: int) -> str:
        """Read ``index`` as a string."""
        return self.bases[index, : self.lengths[index]].tobytes().decode("ascii")

    def subset(self, keep: np.ndarray) -> ReadSet:
        """The reads where ``keep`` is true (or at the given indices)."""
        names = (
            [self.names[i] for i in np.flatnonzero(keep)]
            if keep.dtype == bool
            else [self.names[i] for i in keep]
        )
        return ReadSet(
            self.path,
            names,
            self.bases[keep],
            None if self.quals is None else self.quals[keep],
            self.lengths[keep],
        )


def _padded(chunks: list[bytes], lengths: np.ndarray, fill: int) -> np.ndarray:
    width = int(lengths.max()) if len(lengths) else 0
    matrix = np.full((len(chunks), width), fill, dtype=np.uint8)
    if len(chunks):
        mask = np.arange(width)[None, :] < lengths[:, None]
        matrix[mask] = np.frombuffer(b"".join(chunks), dtype=np.uint8)
    return matrix


def _collect(path: Path, records: list[tuple[str, bytes, bytes | None]]) -> ReadSet:
    names = [name for name, _s, _q in records]
    seqs = [seq for _n, seq, _q in records]
    lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    for number, seq in enumerate(seqs, start=1):
        bad = _BAD_BASE.search(seq)
        if bad is not None:
            msg = (
                f"record {number} ({names[number - 1]}): character {bad.group().decode()!r} "
                f"at position {bad.start() + 1} is not A, C, G, T or N"
            )
            raise ReadsInputError(msg, path=path)
    bases = _padded(seqs, lengths, ord("N"))
    bases = np.where((bases >= ord("a")) & (bases <= ord("z")), bases - 32, bases).astype(np.uint8)
    quals = None
    if records and records[0][2] is not None:
        raw = _padded([q or b"" for _n, _s, q in records], lengths, _PHRED_OFFSET)
        quals = (raw - _PHRED_OFFSET).astype(np.uint8)
    return ReadSet(str(path), names, bases, quals, lengths)


def _open_error(path: Path, err: Exception) -> ReadsInputError:
    if isinstance(err, FileNotFoundError):
        return ReadsInputError("reads file not found", path=path)
    if isinstance(err, EOFError):
        return ReadsInputError(
            "the file ends early (truncated gzip stream?); re-download or re-copy it", path=path
        )
    text = str(err)
    if "Reads are improperly paired" in text or "paired" in text.lower():
        return ReadsInputError(f"R1/R2 files are not proper pairs: {text}", path=path)
    return ReadsInputError(f"not readable as FASTQ/FASTA: {text}", path=path)


def read_single(path: str | Path) -> ReadSet:
    """Read one FASTQ or FASTA file (format and compression detected).

    Raises
    ------
    ReadsInputError
        Missing or truncated file, a malformed record (e.g. quality shorter than sequence),
        or a base other than A, C, G, T, N, naming the file and record.
    """
    import dnaio

    source = Path(path)
    records: list[tuple[str, bytes, bytes | None]] = []
    try:
        with dnaio.open(source, mode="r") as reader:
            for rec in reader:
                records.append(
                    (
                        rec.name,
                        rec.sequence.encode("ascii"),
                        rec.qualities.encode("ascii") if rec.qualities is not None else None,
                    )
                )
    except (dnaio.exceptions.FileFormatError, EOFError, OSError, ValueError) as err:
        raise _open_error(source, err) from err
    if not records:
        raise ReadsInputError("the file holds no reads", path=source)
    return _collect(source, records)


def read_pair(r1: str | Path, r2: str | Path) -> tuple[ReadSet, ReadSet]:
    """Read an R1/R2 pair, checking that both hold the same reads in the same order.

    Raises
    ------
    ReadsInputError
        If the files hold different numbers of reads or differently named reads (the
        record number is given), or either file is malformed.
    """
    first = read_single(r1)
    second = read_single(r2)
    if len(first) != len(second):
        msg = (
            f"R1 holds {len(first)} reads but R2 ({Path(r2).name}) holds {len(second)}: "
            "the files are not a pair, or one is truncated"
        )
        raise ReadsInputError(msg, path=r1)
    for number, (a, b) in enumerate(zip(first.names, second.names, strict=True), start=1):
        if _pair_id(a) != _pair_id(b):
            msg = (
                f"record {number}: R1 read {a.split()[0]!r} and R2 read {b.split()[0]!r} "
                "differ; the files are not in the same order"
            )
            raise ReadsInputError(msg, path=r2)
    return first, second


def _pair_id(name: str) -> str:
    ident = name.split(maxsplit=1)[0] if name else ""
    if ident.endswith(("/1", "/2")):
        ident = ident[:-2]
    return ident


_R1 = re.compile(r"_R1(_\d+)?\.(fastq|fq)(\.gz)?$|_1\.(fastq|fq)(\.gz)?$", re.IGNORECASE)


def find_pairs(paths: list[Path]) -> list[tuple[str, Path, Path | None]]:
    """Group FASTQ files into ``(sample, R1, R2)`` by the Illumina ``_R1_``/``_R2_`` names.

    A file with no ``_R2_`` partner stays single-end (``R2 = None``).
    """
    by_name = {p.name: p for p in paths}
    used: set[str] = set()
    pairs: list[tuple[str, Path, Path | None]] = []
    for path in sorted(paths):
        if path.name in used:
            continue
        match = _R1.search(path.name)
        if match:
            partner = path.name[: match.start()] + match.group(0).replace("_R1", "_R2").replace(
                "_1.", "_2."
            )
            if partner in by_name:
                used.update({path.name, partner})
                sample = path.name[: match.start()]
                pairs.append((_sample_name(sample), path, by_name[partner]))
                continue
        used.add(path.name)
        pairs.append((_sample_name(_strip_ext(path.name)), path, None))
    return pairs


def _strip_ext(name: str) -> str:
    return re.sub(r"\.(fastq|fq|fasta|fa|fna)(\.gz)?$", "", name, flags=re.IGNORECASE)


def _sample_name(stem: str) -> str:
    # Illumina: Sample_S57_L001 -> Sample
    return re.sub(r"_S\d+(_L\d{3})?$", "", stem)
