"""QIIME 2 artifacts (``.qza``): zip archives holding ``<uuid>/metadata.yaml``, ``<uuid>/VERSION``
and the payload under ``<uuid>/data/``.

Archives are opened with :mod:`zipfile` after :func:`gutlens.io._head.check_zip` has checked
member count, total size, compression ratio and nesting; members are read into memory with a
size bound, never extracted to disk.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from gutlens.errors import ProfileFormatError
from gutlens.io._head import MAX_ZIP_UNCOMPRESSED, check_zip

__all__ = ["Artifact", "is_artifact", "open_artifact", "read_member"]

_ROOT_FILE = re.compile(r"^([^/]+)/(metadata\.yaml|VERSION)$")
_SMALL = 1 << 20  # metadata.yaml and VERSION are a few hundred bytes


@dataclass(frozen=True)
class Artifact:
    """What a ``.qza`` says about itself.

    Attributes
    ----------
    uuid : str
    type : str
        Semantic type, e.g. ``"FeatureTable[Frequency]"``, ``"FeatureData[Taxonomy]"``.
    format : str or None
        Directory format, e.g. ``"BIOMV210DirFmt"``.
    archive_version, framework_version : str or None
        From ``VERSION`` (``archive: 5``, ``framework: 2021.4.0``).
    data : tuple of str
        Payload member names relative to ``<uuid>/data/``.
    """

    uuid: str
    type: str
    format: str | None
    archive_version: str | None
    framework_version: str | None
    data: tuple[str, ...]

    @property
    def tool_version(self) -> str | None:
        """``"2021.4.0 (archive 5)"``: the framework that wrote it and the archive version."""
        if self.framework_version is None:
            return None
        if self.archive_version is None:
            return self.framework_version
        return f"{self.framework_version} (archive {self.archive_version})"


def is_artifact(names: list[str]) -> bool:
    """Whether zip member names have the ``<uuid>/metadata.yaml`` + ``<uuid>/VERSION`` layout."""
    found: dict[str, set[str]] = {}
    for name in names:
        match = _ROOT_FILE.match(name)
        if match:
            found.setdefault(match.group(1), set()).add(match.group(2))
    return any(len(files) == 2 for files in found.values())


def read_member(path: Path, name: str, *, limit: int = MAX_ZIP_UNCOMPRESSED) -> bytes:
    """One member's bytes, refusing members larger than ``limit`` (checked while reading too,
    so a lying size field cannot exhaust memory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(path, archive)
            info = archive.getinfo(name)
            if info.file_size > limit:
                msg = f"member {name!r} is {info.file_size:,} bytes; at most {limit:,} are read"
                raise ProfileFormatError(msg, path=path)
            expected = info.file_size
            with archive.open(info) as handle:
                data = handle.read(expected + 1)
            if len(data) != expected:
                msg = f"member {name!r} holds {len(data):,} bytes, its header says {expected:,}"
                raise ProfileFormatError(msg, path=path)
    except KeyError as err:
        raise ProfileFormatError(f"archive has no member {name!r}", path=path) from err
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        msg = f"zip archive is corrupt or truncated ({err})"
        raise ProfileFormatError(msg, path=path) from err
    return data


def open_artifact(path: Path) -> Artifact:
    """Read an artifact's type and versions.

    Raises
    ------
    ProfileFormatError
        If the file is not a zip, is unsafe to open, or lacks the QIIME 2 layout.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = check_zip(path, archive)
    except (zipfile.BadZipFile, OSError) as err:
        msg = f"not a readable zip archive ({err}); expected a QIIME 2 artifact (.qza)"
        raise ProfileFormatError(msg, path=path) from err
    roots = {m.group(1) for n in names if (m := _ROOT_FILE.match(n))}
    uuid = next((r for r in sorted(roots) if f"{r}/metadata.yaml" in names), None)
    if uuid is None or f"{uuid}/VERSION" not in names:
        shown = ", ".join(names[:4]) + (" ..." if len(names) > 4 else "")
        msg = (
            "zip archive is not a QIIME 2 artifact: expected <uuid>/metadata.yaml and "
            f"<uuid>/VERSION, found {shown or 'no members'}"
        )
        raise ProfileFormatError(msg, path=path)
    try:
        meta = yaml.safe_load(read_member(path, f"{uuid}/metadata.yaml", limit=_SMALL))
        version_text = read_member(path, f"{uuid}/VERSION", limit=_SMALL).decode("utf-8")
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        msg = f"QIIME 2 artifact metadata is unreadable ({err})"
        raise ProfileFormatError(msg, path=path) from err
    if not isinstance(meta, dict) or "type" not in meta:
        msg = "QIIME 2 artifact metadata.yaml has no 'type'"
        raise ProfileFormatError(msg, path=path)
    version = {
        key.strip(): value.strip()
        for key, _, value in (ln.partition(":") for ln in version_text.splitlines()[1:])
        if value
    }
    prefix = f"{uuid}/data/"
    return Artifact(
        uuid=uuid,
        type=str(meta["type"]),
        format=None if meta.get("format") is None else str(meta["format"]),
        archive_version=version.get("archive"),
        framework_version=version.get("framework"),
        data=tuple(n[len(prefix) :] for n in names if n.startswith(prefix) and n != prefix),
    )
