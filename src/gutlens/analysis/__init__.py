"""Analysis: pure functions of a :class:`gutlens.model.Profile` and the bundled reference."""

from gutlens.analysis.alpha import alpha_diversity, alpha_matrix
from gutlens.analysis.analyze import analyze, taxa_percentiles
from gutlens.analysis.batch import analyze_table
from gutlens.analysis.results import Results, SkippedSample

__all__ = [
    "Results",
    "SkippedSample",
    "alpha_diversity",
    "alpha_matrix",
    "analyze",
    "analyze_table",
    "taxa_percentiles",
]
