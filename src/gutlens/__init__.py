"""gutlens: gut microbiome profiles in, evidence-cited reports out.

The curated public API:

* :func:`read_profile`, :func:`read_profiles` — read any supported profile format.
* :class:`Profile`, :class:`ProfileTable` — the data model.
* :func:`analyze` — diversity, published indices, dysbiosis and percentiles against the bundled
  healthy reference, as a :class:`Results`.
* :func:`interpret` — six health areas, gut barrier, alarms, cited recommendations and a meal
  plan, as an :class:`Interpretation`. (``gutlens.interpret`` is this function; its package
  is imported as ``from gutlens.interpret import ...`` as usual.)

The names are loaded on first use (PEP 562 module ``__getattr__``), so ``import gutlens`` and
the ``gutlens`` command start without importing pandas and scipy until a command needs them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from gutlens._version import __version__
from gutlens.errors import GutlensError, ProfileFormatError

if TYPE_CHECKING:
    from gutlens.analysis import Results
    from gutlens.analysis.analyze import analyze
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

#: public name -> module that defines it (imported on first access)
_LAZY = {
    "Results": "gutlens.analysis",
    "analyze": "gutlens.analysis.analyze",
    "Interpretation": "gutlens.interpret",
    "list_formats": "gutlens.io",
    "read_profile": "gutlens.io",
    "read_profiles": "gutlens.io",
    "Profile": "gutlens.model",
    "ProfileTable": "gutlens.model",
}


class _Package(types.ModuleType):
    """The ``gutlens`` module object: keeps ``gutlens.interpret`` the function.

    Importing the subpackage ``gutlens.interpret`` makes the import system set the package's
    ``interpret`` attribute to the subpackage; here that becomes the function it exports, as
    it was when this module imported everything eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "interpret" and isinstance(value, types.ModuleType):
            value = value.interpret
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name == "interpret":
        value = importlib.import_module("gutlens.interpret").interpret
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'gutlens' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
