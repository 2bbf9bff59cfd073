"""Area scores: a documented, versioned gutlens convention over the analysis results.

Formula (``FORMULA_VERSION``)
-----------------------------
For area :math:`A`, the candidate drivers are the measured quantities the knowledge base links
to :math:`A` through a cited fact:

* a **guild** :math:`g` when a guild fact of :math:`g` is tagged :math:`A`;
* a **taxon** (genus or species) with at least ``MIN_FACTS`` case-control / health-index
  association facts tagged :math:`A` (BugSigDB, MicrobiomeHD, Asnicar 2021);
* **diversity** (Shannon) when an intervention fact tagged :math:`A` reports raising alpha
  diversity (today only ``nutrition``).

Each driver has a valence :math:`v \\in [-1, 1]` taken from the cited association facts in
:math:`A` (for a guild, those of its members): :math:`v = (n_{low} - n_{high})/(n_{low} +
n_{high})`, where :math:`n_{low}` counts facts "lower in a condition / health-associated" and
:math:`n_{high}` "higher in a condition / disease-associated"; diversity has :math:`v = 1`.
With :math:`p_i` the driver's percentile (0-100) in the healthy reference and weight
:math:`w_i = k_i \\cdot \\min(1, n_i / 5)` (:math:`k` = ``KIND_WEIGHT``), over the drivers measured
in this sample

.. math:: S_A = 50 + \\sum_i c_i, \\qquad c_i = \\frac{w_i}{\\sum_j w_j} v_i (p_i - 50)

so :math:`S_A \\in [0, 100]`, 50 means "like the middle of the healthy reference", and
:math:`c_i` is driver :math:`i`'s contribution in score points. Confidence is the share of the
area's candidate drivers that could be measured in this sample.

These weights are a gutlens convention, not a published or validated score: the score only
summarises which cited associations the sample leans towards. Symptoms never change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gutlens.analysis.results import Results
from gutlens.interpret._cite import refs
from gutlens.interpret.model import AreaScore, Driver
from gutlens.knowledge import Fact, KnowledgeBase

__all__ = ["AREAS", "FORMULA_VERSION", "KIND_WEIGHT", "MIN_FACTS", "area_scores"]

FORMULA_VERSION = "gutlens-areas-1"
AREAS: dict[str, str] = {
    "digestive": "Digestive health",
    "immune": "Immune function",
    "gut_brain": "Gut-brain axis and mood",
    "metabolism": "Weight and metabolism",
    "skin": "Skin",
    "nutrition": "Personalised nutrition",
}
#: relative weight of a driver kind (gutlens convention)
KIND_WEIGHT = {"guild": 1.0, "diversity": 1.0, "taxon": 0.5, "index": 1.0}
#: association facts a taxon needs in an area to be a candidate driver
MIN_FACTS = 2
_LOW = ("lower_in_condition", "health_associated")
_HIGH = ("higher_in_condition", "disease_associated")
_SYMPTOMS = {
    "digestive": ("bloating", "gas", "abdominal_pain", "constipation", "diarrhea"),
    "gut_brain": ("low_mood", "anxiety", "fatigue"),
    "skin": ("skin_complaints",),
}


@dataclass(frozen=True)
class Link:
    """A candidate driver of one area with its valence and supporting citation keys."""

    what: str
    name: str
    valence: float
    n: int
    citations: tuple[str, ...]
    evidence: str

    @property
    def weight(self) -> float:
        return KIND_WEIGHT[self.what] * min(1.0, self.n / 5)


def _count(facts: list[Fact], area: str) -> tuple[int, int, list[str]]:
    low = high = 0
    keys: list[str] = []
    for f in facts:
        if area not in f.areas:
            continue
        if f.direction in _LOW:
            low += 1
        elif f.direction in _HIGH:
            high += 1
        else:
            continue
        keys.extend(f.citations)
    return low, high, keys


def _evidence(low: int, high: int, area: str) -> str:
    return (
        f"{low} cited association(s) lower in a condition or health-associated, {high} higher "
        f"in a condition or disease-associated ({AREAS[area].lower()} conditions)"
    )


_LINKS: dict[int, tuple[KnowledgeBase, dict[str, tuple[Link, ...]]]] = {}


def links(kb: KnowledgeBase) -> Mapping[str, tuple[Link, ...]]:
    """Candidate drivers per area (computed once per knowledge base object)."""
    cached = _LINKS.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    out: dict[str, tuple[Link, ...]] = {}
    for area in AREAS:
        found: list[Link] = []
        facts = kb.facts_in_area(area)
        for guild in sorted({f.subject for f in facts if f.subject_type == "guild"}):
            guild_keys = [k for f in facts if f.subject == guild for k in f.citations]
            member_facts = [
                f
                for m in sorted({m.taxon for m in kb.guild_members(guild)})
                for f in kb.facts_about(m, "taxon")
            ]
            low, high, keys = _count(member_facts, area)
            if low + high and low != high:
                found.append(
                    Link(
                        "guild",
                        guild,
                        (low - high) / (low + high),
                        low + high,
                        tuple(dict.fromkeys([*guild_keys[:2], *keys[:4]])),
                        _evidence(low, high, area),
                    )
                )
        taxa: dict[str, list[Fact]] = {}
        for f in facts:
            if f.subject_type == "taxon" and f.rank in ("genus", "species"):
                taxa.setdefault(f.subject, []).append(f)
        for name, tfacts in sorted(taxa.items()):
            low, high, keys = _count(tfacts, area)
            if low + high >= MIN_FACTS and low != high:
                found.append(
                    Link(
                        "taxon",
                        name,
                        (low - high) / (low + high),
                        low + high,
                        tuple(dict.fromkeys(keys[:4])),
                        _evidence(low, high, area),
                    )
                )
        div = [
            f
            for f in facts
            if f.subject_type == "intervention"
            and f.direction == "increase"
            and "alpha diversity" in f.effect
        ]
        if div:
            found.append(
                Link(
                    "diversity",
                    "shannon",
                    1.0,
                    5,
                    tuple(k for f in div for k in f.citations),
                    "diets reported to raise alpha diversity: " + "; ".join(f.subject for f in div),
                )
            )
        out[area] = tuple(found)
    _LINKS[id(kb)] = (kb, out)
    return out


def measured_values(results: Results) -> dict[tuple[str, str], tuple[float | None, float]]:
    """(kind, name) -> (value, percentile) of every quantity with a reference percentile."""
    out: dict[tuple[str, str], tuple[float | None, float]] = {}
    shannon = results.alpha.percentiles.get("shannon")
    if shannon is not None:
        out[("diversity", "shannon")] = (results.alpha.shannon, float(shannon))
    for g in results.guilds:
        if g.percentile is not None:
            out[("guild", g.guild)] = (g.share, float(g.percentile))
    for t in results.taxa_percentiles:
        if t.percentile is not None and t.rank in ("genus", "species"):
            out.setdefault(("taxon", t.name.casefold()), (t.relative_abundance, t.percentile))
    return out


def _text(label: str, score: float | None, confidence: float) -> str:
    if score is None:
        return f"{label}: no score, none of the cited indicators could be measured."
    if score >= 60:
        lean = "leans towards the features that cited studies associate with health"
    elif score <= 40:
        lean = "leans towards features that cited studies found more often in conditions"
    else:
        lean = "is close to the middle of the healthy reference"
    return (
        f"{label}: your sample {lean} (score {score:.0f} of 100; "
        f"{confidence:.0%} of the cited indicators were measured). Not a diagnosis."
    )


def area_scores(
    results: Results, kb: KnowledgeBase, symptoms: Mapping[str, int] | None = None
) -> list[AreaScore]:
    """The six area scores (see the module docstring for the formula)."""
    values = measured_values(results)
    symptoms = symptoms or {}
    out = []
    for area, label in AREAS.items():
        cands = links(kb)[area]
        hits = []
        for link in cands:
            key = (link.what, link.name if link.what != "taxon" else link.name.casefold())
            if key in values:
                hits.append((link, *values[key]))
        total_w = sum(link.weight for link, _, _ in hits)
        drivers = []
        for link, value, pct in hits:
            c = link.weight / total_w * link.valence * (pct - 50.0)
            direction = "neutral" if abs(c) < 0.05 else "favourable" if c > 0 else "unfavourable"
            drivers.append(
                Driver(
                    what=link.what,  # type: ignore[arg-type]
                    name=link.name,
                    value=value,
                    percentile=round(pct, 1),
                    contribution=round(c, 2),
                    direction=direction,  # type: ignore[arg-type]
                    valence=round(link.valence, 3),
                    evidence=link.evidence,
                    citations=refs(kb, link.citations, limit=4),
                )
            )
        drivers.sort(key=lambda d: -abs(d.contribution))
        score = round(50.0 + sum(d.contribution for d in drivers), 1) if drivers else None
        confidence = round(len(hits) / len(cands), 3) if cands else 0.0
        reason = None
        if not cands:
            reason = "the knowledge base links no measurable indicator to this area"
        elif not drivers:
            reason = "none of the cited indicators of this area could be measured in this sample"
        out.append(
            AreaScore(
                name=area,  # type: ignore[arg-type]
                label=label,
                score=score,
                reason=reason,
                confidence=confidence,
                measured=len(hits),
                candidates=len(cands),
                drivers=drivers,
                text=_text(label, score, confidence),
                priority=sum(symptoms.get(s) or 0 for s in _SYMPTOMS.get(area, ())),
            )
        )
    return out
