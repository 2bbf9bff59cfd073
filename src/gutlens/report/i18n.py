"""Message catalogues and locale-aware formatting for the report.

Catalogues are YAML files, one per language (``data/locales/<lang>.yaml``), with the same nested
keys.
YAML was chosen over gettext ``.po``/``.mo``: the report's texts are long, keyed paragraphs (not
short UI strings identified by their English source), there is no compile step or binary file in
the repository, and a test can compare the key sets and ``{placeholder}`` sets of every language
directly. Numbers, percentages and dates are formatted per locale with Babel.
"""

from __future__ import annotations

import string
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_decimal, format_percent, parse_pattern

from gutlens.errors import GutlensError

__all__ = ["LANGUAGES", "Catalogue", "catalogue", "flatten", "load_catalogue"]

#: Languages with a complete catalogue; the first is the default.
LANGUAGES = ("en", "nl")
_LOCALES = {"en": "en_GB", "nl": "nl_NL"}


class ReportLanguageError(GutlensError, ValueError):
    """A language was asked for that has no catalogue."""


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested catalogue -> ``{"a.b.c": text}``."""
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = "" if value is None else str(value)
    return out


def load_catalogue(lang: str) -> dict[str, str]:
    """The flat catalogue of ``lang`` (raises :class:`ReportLanguageError` if unknown)."""
    if lang not in LANGUAGES:
        msg = f"no report language {lang!r}; choose one of {', '.join(LANGUAGES)}"
        raise ReportLanguageError(msg)
    resource = files("gutlens.report").joinpath(f"data/locales/{lang}.yaml")
    text = resource.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return flatten(yaml.load(text, Loader=loader))


@cache
def _pattern(text: str) -> NumberPattern:
    """A parsed CLDR number pattern (parsed once, not per number)."""
    return parse_pattern(text)


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a catalogue text."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


class Catalogue:
    """Texts and number/date formatting for one language.

    Parameters
    ----------
    lang : {"en", "nl"}
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = _LOCALES.get(lang, lang)
        self._locale = Locale.parse(self.locale)  # parsed once; its CLDR data loads on first use
        self.messages = load_catalogue(lang)

    def has(self, key: str) -> bool:
        """Whether ``key`` is in the catalogue."""
        return key in self.messages

    def t(self, key: str, **values: Any) -> str:
        """The text for ``key`` with ``values`` filled in (``KeyError`` for an unknown key)."""
        return self.messages[key].format(**values) if values else self.messages[key]

    def share(self, fraction: float) -> str:
        """A fraction as a percentage: one decimal, ``< 0.1%`` for tiny non-zero shares."""
        if 0 < fraction < 0.0005:
            return self.t(
                "format.below", value=format_percent(0.001, _pattern("#,##0.0%"), self._locale)
            )
        return format_percent(fraction, _pattern("#,##0.0%"), locale=self._locale)

    def whole_percent(self, fraction: float) -> str:
        """A fraction as a whole percentage (for percentiles)."""
        return format_percent(fraction, _pattern("#,##0%"), locale=self._locale)

    def number(self, value: float, digits: int = 2) -> str:
        """A number with ``digits`` decimals."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, _pattern(pattern), locale=self._locale)

    def integer(self, value: float) -> str:
        """A whole number with thousands separators."""
        return format_decimal(round(value), _pattern("#,##0"), locale=self._locale)

    def date(self, day: date) -> str:
        """A date in the locale's long form."""
        return format_date(day, format="long", locale=self._locale)


@cache
def catalogue(lang: str) -> Catalogue:
    """The (cached) :class:`Catalogue` of ``lang``."""
    return Catalogue(lang)
