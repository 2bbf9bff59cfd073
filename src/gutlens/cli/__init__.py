"""The ``gutlens`` command: thin Typer shells over the library.

Every command turns a :class:`gutlens.errors.GutlensError` into a one- or two-line message and
exit status 1; ``--verbose`` shows the traceback as well.
"""

from __future__ import annotations

import gc
import sys

from gutlens.cli._app import app, run

__all__ = ["app", "main"]

#: Cyclic-GC thresholds of a ``gutlens`` process (CPython's default is 700, 10, 10). A command
#: creates millions of objects while importing numpy/pandas/scipy and reading the reference and
#: knowledge base; with the default, the collector scans that growing heap over and over (about
#: 0.15-0.25 s of a ``gutlens report``). Collections still happen, only less often.
GC_THRESHOLDS = (20_000, 20, 10)


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLDS)
    status = run(sys.argv[1:])
    # The process ends here. Interpreter shutdown runs full collections over every object of
    # numpy/pandas/scipy (0.2-0.3 s); frozen objects are skipped (atexit handlers and module
    # cleanup still run, the operating system reclaims the memory).
    gc.freeze()
    sys.exit(status)
