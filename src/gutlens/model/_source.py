"""Where a profile came from: the producing tool and the file it was read from."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gutlens._version import __version__

__all__ = ["Provenance", "SourceInfo", "file_sha256"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The producer of a profile, as far as the file says.

    Attributes
    ----------
    format : str
        gutlens format name (``"metaphlan"``, ``"kraken2"``, ``"biom"`` ...).
    tool : str or None
        Producing program (``"MetaPhlAn"``, ``"Kraken 2"``, ``"DADA2"``, ``"uBiome"`` ...).
    tool_version : str or None
        Its version, where the file states it (``"4"``, ``"2.1.18"``).
    database : str or None
        Marker or reference database, where the file states it
        (``"mpa_vOct22_CHOCOPhlAnSGB_202403"``).
    """

    format: str
    tool: str | None = None
    tool_version: str | None = None
    database: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Provenance:
    """How a profile was obtained: input checksum, format and the gutlens version that read it."""

    path: str | None
    sha256: str | None
    format: str
    gutlens_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return asdict(self)


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
