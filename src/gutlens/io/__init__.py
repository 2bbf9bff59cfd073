"""Reading profiles: one entry point, one reader per producer format.

>>> from gutlens.io import read_profile
>>> profile = read_profile("SRS014459-Stool_profile.txt")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from gutlens.io._head import Head, peek
from gutlens.io._registry import Format, get_format, list_formats, register, sniff
from gutlens.model import Profile, ProfileTable

__all__ = [
    "Format",
    "Head",
    "get_format",
    "list_formats",
    "peek",
    "read_profile",
    "read_profiles",
    "register",
    "sniff",
]


def read_profiles(path: str | Path, *, format: str | None = None) -> ProfileTable:
    """Read every sample in ``path``.

    Parameters
    ----------
    path : str or Path
        A profile file in any supported format (see :func:`list_formats`).
    format : str, optional
        Skip detection and use this format.

    Raises
    ------
    gutlens.errors.ProfileFormatError
        If the file is not readable as that format; the message names the file and line.
    """
    path = Path(path)
    fmt = get_format(format) if format else sniff(path)
    return fmt.read(path)


def read_profile(
    path: str | Path, *, sample: str | None = None, format: str | None = None
) -> Profile:
    """Read one sample from ``path`` (``sample`` may be omitted for single-sample files)."""
    return read_profiles(path, format=format).profile(sample)
