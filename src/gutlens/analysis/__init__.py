"""Analysis: pure functions of a :class:`gutlens.model.Profile` and the bundled reference."""

from gutlens.analysis.results import Results

__all__ = ["Results"]
