"""The format registry: each format module registers a sniffer and a reader.

Adding a format never touches a central switch: a module in :mod:`gutlens.io.formats` calls
:func:`register` at import, and :func:`sniff` asks every registered format in priority order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gutlens.errors import UnknownFormatError
from gutlens.io._head import Head, peek
from gutlens.model import ProfileTable

__all__ = ["Format", "get_format", "list_formats", "register", "sniff"]


@dataclass(frozen=True)
class Format:
    """A profile format gutlens reads.

    Attributes
    ----------
    name : str
        Short name used with ``--format``.
    title : str
        Human description (producer and version range).
    sniff : callable
        ``sniff(head) -> bool``: is this file mine? Must not raise on foreign files.
    read : callable
        ``read(path, taxonomy=None) -> ProfileTable``; raises
        :class:`gutlens.errors.ProfileFormatError`. ``taxonomy`` is a companion file naming the
        lineage of each feature (QIIME 2 FeatureData[Taxonomy], a DADA2 taxa table) for formats
        whose tables hold only feature ids; other readers ignore it.
    priority : int
        Lower is asked first; generic formats use high numbers so specific ones win.
    extensions : tuple of str
        Usual file suffixes, for ``gutlens formats``.
    role : {"profile", "taxonomy"}
        ``"taxonomy"`` for companion files that hold lineages but no abundances; they are
        paired with the profile files given with them (see :func:`gutlens.io.read_many`).
    """

    name: str
    title: str
    sniff: Callable[[Head], bool]
    read: Callable[..., ProfileTable]
    priority: int = 50
    extensions: tuple[str, ...] = ()
    role: str = "profile"


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry (a name may be registered once)."""
    if fmt.name in _REGISTRY:
        msg = f"format {fmt.name!r} is registered twice"
        raise ValueError(msg)
    _REGISTRY[fmt.name] = fmt
    return fmt


def list_formats() -> list[Format]:
    """All registered formats in the order they are sniffed."""
    _load_builtin_formats()
    return sorted(_REGISTRY.values(), key=lambda f: (f.priority, f.name))


def get_format(name: str) -> Format:
    """The format called ``name``.

    Raises
    ------
    UnknownFormatError
        With the list of known names.
    """
    _load_builtin_formats()
    key = name.strip().lower()
    if key not in _REGISTRY:
        known = ", ".join(f.name for f in list_formats())
        msg = f"unknown format {name!r}; known formats: {known}"
        raise UnknownFormatError(msg)
    return _REGISTRY[key]


def sniff(path: str | Path, head: Head | None = None) -> Format:
    """Find the format of ``path`` by asking each registered sniffer.

    Raises
    ------
    UnknownFormatError
        When no format recognises the file; the message says what the file looked like.
    """
    head = head or peek(path)
    if head.kind == "empty":
        raise UnknownFormatError("file is empty; expected a taxonomic profile", path=head.path)
    for fmt in list_formats():
        if fmt.sniff(head):
            return fmt
    raise UnknownFormatError(_describe_unknown(head), path=head.path)


def _describe_unknown(head: Head) -> str:
    if head.kind == "binary":
        what = "binary data"
    elif head.kind == "zip":
        what = f"a zip archive ({len(head.zip_names)} members) that is not a known artifact"
    elif head.kind == "hdf5":
        what = "an HDF5 file that is not a BIOM table"
    else:
        first = next((ln for ln in head.lines if ln.strip()), "")
        what = f"text starting {first[:60]!r}"
    return (
        f"unrecognised format: found {what}; run 'gutlens formats' for the supported formats "
        "or name one with --format"
    )


_LOADED = False


def _load_builtin_formats() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib
    import pkgutil

    from gutlens.io import formats

    for module in pkgutil.iter_modules(formats.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"gutlens.io.formats.{module.name}")
