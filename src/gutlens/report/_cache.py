"""A per-user cache of compiled report templates (Jinja2 bytecode), like ``__pycache__``.

Compiling ``report.html.j2`` takes about 0.08 s of every fresh ``gutlens report`` process; with
the cache, a later process loads the compiled code instead. Jinja checks the template's source
checksum and its own bytecode version before using an entry, so a changed template or another
Jinja/Python version is simply compiled again. The cache lives in ``$GUTLENS_CACHE_DIR``, else
``$XDG_CACHE_HOME/gutlens``, else ``~/.cache/gutlens``; ``GUTLENS_CACHE_DIR=""`` turns it off,
and a folder that cannot be written only means no caching (never an error).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import BytecodeCache

__all__ = ["cache_dir", "template_cache"]


def cache_dir() -> Path | None:
    """The gutlens cache folder for this user, or ``None`` when caching is turned off."""
    override = os.environ.get("GUTLENS_CACHE_DIR")
    if override is not None:
        return Path(override).expanduser() if override.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gutlens"


def template_cache() -> BytecodeCache | None:
    """A Jinja2 bytecode cache in :func:`cache_dir` (``None`` if off or not creatable)."""
    from jinja2 import FileSystemBytecodeCache

    class _QuietCache(FileSystemBytecodeCache):
        """Never fails a report because the cache folder is read-only or full."""

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    root = cache_dir()
    if root is None:
        return None
    folder = root / f"templates-py{sys.version_info[0]}{sys.version_info[1]}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _QuietCache(str(folder))
