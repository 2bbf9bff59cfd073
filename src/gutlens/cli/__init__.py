"""The ``gutlens`` command: thin Typer shells over the library.

Every command turns a :class:`gutlens.errors.GutlensError` into a one- or two-line message and
exit status 1; ``--verbose`` shows the traceback as well.
"""

from __future__ import annotations

import sys

from gutlens.cli._app import app, run

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
