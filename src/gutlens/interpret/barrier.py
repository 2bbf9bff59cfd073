"""Gut barrier ("leaky gut") assessment: microbial proxies plus optional measured biomarkers.

Proxies: the reference percentiles of butyrate producers (butyrate fuels colonocytes),
mucin degraders (feed on the mucus layer), LPS-producing Enterobacteriaceae pathobionts and
Shannon diversity. Readings are ``low`` (< 25th percentile of the healthy reference), ``high``
(> 75th) or ``typical``. No verdict on permeability is made from the microbiome alone; measured
markers are compared with cited ranges by :func:`gutlens.knowledge.assess_biomarkers`.
"""

from __future__ import annotations

from gutlens.analysis.results import Results
from gutlens.interpret._cite import refs
from gutlens.interpret.model import BarrierAssessment, BarrierProxy
from gutlens.knowledge import BiomarkerAssessment, KnowledgeBase

__all__ = ["HIGH", "LOW", "barrier_assessment", "reading"]

LOW, HIGH = 25.0, 75.0
_PROXIES = {
    "butyrate_producer": "Butyrate producers: butyrate is the main fuel of colon cells.",
    "mucin_degrader": "Mucin degraders: feed on the mucus layer that lines the gut.",
    "lps_proteobacteria_pathobiont": (
        "LPS-producing Enterobacteriaceae: Gram-negative residents that can expand in inflammation."
    ),
}


def reading(percentile: float | None) -> str:
    """``low`` / ``typical`` / ``high`` against the healthy reference, or ``not_measured``."""
    if percentile is None:
        return "not_measured"
    return "low" if percentile < LOW else "high" if percentile > HIGH else "typical"


def barrier_assessment(
    results: Results, kb: KnowledgeBase, biomarkers: BiomarkerAssessment | None = None
) -> BarrierAssessment:
    """Proxies from ``results`` and, when given, the measured ``biomarkers``."""
    guilds = {g.guild: g for g in results.guilds}
    proxies = []
    for guild, meaning in _PROXIES.items():
        g = guilds.get(guild)
        keys = [m.citation for m in kb.guild_members(guild)]
        proxies.append(
            BarrierProxy(
                name=guild,
                value=g.share if g else None,
                percentile=g.percentile if g else None,
                reading=reading(g.percentile if g else None),  # type: ignore[arg-type]
                meaning=meaning,
                citations=refs(kb, keys, limit=3),
            )
        )
    div_keys = [
        k
        for f in kb.facts
        if f.subject_type == "intervention" and "diversity" in f.effect and f.areas
        for k in f.citations
    ]
    shannon = results.alpha.percentiles.get("shannon")
    proxies.append(
        BarrierProxy(
            name="shannon_diversity",
            value=results.alpha.shannon,
            percentile=shannon,
            reading=reading(shannon),  # type: ignore[arg-type]
            meaning="Species diversity (Shannon): a general marker of community richness.",
            citations=refs(kb, div_keys, limit=3),
        )
    )
    limit_ref = kb.biomarkers.get("intestinal_permeability")
    limits = (
        "Microbial proxies describe who lives in the gut, not how permeable the gut wall is; "
        "no proxy or combination of proxies is a validated test of barrier function."
    )
    limit_keys: list[str] = []
    if limit_ref is not None:
        limits += " " + limit_ref.limitations
        limit_keys = list(limit_ref.citations)
    measured = []
    if biomarkers is not None:
        for res in (*biomarkers.results, *biomarkers.notes):
            measured.append(res.model_dump(mode="json"))
    unfavourable = [
        p.name
        for p in proxies
        if (p.reading == "low" and p.name != "lps_proteobacteria_pathobiont")
        or (p.reading == "high" and p.name == "lps_proteobacteria_pathobiont")
    ]
    summary = (
        "Proxies outside the typical healthy range: " + ", ".join(unfavourable) + "."
        if unfavourable
        else "No microbial proxy is outside the typical healthy range."
    )
    if biomarkers is not None:
        flagged = [r.name for r in biomarkers.results if r.interpretation in ("above", "below")]
        summary += (
            " Measured markers outside their cited range: " + ", ".join(flagged) + "."
            if flagged
            else " No measured marker is outside a cited range."
        )
    return BarrierAssessment(
        proxies=proxies,
        biomarkers=measured,
        summary=summary,
        limits=limits,
        citations=refs(kb, limit_keys) if limit_keys else refs(kb, div_keys, limit=1),
    )
