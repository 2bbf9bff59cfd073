"""gutlens: gut microbiome profiles in, evidence-cited reports out.

The curated public API:

* :func:`read_profile`, :func:`read_profiles` — read any supported profile format.
* :class:`Profile`, :class:`ProfileTable` — the data model.
"""

from gutlens._version import __version__
from gutlens.errors import GutlensError, ProfileFormatError
from gutlens.io import list_formats, read_profile, read_profiles
from gutlens.model import Profile, ProfileTable

__all__ = [
    "GutlensError",
    "Profile",
    "ProfileFormatError",
    "ProfileTable",
    "__version__",
    "list_formats",
    "read_profile",
    "read_profiles",
]
