"""Read the inputs of a command: profile files of any format, or raw 16S reads.

Raw reads (FASTQ, or FASTA reads) among the paths are turned into a profile first with
:func:`gutlens.reads.profile_reads` (with a progress bar), so ``gutlens profile``, ``analyze``,
``report`` and ``compare`` accept sequencer output directly. Read pairs are found by their
Illumina names; when only R1 is given and its R2 lies beside it, the mate is used and the user
is told. Reference databases in FASTA form are still refused (by the ``reads`` format).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gutlens.cli._app import err_console, progress_bar
from gutlens.errors import ReadsInputError
from gutlens.io import peek, read_many, sniff
from gutlens.io.formats.reads_guard import describe_sequences
from gutlens.model import ProfileTable

__all__ = ["read_inputs"]


def _is_reads(path: Path) -> bool:
    try:
        head = peek(path)
        return sniff(path, head).name == "reads" and describe_sequences(head) == "reads"
    except Exception:  # any other problem is reported by the normal reader below
        return False


def _with_mates(files: list[Path]) -> list[Path]:
    """Add the R2 file beside a lone R1 (Illumina ``_R1_``/``_R2_`` names)."""
    out = list(files)
    for path in files:
        if "_R1" in path.name:
            mate = path.with_name(path.name.replace("_R1", "_R2", 1))
            if mate.is_file() and mate not in out:
                err_console.print(f"using {mate.name} as the mate of {path.name}")
                out.append(mate)
    return out


def _profile_reads(files: list[Path]) -> ProfileTable:
    try:
        from gutlens.reads import find_pairs, profile_samples
    except ImportError as err:  # pragma: no cover - the extra is part of `all`
        msg = "reading raw reads needs the 'reads' extra: pip install 'gutlens[reads]'"
        raise ReadsInputError(msg, path=files[0]) from err
    with progress_bar(28) as bar:
        task = bar.add_task("reads", total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, description=f"reads: {stage}", completed=fraction)

        # one classifier load for every sample
        table, _, _ = profile_samples(groups=find_pairs(_with_mates(files)), progress=report)
    return table


def read_inputs(paths: Sequence[Path], *, format: str | None = None) -> ProfileTable:
    """All samples in ``paths`` as one table (raw reads profiled first)."""
    files = [Path(p) for p in paths]
    reads = [p for p in files if format is None and _is_reads(p)]
    others = [p for p in files if p not in reads]
    tables = []
    if others:
        tables.append(read_many(others, format=format))
    if reads:
        tables.append(_profile_reads(reads))
    return ProfileTable.concat(tables)
