"""Sample sheets: which read files belong to which sample, for runs of many samples.

A CSV or TSV with a header row naming at least a sample column and an R1 column, and optionally
an R2 column. Accepted header names (any case): sample: ``sample``, ``sample_id``, ``id``;
R1: ``r1``, ``fastq_1``, ``forward``, ``forward-absolute-filepath``; R2: ``r2``, ``fastq_2``,
``reverse``, ``reverse-absolute-filepath`` (the nf-core and QIIME 2 manifest spellings).
Relative paths are taken from the sheet's own folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

from gutlens.errors import ReadsInputError

__all__ = ["read_sample_sheet"]

_SAMPLE = ("sample", "sample_id", "sample-id", "id")
_R1 = ("r1", "fastq_1", "forward", "forward-absolute-filepath")
_R2 = ("r2", "fastq_2", "reverse", "reverse-absolute-filepath")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def read_sample_sheet(path: str | Path) -> list[tuple[str, Path, Path | None]]:
    """``(sample, R1, R2 or None)`` for every row of the sheet at ``path``.

    Raises
    ------
    ReadsInputError
        If the header lacks a sample or R1 column, a row is short, a file does not exist, or a
        sample id repeats (each with the sheet's path and line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ReadsInputError(f"cannot read the sample sheet ({err})", path=path) from err
    rows = list(csv.reader(text.splitlines(), delimiter="\t" if "\t" in text else ","))
    rows = [r for r in rows if any(cell.strip() for cell in r) and not r[0].startswith("#")]
    if not rows:
        raise ReadsInputError("the sample sheet is empty", path=path)
    header = rows[0]
    sample_col, r1_col, r2_col = (
        _column(header, _SAMPLE),
        _column(header, _R1),
        _column(header, _R2),
    )
    if sample_col is None or r1_col is None:
        msg = (
            f"the header {header!r} needs a sample column ({', '.join(_SAMPLE)}) and an R1 "
            f"column ({', '.join(_R1)}); R2 ({', '.join(_R2)}) is optional"
        )
        raise ReadsInputError(msg, path=path, line=1)
    groups: list[tuple[str, Path, Path | None]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        needed = max(c for c in (sample_col, r1_col, r2_col) if c is not None)
        if len(row) <= max(sample_col, r1_col):
            msg = f"expected {needed + 1} columns like the header, found {len(row)}"
            raise ReadsInputError(msg, path=path, line=line)
        sample = row[sample_col].strip()
        if sample in seen:
            msg = f"sample {sample!r} appears twice (first on line {seen[sample]})"
            raise ReadsInputError(msg, path=path, line=line)
        seen[sample] = line
        files: list[Path | None] = []
        for col in (r1_col, r2_col):
            cell = row[col].strip() if col is not None and col < len(row) else ""
            if not cell:
                files.append(None)
                continue
            file = Path(cell) if Path(cell).is_absolute() else path.parent / cell
            if not file.is_file():
                raise ReadsInputError(f"no such reads file {cell!r}", path=path, line=line)
            files.append(file)
        r1 = files[0]
        if r1 is None:
            raise ReadsInputError(f"sample {sample!r} has no R1 file", path=path, line=line)
        groups.append((sample, r1, files[1]))
    return groups
