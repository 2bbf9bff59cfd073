"""Resolve knowledge-base citation keys to :class:`CitationRef` (DOI or PMID always set)."""

from __future__ import annotations

from collections.abc import Iterable

from gutlens.interpret.model import CitationRef
from gutlens.knowledge import KnowledgeBase

__all__ = ["refs"]


def refs(kb: KnowledgeBase, keys: Iterable[str], limit: int | None = None) -> list[CitationRef]:
    """Unique citations for ``keys`` in order (at most ``limit``)."""
    out: list[CitationRef] = []
    for key in dict.fromkeys(keys):
        cit = kb.citation(key)
        out.append(CitationRef(key=cit.key, doi=cit.doi, pmid=cit.pmid, label=cit.label()))
        if limit is not None and len(out) >= limit:
            break
    return out
