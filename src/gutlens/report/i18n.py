"""Message catalogues and locale-aware formatting for the report.

Catalogues are YAML files, one per language (``data/locales/<lang>.yaml``), with the same nested
keys.
YAML was chosen over gettext ``.po``/``.mo``: the report's texts are long, keyed paragraphs (not
short UI strings identified by their English source), there is no compile step or binary file in
the repository, and a test can compare the key sets and ``{placeholder}`` sets of every language
directly. Numbers, percentages and dates are formatted per locale with Babel.

Texts that come from data rather than from gutlens itself — the knowledge base's descriptions of
what a study tested and found, USDA food names and household measures — are translated the
gettext way: ``data/locales/sources.<lang>.yaml`` maps each English source text to its
translation (see :meth:`Catalogue.source`). ``scripts/collect_source_texts.py`` lists the source
texts reports can show, and a test fails when one lacks a translation.
"""

from __future__ import annotations

import re
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

__all__ = ["LANGUAGES", "Catalogue", "catalogue", "flatten", "load_catalogue", "load_sources"]

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
def _number_pattern(text: str) -> NumberPattern:
    """A parsed CLDR number pattern (parsed once, not per number)."""
    return parse_pattern(text)


#: A sentence boundary: end punctuation, space, then a capital letter ("H. pylori" stays whole).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


_EN_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?(%?)")
_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(text: str) -> re.Pattern[str]:
    """``"depth {n} reads"`` -> a regex matching that text with any value for ``n``."""
    out, last = [], 0
    for found in _FIELD.finditer(text):
        out += [re.escape(text[last : found.start()]), f"(?P<{found.group(1)}>.+?)"]
        last = found.end()
    out.append(re.escape(text[last:]))
    return re.compile("".join(out), re.DOTALL)


def load_sources(lang: str) -> dict[str, str]:
    """English source text -> its translation in ``lang`` (empty for English)."""
    if lang == LANGUAGES[0]:
        return {}
    resource = files("gutlens.report").joinpath(f"data/locales/sources.{lang}.yaml")
    if not resource.is_file():
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(resource.read_text(encoding="utf-8"), Loader=loader) or {}
    return {str(k): str(v) for k, v in data.items()}


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
        self.sources = load_sources(lang)
        self._patterns = [
            (_pattern(text), translation)
            for text, translation in self.sources.items()
            if _FIELD.search(text)
        ]
        #: English source texts asked for that have no translation (see :meth:`source`).
        self.untranslated: set[str] = set()

    def has(self, key: str) -> bool:
        """Whether ``key`` is in the catalogue."""
        return key in self.messages

    def t(self, key: str, **values: Any) -> str:
        """The text for ``key`` with ``values`` filled in (``KeyError`` for an unknown key)."""
        return self.messages[key].format(**values) if values else self.messages[key]

    def source(self, text: str, *, mark: bool = True) -> str:
        """``text`` from data (a study description, a food name) in this language.

        English texts are returned as they are. Otherwise the translation from
        ``sources.<lang>.yaml`` is used; a text without one is recorded in
        :attr:`untranslated` and returned in English, marked as English source text when
        ``mark`` is true (``interpret.source_text``).
        """
        if self.lang == LANGUAGES[0] or not text:
            return text
        found = self.sources.get(text.strip())
        if found is not None:
            return found
        found = self._from_pattern(text.strip())
        if found is not None:
            return found
        # texts joined from several sentences (conflict notes) are translated sentence by sentence
        sentences = _SENTENCE_END.split(text.strip())
        parts = [self.sources.get(s) or self._from_pattern(s) for s in sentences]
        if len(sentences) > 1 and all(p is not None for p in parts):
            return " ".join(p for p in parts if p is not None)
        self.untranslated.update(s for s, p in zip(sentences, parts, strict=True) if p is None)
        return self.t("interpret.source_text", text=text) if mark else text

    def _from_pattern(self, text: str) -> str | None:
        """Translate ``text`` by an entry with ``{fields}`` (a message with numbers or names
        filled in); each field's value is itself translated when the table has it."""
        for regex, translation in self._patterns:
            found = regex.fullmatch(text)
            if found:
                values = {k: self._value(v) for k, v in found.groupdict().items()}
                return translation.format(**values)
        return None

    def _value(self, text: str) -> str:
        """A field of a pattern entry: an English-formatted number in this locale's format,
        otherwise its translation (exact or by pattern), otherwise as it is."""
        number = _EN_NUMBER.fullmatch(text)
        if number:
            digits = len(number.group(2) or ".") - 1
            value = float(number.group(1).replace(",", "") + (number.group(2) or ""))
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            return format_decimal(value, _number_pattern(pattern), locale=self._locale) + (
                number.group(3) or ""
            )
        return self.sources.get(text) or self._from_pattern(text) or text

    def share(self, fraction: float) -> str:
        """A fraction as a percentage: one decimal, ``< 0.1%`` for tiny non-zero shares."""
        if 0 < fraction < 0.0005:
            return self.t(
                "format.below",
                value=format_percent(0.001, _number_pattern("#,##0.0%"), self._locale),
            )
        return format_percent(fraction, _number_pattern("#,##0.0%"), locale=self._locale)

    def whole_percent(self, fraction: float) -> str:
        """A fraction as a whole percentage (for percentiles)."""
        return format_percent(fraction, _number_pattern("#,##0%"), locale=self._locale)

    def number(self, value: float, digits: int = 2) -> str:
        """A number with ``digits`` decimals."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, _number_pattern(pattern), locale=self._locale)

    def measured(self, value: float) -> str:
        """A measured value as a lab writes it: no trailing zeros, at most three decimals
        (35 -> "35", 0.034 -> "0.034", 1.5 -> "1.5"; "1,5" in Dutch)."""
        return format_decimal(value, _number_pattern("#,##0.###"), locale=self._locale)

    def integer(self, value: float) -> str:
        """A whole number with thousands separators."""
        return format_decimal(round(value), _number_pattern("#,##0"), locale=self._locale)

    def date(self, day: date) -> str:
        """A date in the locale's long form."""
        return format_date(day, format="long", locale=self._locale)


@cache
def catalogue(lang: str) -> Catalogue:
    """The (cached) :class:`Catalogue` of ``lang``."""
    return Catalogue(lang)
