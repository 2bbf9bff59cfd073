"""Reading profiles: one entry point, one reader per producer format.

>>> from gutlens.io import read_profile
>>> profile = read_profile("SRS014459-Stool_profile.txt")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head, peek
from gutlens.io._registry import Format, get_format, list_formats, register, sniff
from gutlens.model import Profile, ProfileTable

__all__ = [
    "Format",
    "Head",
    "get_format",
    "list_formats",
    "peek",
    "read_many",
    "read_profile",
    "read_profiles",
    "register",
    "sniff",
]


def read_profiles(
    path: str | Path, *, format: str | None = None, taxonomy: str | Path | None = None
) -> ProfileTable:
    """Read every sample in ``path``.

    Parameters
    ----------
    path : str or Path
        A profile file in any supported format (see :func:`list_formats`).
    format : str, optional
        Skip detection and use this format.
    taxonomy : str or Path, optional
        Companion taxonomy file for tables that hold only feature ids (QIIME 2
        ``FeatureData[Taxonomy]`` artifact, DADA2 taxa table).

    Raises
    ------
    gutlens.errors.ProfileFormatError
        If the file is not readable as that format; the message names the file and line.
    """
    path = Path(path)
    fmt = get_format(format) if format else sniff(path)
    if fmt.role == "taxonomy":
        msg = (
            f"this is a taxonomy file ({fmt.title}) without abundances; give it together with "
            "the table it describes"
        )
        raise ProfileFormatError(msg, path=path)
    tax = Path(taxonomy) if taxonomy is not None else None
    return fmt.read(path, taxonomy=tax)


def read_many(paths: Sequence[str | Path], *, format: str | None = None) -> ProfileTable:
    """Read several files into one table, pairing taxonomy companions with their tables.

    Taxonomy-only files among ``paths`` (QIIME 2 ``FeatureData[Taxonomy]``, DADA2 taxa tables)
    are given to every table file in the call; with several taxonomy files, each table is paired
    with the one in its own folder.
    """
    files = [Path(p) for p in paths]
    kinds = {p: (get_format(format) if format else sniff(p)) for p in files}
    taxonomies = [p for p in files if kinds[p].role == "taxonomy"]
    tables = [p for p in files if kinds[p].role != "taxonomy"]
    if not tables:
        msg = "only taxonomy files were given; add the abundance table they describe"
        raise ProfileFormatError(msg, path=files[0] if files else None)
    read: list[ProfileTable] = []
    seen: set[str] = set()
    for table in tables:
        companion: Path | None = None
        if len(taxonomies) == 1:
            companion = taxonomies[0]
        elif taxonomies:
            same = [t for t in taxonomies if t.parent == table.parent]
            companion = same[0] if len(same) == 1 else None
        result = kinds[table].read(table, taxonomy=companion)
        clashes = seen.intersection(result.sample_ids)
        if clashes:
            # the same sample id in two files (one sample run through two tools): keep both
            result.samples.index = pd.Index(
                [f"{s}@{table.name}" if s in clashes else s for s in result.sample_ids],
                name=result.samples.index.name,
            )
        seen.update(result.sample_ids)
        read.append(result)
    return ProfileTable.concat(read)


def read_profile(
    path: str | Path, *, sample: str | None = None, format: str | None = None
) -> Profile:
    """Read one sample from ``path`` (``sample`` may be omitted for single-sample files)."""
    return read_profiles(path, format=format).profile(sample)
