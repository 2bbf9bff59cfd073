"""The gutlens error hierarchy.

Every error gutlens raises on purpose derives from :class:`GutlensError`, so callers (the CLI,
the web portal, a batch runner) can turn it into a short message without a traceback.
Messages say what was found, what was expected and, where it helps, how to fix it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AnalysisError",
    "GutlensError",
    "ProfileFormatError",
    "ReadsInputError",
    "SampleNotFoundError",
    "UnknownFormatError",
]


class GutlensError(Exception):
    """Root of every error gutlens raises deliberately."""


class ProfileFormatError(GutlensError, ValueError):
    """A profile file does not have the shape its format requires.

    Parameters
    ----------
    message : str
        What was found and what was expected.
    path : str or Path, optional
        The file being read.
    line : int, optional
        1-based line number (or row number in a spreadsheet) where the problem is.
    """

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}, line {line}"
            where += ": "
        super().__init__(where + message)


class UnknownFormatError(ProfileFormatError):
    """No reader recognised the file."""


class ReadsInputError(ProfileFormatError):
    """Raw sequencing reads were given where a profile was expected, or reads are malformed."""


class SampleNotFoundError(GutlensError, KeyError):
    """A sample id was asked for that the table does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AnalysisError(GutlensError, ValueError):
    """A profile cannot be analysed as asked (no taxa, a rank the reference lacks, counts needed
    but only proportions given...). The message says what was found and what was expected."""
