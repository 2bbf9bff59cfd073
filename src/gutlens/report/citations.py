"""Citations the report may use, and their numbering.

The report's general text cites only keys of the shipped ``data/citations.tsv`` (each row copied
from a verified knowledge table by ``scripts/build_report_citations.py``); numbers computed by the
analysis cite the DOI/PMID the ``Results`` objects carry. Anything else is refused.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from gutlens.errors import GutlensError
from gutlens.report.model import Reference

__all__ = ["CitationError", "CitationRegistry", "citations_sha256", "shipped_citations"]

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.IGNORECASE)


class CitationError(GutlensError, ValueError):
    """A citation is neither a shipped key nor a DOI or PMID."""


@dataclass(frozen=True)
class _Entry:
    doi: str | None
    pmid: str | None
    label: str


@cache
def shipped_citations() -> dict[str, _Entry]:
    """Key -> entry of ``data/citations.tsv``."""
    text = files("gutlens.report").joinpath("data/citations.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {
        r["key"]: _Entry(doi=r["doi"] or None, pmid=r["pmid"] or None, label=r["label"])
        for r in rows
    }


@cache
def reference_labels() -> dict[str, _Entry]:
    """DOI -> entry of ``data/reference_labels.tsv`` (labels for DOIs the results cite)."""
    text = files("gutlens.report").joinpath("data/reference_labels.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {r["doi"]: _Entry(doi=r["doi"], pmid=r["pmid"] or None, label=r["label"]) for r in rows}


@cache
def citations_sha256() -> str:
    """sha256 of the shipped citations table (recorded in each report's provenance)."""
    data = files("gutlens.report").joinpath("data/citations.tsv").read_bytes()
    return hashlib.sha256(data).hexdigest()


@dataclass
class CitationRegistry:
    """Resolves citation strings to keys and numbers the references by first use."""

    entries: dict[str, _Entry] = field(default_factory=lambda: dict(shipped_citations()))

    def key(self, citation: str) -> list[str]:
        """Keys for ``citation``: a shipped key, or one or more DOIs/PMIDs separated by ``;``.

        Raises
        ------
        CitationError
            If a part is neither a shipped key nor a DOI or PMID.
        """
        if citation in self.entries:
            return [citation]
        keys = []
        for part in (p.strip() for p in re.split(r"[;,]", citation)):
            if not part:
                continue
            if part in self.entries:
                keys.append(part)
                continue
            doi = _DOI.match(part)
            pmid = _PMID.match(part)
            if doi:
                value = doi.group(1).rstrip(".")
                known = next((k for k, e in self.entries.items() if e.doi == value), None)
                key = known or f"doi:{value}"
                labelled = reference_labels().get(value)
                self.entries.setdefault(key, labelled or _Entry(doi=value, pmid=None, label=value))
            elif pmid:
                value = pmid.group(1)
                known = next((k for k, e in self.entries.items() if e.pmid == value), None)
                key = known or f"pmid:{value}"
                self.entries.setdefault(key, _Entry(doi=None, pmid=value, label=f"PMID {value}"))
            else:
                msg = f"citation {part!r} is neither a DOI, a PMID nor a shipped citation key"
                raise CitationError(msg)
            keys.append(key)
        return keys

    def keys(self, citations: Iterable[str | None]) -> list[str]:
        """Keys for several citation strings (``None`` skipped, duplicates dropped)."""
        out: list[str] = []
        for citation in citations:
            if citation:
                out.extend(k for k in self.key(citation) if k not in out)
        return out

    def references(self, order: Iterable[str]) -> list[Reference]:
        """Numbered references for the keys in ``order`` (first use first)."""
        seen: dict[str, int] = {}
        for key in order:
            if key not in seen:
                if key not in self.entries:
                    msg = f"citation key {key!r} was never registered"
                    raise CitationError(msg)
                seen[key] = len(seen) + 1
        return [
            Reference(
                number=n,
                key=k,
                doi=self.entries[k].doi,
                pmid=self.entries[k].pmid,
                label=self.entries[k].label,
            )
            for k, n in seen.items()
        ]
