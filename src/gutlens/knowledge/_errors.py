"""Errors raised by :mod:`gutlens.knowledge` (all :class:`~gutlens.errors.GutlensError`)."""

from __future__ import annotations

from pathlib import Path

from gutlens.errors import GutlensError

__all__ = ["BiomarkerInputError", "InputFileError", "KnowledgeBaseError", "QuestionnaireError"]


class KnowledgeBaseError(GutlensError):
    """The shipped knowledge base is missing, of another version, or fails validation."""


class InputFileError(GutlensError, ValueError):
    """A person-supplied YAML/JSON input is malformed; names the file and the field.

    Parameters
    ----------
    message : str
        What was found and what was expected.
    path : str or Path, optional
        The file being read.
    field : str, optional
        Dotted path of the offending field (``symptoms.bloating``).
    """

    def __init__(
        self, message: str, *, path: str | Path | None = None, field: str | None = None
    ) -> None:
        self.path = str(path) if path is not None else None
        self.field = field
        self.reason = message
        where = self.path or ""
        if field:
            where = f"{where}, field '{field}'" if where else f"field '{field}'"
        super().__init__(f"{where}: {message}" if where else message)


class QuestionnaireError(InputFileError):
    """The questionnaire file does not follow the documented schema."""


class BiomarkerInputError(InputFileError):
    """A biomarker file holds an unknown marker, a wrong unit or an impossible value."""
