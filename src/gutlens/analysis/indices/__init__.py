"""Published gut-microbiome indices, one module each, reproducing the authors' own outputs."""

from gutlens.analysis.indices.gmhi import GMHIScore, gmhi, gmhi_score
from gutlens.analysis.indices.gmwi2 import gmwi2, gmwi2_score

__all__ = ["GMHIScore", "gmhi", "gmhi_score", "gmwi2", "gmwi2_score"]
