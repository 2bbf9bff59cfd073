"""Peek at a file once, safely, so every sniffer can look at the same bytes.

Binary containers are recognised by their magic numbers (gzip, zip, HDF5). Zip archives are
inspected through their central directory only, with limits on member count, total
uncompressed size and nesting, so a hostile archive cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from gutlens.errors import ProfileFormatError

__all__ = [
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_UNCOMPRESSED",
    "Head",
    "check_zip",
    "open_text",
    "peek",
    "read_lines",
]

HEAD_BYTES = 65536
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNCOMPRESSED = 2 * 1024**3  # 2 GiB in all
MAX_COMPRESSION_RATIO = 200

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"
_HDF5 = b"\x89HDF\r\n\x1a\n"


@dataclass
class Head:
    """What sniffers see of a file.

    Attributes
    ----------
    path : Path
    kind : {"text", "gzip-text", "zip", "hdf5", "binary", "empty"}
    text : str or None
        The first ~64 KiB decoded as UTF-8 (after gunzip), for text kinds.
    zip_names : list of str
        Member names, for zip archives.
    """

    path: Path
    kind: str
    text: str | None = None
    zip_names: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """Complete lines of the head text (the last, possibly cut, line is dropped when the
        head was truncated)."""
        if not self.text:
            return []
        lines = self.text.splitlines()
        if len(self.text) >= HEAD_BYTES - 8 and lines:
            lines = lines[:-1]
        return lines


def _decode(data: bytes, path: Path) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 4:  # cut inside a multi-byte character at the head's end
            return data[: err.start].decode("utf-8-sig", errors="strict")
        try:
            return data.decode("latin-1") if _mostly_printable(data) else None
        except UnicodeDecodeError:
            return None


def _mostly_printable(data: bytes) -> bool:
    sample = data[:4096]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 160 for b in sample)
    return printable >= 0.95 * max(1, len(sample))


def check_zip(path: Path, archive: zipfile.ZipFile) -> list[str]:
    """Member names of a zip, refusing archives too large or too compressed to open safely."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        msg = f"zip archive has {len(infos)} members; at most {MAX_ZIP_MEMBERS} are read"
        raise ProfileFormatError(msg, path=path)
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        msg = (
            f"zip archive would unpack to {total / 1024**3:.1f} GiB; "
            f"at most {MAX_ZIP_UNCOMPRESSED / 1024**3:.0f} GiB is read"
        )
        raise ProfileFormatError(msg, path=path)
    for info in infos:
        ratio = info.file_size / info.compress_size if info.compress_size else 0.0
        if ratio > MAX_COMPRESSION_RATIO and info.file_size > 10 * 1024**2:
            msg = f"zip member {info.filename!r} expands {ratio:.0f} times (a zip bomb?); refused"
            raise ProfileFormatError(msg, path=path)
        if info.filename.lower().endswith(".zip"):
            msg = f"zip archive nests another archive ({info.filename!r}); nested zips are not read"
            raise ProfileFormatError(msg, path=path)
    return [info.filename for info in infos]


def peek(path: str | Path) -> Head:
    """Look at the start of ``path`` and classify it.

    Raises
    ------
    ProfileFormatError
        If the file does not exist, is a directory, or is a corrupt gzip or zip.
    """
    path = Path(path)
    if not path.exists():
        raise ProfileFormatError("file not found", path=path)
    if path.is_dir():
        raise ProfileFormatError("is a folder, not a file", path=path)
    with path.open("rb") as handle:
        raw = handle.read(HEAD_BYTES)
    if not raw:
        return Head(path, "empty", text="")
    if raw.startswith(_HDF5):
        return Head(path, "hdf5")
    if raw.startswith((_ZIP, _ZIP_EMPTY)):
        try:
            with zipfile.ZipFile(path) as archive:
                names = check_zip(path, archive)
        except zipfile.BadZipFile as err:
            msg = f"looks like a zip archive but cannot be opened ({err})"
            raise ProfileFormatError(msg, path=path) from err
        return Head(path, "zip", zip_names=names)
    if raw.startswith(_GZIP):
        try:
            with gzip.open(path, "rb") as handle:
                data = handle.read(HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as err:
            msg = f"gzip file is corrupt or truncated ({err})"
            raise ProfileFormatError(msg, path=path) from err
        if data.startswith(_HDF5):
            return Head(path, "binary")
        text = _decode(data, path)
        return Head(path, "gzip-text" if text is not None else "binary", text=text)
    text = _decode(raw, path)
    return Head(path, "text" if text is not None else "binary", text=text)


def open_text(path: str | Path) -> io.TextIOBase:
    """Open a plain or gzipped text file for reading, decoding UTF-8 (BOM tolerated).

    Decoding errors surface as :class:`ProfileFormatError` when the stream is read through
    :func:`read_lines`.
    """
    path = Path(path)
    with path.open("rb") as handle:
        magic = handle.read(2)
    if magic == _GZIP:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="")


def read_lines(path: str | Path) -> list[str]:
    """All lines of a text file (gzip allowed) without line endings.

    Raises
    ------
    ProfileFormatError
        On undecodable bytes (with the line number) or a truncated gzip stream.
    """
    lines: list[str] = []
    try:
        with open_text(path) as handle:
            for line in handle:
                lines.append(line.rstrip("\r\n"))
    except UnicodeDecodeError as err:
        msg = f"not UTF-8 text ({err.reason} at byte {err.start}); is this the right file?"
        raise ProfileFormatError(msg, path=path, line=len(lines) + 1) from err
    except (EOFError, OSError, zlib.error) as err:
        msg = f"file is truncated or corrupt ({err})"
        raise ProfileFormatError(msg, path=path, line=len(lines) + 1) from err
    return lines
