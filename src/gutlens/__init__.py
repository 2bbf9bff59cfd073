"""gutlens: gut microbiome profiles in, evidence-cited reports out.

The curated public API:

* :func:`read_profile`, :func:`read_profiles` — read any supported profile format.
* :class:`Profile`, :class:`ProfileTable` — the data model.
* :func:`analyze` — diversity, published indices, dysbiosis and percentiles against the bundled
  healthy reference, as a :class:`Results`.
"""

from gutlens._version import __version__
from gutlens.analysis import Results
from gutlens.analysis.analyze import analyze
from gutlens.errors import GutlensError, ProfileFormatError
from gutlens.io import list_formats, read_profile, read_profiles
from gutlens.model import Profile, ProfileTable

__all__ = [
    "GutlensError",
    "Profile",
    "ProfileFormatError",
    "ProfileTable",
    "Results",
    "__version__",
    "analyze",
    "list_formats",
    "read_profile",
    "read_profiles",
]
