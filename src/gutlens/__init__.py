"""gutlens: gut microbiome profiles in, evidence-cited reports out.

The curated public API:

* :func:`read_profile`, :func:`read_profiles` — read any supported profile format.
* :class:`Profile`, :class:`ProfileTable` — the data model.
* :func:`analyze` — diversity, published indices, dysbiosis and percentiles against the bundled
  healthy reference, as a :class:`Results`.
* :func:`interpret` — six health areas, gut barrier, alarms, cited recommendations and a meal
  plan, as an :class:`Interpretation`. (``gutlens.interpret`` is this function; its package
  is imported as ``from gutlens.interpret import ...`` as usual.)
"""

from gutlens._version import __version__
from gutlens.analysis import Results
from gutlens.analysis.analyze import analyze
from gutlens.errors import GutlensError, ProfileFormatError
from gutlens.interpret import Interpretation, interpret
from gutlens.io import list_formats, read_profile, read_profiles
from gutlens.model import Profile, ProfileTable

__all__ = [
    "GutlensError",
    "Interpretation",
    "Profile",
    "ProfileFormatError",
    "ProfileTable",
    "Results",
    "__version__",
    "analyze",
    "interpret",
    "list_formats",
    "read_profile",
    "read_profiles",
]
