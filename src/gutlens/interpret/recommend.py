"""Ranked, cited recommendations, each tied to the finding it addresses.

Sources (all from the knowledge base, never invented):

* findings "guild/taxon is low" (< 25th percentile of the healthy reference) for guilds and
  taxa whose cited associations lean health-associated, and "is high" (> 75th) for those that
  lean disease-associated: the interventions of :meth:`KnowledgeBase.evidence_for`;
* low Shannon diversity: food interventions reported to raise alpha diversity, and foods
  reported to lower it (to eat less);
* symptoms from the questionnaire: probiotic strains with human trials on that symptom;
* recent antibiotics: strains with meta-analyses on antibiotic-associated diarrhoea;
* barrier proxies: lifestyle facts (alcohol and permeability, exercise and faecal SCFA);
* always: the fibre meta-analysis (tied to the meal plan's fibre target).

Ranking: questionnaire symptoms first (by severity), then findings by how far they lie from
the reference, then evidence grade (meta-analysis > RCT > non-randomised trial > observational
> animal > in vitro). Foods are named only as examples of the intervention's food type and are
filtered through :mod:`gutlens.knowledge.exclusions`; a recommendation whose own wording hits
an excluded food is left out and listed in the notes. Conflicts (low-FODMAP vs fermentable
fibre, mixed trial results, dairy carriers of probiotics) are stated in ``conflict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gutlens.analysis.results import Results
from gutlens.interpret._cite import refs
from gutlens.interpret.barrier import HIGH, LOW
from gutlens.interpret.model import FindingItem, Recommendation
from gutlens.knowledge import Fact, KnowledgeBase, Questionnaire
from gutlens.knowledge.exclusions import excluded_tags, food_tags

__all__ = ["GRADE_ORDER", "GRADE_WORDS", "Finding", "findings", "recommendations"]

GRADE_ORDER = (
    "meta-analysis",
    "rct",
    "non-randomised-trial",
    "human-observational",
    "animal",
    "in-vitro",
    "genomic",
    "review",
    "consensus",
)
#: evidence grade -> words for the text ("In a randomised trial it raised ...")
GRADE_WORDS = {
    "meta-analysis": "a meta-analysis",
    "rct": "a randomised trial",
    "non-randomised-trial": "a non-randomised trial",
    "human-observational": "an observational study in people",
    "animal": "an animal study",
    "in-vitro": "a laboratory study",
    "genomic": "a genome study",
    "review": "a review",
    "consensus": "an expert consensus",
}
_LOW = ("lower_in_condition", "health_associated")
_HIGH = ("higher_in_condition", "disease_associated")
#: example foods of an intervention's food type (words of USDA descriptions), by keyword
_FOOD_EXAMPLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resistant", ("lentils", "beans", "chickpeas", "potatoes", "bananas")),
    ("inulin", ("onions", "leeks", "asparagus", "chicory", "bananas")),
    ("fructans", ("onions", "leeks", "asparagus", "chicory", "bananas")),
    ("fermented", ("yogurt", "kefir", "sauerkraut", "kimchi")),
    ("mediterranean", ("lentils", "beans", "tomatoes", "olive oil", "fish", "walnuts")),
    ("plant types", ("lentils", "beans", "broccoli", "berries", "seeds", "quinoa")),
    ("fibre", ("lentils", "beans", "chickpeas", "oats", "barley", "pears", "raspberries")),
)
_SYMPTOM_WORDS = {
    "bloating": ("bloating",),
    "abdominal_pain": ("abdominal pain", "ibs symptom"),
    "gas": ("bloating", "ibs symptom"),
    "constipation": ("transit", "stool frequency", "constipation"),
    "diarrhea": ("ibs-d", "diarrhoea"),
}
_FERMENTABLE = ("inulin", "fructans", "oligosaccharides", "resistant", "fibre")


@dataclass(frozen=True)
class Finding:
    """Something in the sample or the questionnaire that a recommendation can address."""

    key: str
    label: str
    level: str
    priority: float
    citations: tuple[str, ...] = ()
    subject: str = ""
    percentile: float | None = None


@dataclass
class _Draft:
    finding: Finding
    fact: Fact
    kind: str
    text: str
    message_key: str
    params: dict[str, str]
    foods: list[str] = field(default_factory=list)
    conflict: str | None = None
    extra: tuple[Fact, ...] = ()


def _valence(kb: KnowledgeBase, subject: str, guild: bool) -> tuple[int, tuple[str, ...]]:
    """Sign of (health-associated - disease-associated) facts, and their citation keys."""
    names = {m.taxon for m in kb.guild_members(subject)} if guild else {subject}
    low = high = 0
    keys: list[str] = []
    for name in sorted(names):
        for f in kb.facts_about(name, "taxon"):
            if f.direction in _LOW:
                low += 1
            elif f.direction in _HIGH:
                high += 1
            else:
                continue
            keys.extend(f.citations)
    return (low > high) - (high > low), tuple(dict.fromkeys(keys))


def findings(results: Results, kb: KnowledgeBase) -> list[Finding]:
    """Low health-associated / high disease-associated guilds and taxa, and low diversity."""
    out: list[Finding] = []
    for g in results.guilds:
        if g.percentile is None:
            continue
        v, assoc = _valence(kb, g.guild, guild=True)
        members = tuple(dict.fromkeys(m.citation for m in kb.guild_members(g.guild)))
        keys = (*members[:2], *assoc[:3])
        if v > 0 and g.percentile < LOW:
            out.append(
                Finding(
                    f"guild:{g.guild}:low",
                    g.guild,
                    "low",
                    5 + (LOW - g.percentile) / 5,
                    keys,
                    g.guild,
                    g.percentile,
                )
            )
        elif v < 0 and g.percentile > HIGH:
            out.append(
                Finding(
                    f"guild:{g.guild}:high",
                    g.guild,
                    "high",
                    5 + (g.percentile - HIGH) / 5,
                    keys,
                    g.guild,
                    g.percentile,
                )
            )
    for t in results.taxa_percentiles:
        if t.percentile is None:
            continue
        v, assoc = _valence(kb, t.name, guild=False)
        keys = assoc[:4]
        if v > 0 and t.percentile < LOW:
            out.append(
                Finding(
                    f"taxon:{t.name}:low",
                    t.name,
                    "low",
                    3 + (LOW - t.percentile) / 5,
                    keys,
                    t.name,
                    t.percentile,
                )
            )
        elif v < 0 and t.percentile > HIGH:
            out.append(
                Finding(
                    f"taxon:{t.name}:high",
                    t.name,
                    "high",
                    3 + (t.percentile - HIGH) / 5,
                    keys,
                    t.name,
                    t.percentile,
                )
            )
    shannon = results.alpha.percentiles.get("shannon")
    if shannon is not None and shannon < LOW:
        keys = tuple(
            k
            for f in kb.facts
            if f.subject_type == "intervention" and "alpha diversity" in f.effect
            for k in f.citations
        )[:3]
        out.append(
            Finding(
                "diversity:shannon:low",
                "Shannon diversity",
                "low",
                5 + (LOW - shannon) / 5,
                keys,
                "shannon",
                shannon,
            )
        )
    return out


def _foods(fact: Fact, banned: frozenset[str]) -> list[str]:
    text = fact.subject.casefold()
    for word, foods in _FOOD_EXAMPLES:
        if word in text:
            return [f for f in foods if not (food_tags("", f) & banned)]
    return []


def _increase_text(finding: Finding, fact: Fact, foods: list[str]) -> str:
    head = f"To support {finding.label.replace('_', ' ')} ({finding.level} in your sample): "
    effect = fact.effect.rstrip(".")
    body = f"{fact.subject}. In {GRADE_WORDS[fact.evidence_grade]} it raised {effect}."
    tail = f" Example foods: {', '.join(foods)}." if foods else ""
    return head + body + tail


def _drafts(
    results: Results, kb: KnowledgeBase, q: Questionnaire | None, banned: frozenset[str]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    for fnd in findings(results, kb):
        if fnd.key.startswith("diversity"):
            for f in kb.facts:
                if f.subject_type != "intervention" or f.kind != "food":
                    continue
                if f.direction == "increase" and "alpha diversity" in f.effect:
                    foods = _foods(f, banned)
                    drafts.append(
                        _Draft(
                            fnd,
                            f,
                            "food",
                            _increase_text(fnd, f, foods),
                            "interpret.rec.increase",
                            {"subject": f.subject, "effect": f.effect},
                            foods,
                        )
                    )
                elif f.direction == "decrease" and "diversity" in f.effect:
                    text = (
                        f"Eat less of this: {f.subject}. In {GRADE_WORDS[f.evidence_grade]} "
                        f"it lowered {f.effect}."
                    )
                    drafts.append(
                        _Draft(
                            fnd,
                            f,
                            "food",
                            text,
                            "interpret.rec.less",
                            {"subject": f.subject, "effect": f.effect},
                        )
                    )
            continue
        ev = kb.evidence_for(fnd.subject, fnd.level)
        for f in ev.interventions:
            if fnd.level == "high":
                continue  # no cited intervention lowers a guild/taxon as advice today
            kind = "fibre/prebiotic" if f.kind in ("fibre", "prebiotic") else str(f.kind)
            if kind not in ("food", "fibre/prebiotic", "probiotic_strain", "lifestyle"):
                continue
            foods = _foods(f, banned)
            drafts.append(
                _Draft(
                    fnd,
                    f,
                    kind,
                    _increase_text(fnd, f, foods),
                    "interpret.rec.increase",
                    {"subject": f.subject, "effect": f.effect},
                    foods,
                )
            )
        if fnd.subject == "butyrate_producer":
            for f in kb.facts:
                if (
                    f.subject_type == "intervention"
                    and f.kind == "lifestyle"
                    and f.direction == "increase"
                    and "exercise" in f.subject.casefold()
                    and "SCFA" in f.effect
                ):
                    text = (
                        f"Regular movement: {f.subject} raised {f.effect} "
                        f"({GRADE_WORDS[f.evidence_grade]})."
                    )
                    drafts.append(
                        _Draft(
                            fnd,
                            f,
                            "lifestyle",
                            text,
                            "interpret.rec.lifestyle",
                            {"subject": f.subject, "effect": f.effect},
                        )
                    )
        if fnd.subject in ("butyrate_producer", "lps_proteobacteria_pathobiont"):
            alcohol = sorted(
                (
                    f
                    for f in kb.facts
                    if f.subject_type == "intervention"
                    and f.kind == "lifestyle"
                    and f.direction == "increase"
                    and "permeability" in f.effect
                    and "alcohol" in f.subject.casefold()
                ),
                key=lambda f: GRADE_ORDER.index(f.evidence_grade),
            )
            if alcohol:
                f = alcohol[0]
                text = (
                    f"Keep alcohol low: {f.subject.lower()} was reported to raise {f.effect} "
                    f"({GRADE_WORDS[f.evidence_grade]})."
                )
                drafts.append(
                    _Draft(
                        fnd,
                        f,
                        "lifestyle",
                        text,
                        "interpret.rec.alcohol",
                        {"subject": f.subject, "effect": f.effect},
                        extra=tuple(alcohol[1:]),
                    )
                )
    if q is not None:
        drafts += _symptom_drafts(kb, q)
    general = [
        f
        for f in kb.facts
        if f.subject_type == "intervention"
        and f.kind == "fibre"
        and f.direction == "decrease"
        and f.evidence_grade == "meta-analysis"
    ]
    for f in general[:1]:
        fnd = Finding("general:fibre", "dietary fibre", "general", 1.0, f.citations, "fibre")
        target = q.fiber_target_g if q and q.fiber_target_g else 30.0
        foods = _foods(f, banned)
        text = (
            f"Aim for at least {target:g} g of fibre a day (the meal plan below does): "
            f"{f.subject.lower()} was associated with lower {f.effect} "
            f"({GRADE_WORDS[f.evidence_grade]})."
        )
        drafts.append(
            _Draft(
                fnd,
                f,
                "fibre/prebiotic",
                text,
                "interpret.rec.fibre",
                {"target_g": f"{target:g}", "effect": f.effect},
                foods,
            )
        )
    return drafts


def _symptom_drafts(kb: KnowledgeBase, q: Questionnaire) -> list[_Draft]:
    drafts: list[_Draft] = []
    strains = [
        f
        for f in kb.facts
        if f.kind == "probiotic_strain"
        and f.strain
        and f.direction in ("improves", "decrease")
        and not f.strain.startswith(("multiple", "Lactobacillus /", "Lactobacillus,", "VSL"))
        and "infant" not in f.effect
        and "crying" not in f.effect
    ]
    symptoms = q.symptoms.model_dump()
    for name, words in _SYMPTOM_WORDS.items():
        sev = symptoms.get(name) or 0
        if sev < 2:
            continue
        fnd = Finding(
            f"symptom:{name}", name.replace("_", " "), "reported", 10 + 2 * sev, subject=name
        )
        for f in strains:
            if any(w in f.effect.casefold() for w in words):
                drafts.append(_probiotic(fnd, f, kb))
    if q.antibiotics_last_3_months:
        fnd = Finding(
            "context:antibiotics", "recent antibiotics", "reported", 9.0, subject="antibiotics"
        )
        for f in strains:
            if "antibiotic-associated" in f.effect:
                drafts.append(_probiotic(fnd, f, kb))
    return drafts


def _probiotic(fnd: Finding, f: Fact, kb: KnowledgeBase) -> _Draft:
    text = (
        f"For {fnd.label}: the strain {f.strain} was reported to improve {f.effect} "
        f"({GRADE_WORDS[f.evidence_grade]}"
        f"{', ' + f.population if f.population else ''}). Ask a "
        "clinician or pharmacist; gutlens names strains, never brands."
    )
    against = tuple(
        g
        for g in kb.facts
        if g.subject == f.subject
        and g.direction in ("no_effect", "inconsistent")
        and g.effect == f.effect
    )
    conflict = None
    if against:
        where = "; ".join(g.population or "another group" for g in against)
        conflict = (
            f"Evidence is mixed: the cited analysis found no clear effect on {f.effect} in {where}."
        )
    return _Draft(
        fnd,
        f,
        "probiotic_strain",
        text,
        "interpret.rec.probiotic",
        {"strain": str(f.strain), "effect": f.effect},
        conflict=conflict,
        extra=against,
    )


def recommendations(
    results: Results, kb: KnowledgeBase, q: Questionnaire | None = None
) -> tuple[list[Recommendation], list[str], list[FindingItem]]:
    """Ranked recommendations, notes on what was left out, and the sample's findings."""
    diet = q.diet if q else "omnivore"
    restr: Iterable[str] = q.restrictions if q else ()
    allergies: Iterable[str] = q.allergies if q else ()
    banned = excluded_tags(diet, restr, allergies)
    notes: list[str] = []
    seen: set[str] = set()
    kept: list[_Draft] = []
    drafts = sorted(
        _drafts(results, kb, q, banned),
        key=lambda d: (-d.finding.priority, GRADE_ORDER.index(d.fact.evidence_grade)),
    )
    symptoms: Mapping[str, int | None] = q.symptoms.model_dump() if q else {}
    for d in drafts:
        if d.fact.subject in seen:
            continue
        hit = food_tags("", d.text) & banned
        if hit:
            notes.append(
                f"Left out '{d.fact.subject}': it names food you exclude "
                f"({', '.join(sorted(hit))})."
            )
            seen.add(d.fact.subject)
            continue
        seen.add(d.fact.subject)
        subject = d.fact.subject.casefold()
        if (
            q is not None
            and "low_fodmap" in q.restrictions
            and any(w in subject for w in _FERMENTABLE)
        ):
            fodmap = [f for f in kb.facts if f.subject == "Low-FODMAP diet"]
            d.extra += tuple(fodmap)
            d.conflict = (
                "You follow a low-FODMAP diet, which limits fermentable carbohydrates "
                "such as fructans and galacto-oligosaccharides. A low-FODMAP diet was "
                "reported to lower Bifidobacterium (cited); keep it as agreed with your "
                "dietitian and discuss adding this fibre during reintroduction."
            )
        elif (
            d.kind == "fibre/prebiotic"
            and max((symptoms.get("bloating") or 0), (symptoms.get("gas") or 0)) >= 2
        ):
            d.conflict = (
                "You report bloating or gas: add this fibre gradually over a few "
                "weeks and go back a step if symptoms get worse."
            )
        if d.kind == "probiotic_strain" and ({"milk", "lactose"} & banned):
            d.conflict = ((d.conflict + " ") if d.conflict else "") + (
                "Your diet excludes dairy: check that the product's carrier and capsule contain "
                "no milk-derived ingredients."
            )
        if "downside" in d.fact.summary or "highest dose" in d.fact.summary:
            d.conflict = ((d.conflict + " ") if d.conflict else "") + (
                "The cited trial also reported a downside at the highest dose (see evidence): "
                "do not take high doses of an isolated supplement without advice."
            )
        kept.append(d)
    out = []
    for i, d in enumerate(kept, start=1):
        keys = [*d.fact.citations, *(k for f in d.extra for k in f.citations)]
        out.append(
            Recommendation(
                rank=i,
                finding=d.finding.key,
                kind=d.kind,  # type: ignore[arg-type]
                text=d.text,
                message_key=d.message_key,
                params=d.params,
                foods=d.foods,
                strain=d.fact.strain,
                evidence_grade=d.fact.evidence_grade,
                evidence=d.fact.summary,
                conflict=d.conflict,
                citations=refs(kb, keys),
            )
        )
    found = [
        FindingItem(
            key=f.key,
            subject=f.subject,
            level=f.level,  # type: ignore[arg-type]
            percentile=round(f.percentile, 1),
            citations=refs(kb, f.citations),
        )
        for f in findings(results, kb)
        if f.percentile is not None
    ]
    return out, notes, found
