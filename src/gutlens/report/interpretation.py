"""Report sections from an :class:`gutlens.interpret.Interpretation`: gut barrier, the six areas,
recommendations and the meal plan with its shopping list, plus alarm notices.

Every label, heading and sentence frame comes from the message catalogue. Texts that come from
data — the knowledge base's descriptions of what a study tested and found, the interpretation's
notes, USDA food names and measures — go through :meth:`Catalogue.source` (a gettext-style
table from English source text to translation); one without a translation is shown in English
and marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gutlens.report.citations import _Entry
from gutlens.report.model import AlarmNotice, Finding, Note, Section, Table
from gutlens.report.sections import Context

__all__ = [
    "alarm_notices",
    "areas_section",
    "barrier_section",
    "meal_plan_section",
    "recommendations_section",
]


def _cite(ctx: Context, refs: Iterable[Any]) -> list[str]:
    """Citation keys for the interpretation's resolved citations (DOI or PMID, with label)."""
    keys: list[str] = []
    for ref in refs:
        doi = getattr(ref, "doi", None)
        pmid = getattr(ref, "pmid", None)
        label = getattr(ref, "label", None) or doi or f"PMID {pmid}"
        if doi:
            ctx.cites.entries.setdefault(f"doi:{doi}", _Entry(doi=doi, pmid=pmid, label=label))
            found = ctx.cites.key(f"doi:{doi}")
        elif pmid:
            ctx.cites.entries.setdefault(f"pmid:{pmid}", _Entry(doi=None, pmid=pmid, label=label))
            found = ctx.cites.key(f"pmid:{pmid}")
        else:
            continue
        keys.extend(k for k in found if k not in keys)
    return keys


def _source_text(ctx: Context, text: str) -> str:
    """A text from data in the report's language (marked as English when untranslated), its
    units printed with the micro sign."""
    out = ctx.cat.source(text)
    fixed = _MICRO.sub("µ", out)
    return out if fixed == out else type(out)(fixed)  # keeps Markup (already escaped) as such


#: The ASCII spellings of the micro prefix in units from data files ("ug/g", "mcg", "umol/L").
_MICRO = re.compile(r"\b(?:u|mc)(?=(?:g|L|l|mol|IU)\b)")


def _unit(unit: str) -> str:
    """A unit as printed: the micro sign for the ASCII "u"/"mc" prefixes (ug/g -> µg/g)."""
    return _MICRO.sub("µ", unit)


def _source_word(ctx: Context, text: str) -> str:
    """A short text from data inside a sentence (a food, an effect): translated, never marked."""
    return ctx.cat.source(text, mark=False)


_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?) (.+)$")


def _measure(ctx: Context, measure: str) -> str:
    """A household measure ('0.5 cup, chopped'): the number per locale, the unit translated."""
    found = _AMOUNT.match(measure)
    if found is None:
        return _source_word(ctx, measure)
    amount = float(found.group(1))
    number = ctx.cat.integer(amount) if amount.is_integer() else ctx.cat.number(amount, 1)
    return f"{number} {_source_word(ctx, found.group(2))}"


#: Recommendation parameters shown as they are: numbers and strain designations.
_VERBATIM_PARAMS = frozenset({"strain", "target_g"})


def _label(ctx: Context, what: str, name: str) -> str:
    cat = ctx.cat
    key = {
        "guild": f"guilds.known.{name}",
        "diversity": f"diversity.metric.{name}",
        "index": f"indices.known.{name}.name",
    }.get(what)
    return cat.t(key) if key and cat.has(key) else name


def alarm_notices(ctx: Context, interpretation: Any) -> list[AlarmNotice]:
    """ "See a doctor" notices for the questionnaire's alarm features (shown first)."""
    notices = []
    for alarm in interpretation.alarms:
        key = f"interpret.alarm.{alarm.feature}"
        what = ctx.cat.t(key) if ctx.cat.has(key) else alarm.feature.replace("_", " ")
        notices.append(
            AlarmNotice(
                code=f"alarm.{alarm.feature}",
                severity="critical",
                text=ctx.cat.t("interpret.alarm.text", what=what),
                citations=ctx.cites.keys(["porcari2025"]) + _cite(ctx, alarm.citations),
            )
        )
    return notices


def barrier_section(ctx: Context, interpretation: Any) -> Section:
    """Microbial proxies of the gut barrier and any measured biomarkers, with their limits."""
    cat = ctx.cat
    barrier = interpretation.barrier
    findings = []
    for proxy in barrier.proxies:
        is_guild = cat.has(f"guilds.known.{proxy.name}")
        metric = proxy.name.removesuffix("_diversity")
        title = _label(ctx, "guild", proxy.name) if is_guild else _label(ctx, "diversity", metric)
        if proxy.reading == "not_measured" or proxy.percentile is None:
            text = cat.t("interpret.barrier.not_measured")
            display = None
        elif is_guild and proxy.value == 0:
            # no member found: a tied mid-rank percentile would misstate it (see guilds section)
            text = cat.t("guilds.absent")
            display = cat.share(0.0)
        else:
            text = cat.t(
                f"interpret.barrier.reading.{proxy.reading}", where=ctx.compared(proxy.percentile)
            )
            if proxy.value is None:
                display = None
            else:  # guilds are shares of the sample; diversity is an index value
                display = cat.share(proxy.value) if is_guild else cat.number(proxy.value, 2)
        findings.append(
            Finding(
                id=f"barrier.{proxy.name}",
                title=title,
                text=text + " " + _source_text(ctx, proxy.meaning),
                display=display,
                percentile=proxy.percentile,
                citations=_cite(ctx, proxy.citations),
            )
        )
    tables = []
    if barrier.biomarkers:
        rows = []
        for marker in barrier.biomarkers:
            if marker.get("value") is None:  # general notes on testing, not a measurement
                continue
            low, high = marker.get("low"), marker.get("high")
            span = (
                "–"
                if low is None and high is None
                else f"{cat.measured(low or 0)}–{cat.measured(high)}"
                if high
                else ""
            )
            value = marker.get("value")
            unit = _unit(str(marker.get("unit") or ""))
            rows.append(
                [
                    _source_word(ctx, str(marker.get("name", marker.get("marker", "")))),
                    "–" if value is None else f"{cat.measured(value)} {unit}".strip(),
                    span,
                    cat.t(f"interpret.barrier.marker.{marker.get('interpretation')}"),
                ]
            )
        tables.append(
            Table(
                caption=cat.t("interpret.barrier.table"),
                columns=[
                    cat.t(f"interpret.barrier.col.{c}")
                    for c in ("marker", "value", "range", "reading")
                ],
                rows=rows,
                numeric=[False, True, True, False],
            )
        )
    citations = _cite(ctx, barrier.citations)
    notes = [Note(text=_source_text(ctx, barrier.limits), citations=citations)]
    for marker in barrier.biomarkers:  # each measured marker: its range note and limits
        if marker.get("value") is None:
            continue
        text = " ".join(x for x in (marker.get("range_note"), marker.get("limitations")) if x)
        notes.append(
            Note(
                text=cat.t(
                    "interpret.barrier.marker_note",
                    name=str(marker.get("name", marker.get("marker", ""))),
                    text=_source_text(ctx, text),
                ),
                citations=_cite(ctx, [_CitationDict(c) for c in marker.get("citations", ())]),
            )
        )
    return Section(
        id="barrier",
        title=cat.t("section.barrier"),
        intro=[Note(text=cat.t("interpret.barrier.intro"), citations=citations)],
        findings=findings,
        tables=tables,
        notes=notes,
    )


#: The plan's mean daily fibre, as a multiple of the target, from which the report says so (a
#: display choice: the target is a floor, and a plan favouring recommended fibre-rich foods
#: exceeds it).
FIBRE_NOTED_ABOVE = 1.5


def _fibre_above_target(ctx: Context, plan: dict[str, Any]) -> list[Note]:
    days = plan.get("days") or []
    target = float(plan.get("fiber_target_g") or 0)
    if not days or target <= 0:
        return []
    mean = sum(float(d["fiber_g"]) for d in days) / len(days)
    if mean < FIBRE_NOTED_ABOVE * target:
        return []
    cat = ctx.cat
    text = cat.t(
        "interpret.meal.above_target", mean=cat.number(mean, 0), target=cat.number(target, 0)
    )
    return [Note(text=text)]


class _CitationDict:
    """A knowledge-base citation given as a dict (``BiomarkerResult`` in JSON form)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.doi = data.get("doi")
        self.pmid = data.get("pmid")
        who = " ".join(str(data[k]) for k in ("first_author", "year") if data.get(k))
        self.label = who or None


def areas_section(ctx: Context, interpretation: Any) -> Section:
    """The six areas: score, confidence and the drivers that moved each, with their sources."""
    cat = ctx.cat
    findings = []
    rows = []
    for area in sorted(interpretation.areas, key=lambda a: -a.priority):
        name = cat.t(f"interpret.areas.name.{area.name}")
        drivers = sorted(area.drivers, key=lambda d: -abs(d.contribution))
        if area.score is None:
            text = cat.t("interpret.areas.not_scored")
            display = None
        else:
            text = cat.t(
                "interpret.areas.text",
                measured=cat.integer(area.measured),
                candidates=cat.integer(area.candidates),
                confidence=cat.whole_percent(area.confidence),
            )
            display = cat.t("interpret.areas.score", score=cat.integer(area.score))
        if drivers:
            shown = ", ".join(
                cat.t(
                    "interpret.areas.driver",
                    name=_label(ctx, d.what, d.name),
                    direction=cat.t(f"interpret.areas.direction.{d.direction}"),
                    points=cat.number(d.contribution, 1),
                )
                for d in drivers[:3]
            )
            text += " " + cat.t("interpret.areas.drivers", drivers=shown)
        if area.priority > 0:
            text += " " + cat.t("interpret.areas.symptoms")
        citations = _cite(ctx, (c for d in drivers[:3] for c in d.citations))
        findings.append(
            Finding(
                id=f"areas.{area.name}",
                title=name,
                text=text,
                value=area.score,
                display=display,
                citations=citations,
                limits=cat.t("interpret.areas.limits"),
            )
        )
        for d in drivers:
            rows.append(
                [
                    name,
                    _label(ctx, d.what, d.name),
                    "–" if d.value is None else cat.number(d.value, 3),
                    cat.integer(d.percentile),
                    cat.number(d.contribution, 1),
                ]
            )
    tables = []
    if ctx.practitioner and rows:
        tables.append(
            Table(
                caption=cat.t("interpret.areas.table"),
                columns=[
                    cat.t(f"interpret.areas.col.{c}")
                    for c in ("area", "driver", "value", "percentile", "points")
                ],
                rows=rows,
                numeric=[False, False, True, True, True],
            )
        )
    return Section(
        id="areas",
        title=cat.t("section.areas"),
        intro=[Note(text=cat.t("interpret.areas.intro"))],
        findings=findings,
        tables=tables,
        notes=[
            Note(
                text=_source_text(ctx, note),
                citations=_cite(ctx, interpretation.citations),
            )
            for note in interpretation.notes[:2]
        ],
    )


def _finding_label(ctx: Context, finding: str) -> str:
    """'guild:butyrate_producer:low' -> 'Butyrate producers (low in your sample)', etc."""
    cat = ctx.cat
    kind, _, rest = finding.partition(":")
    name, _, level = rest.partition(":")
    if kind == "symptom":
        key = f"interpret.symptom.{name}"
        return cat.t(key) if cat.has(key) else name.replace("_", " ")
    label = _label(ctx, "guild", name) if kind == "guild" else name.replace("_", " ")
    if level in ("low", "high"):
        label = cat.t(f"interpret.rec.level.{level}", name=label)
    return label


def recommendations_section(ctx: Context, interpretation: Any) -> Section:
    """Ranked, cited recommendations, each tied to the finding it addresses."""
    cat = ctx.cat
    findings = []
    for rec in interpretation.recommendations:
        kind = rec.kind.replace("/", "_")
        key = rec.message_key
        grade_key = f"interpret.grade.{rec.evidence_grade}"
        grade = cat.t(grade_key) if cat.has(grade_key) else rec.evidence_grade
        if key and cat.has(key):
            foods = (
                cat.t(
                    "interpret.rec.foods", foods=", ".join(_source_word(ctx, f) for f in rec.foods)
                )
                if rec.foods
                else ""
            )
            params = {
                name: value if name in _VERBATIM_PARAMS else _source_word(ctx, value)
                for name, value in rec.params.items()
            }
            text = cat.t(
                key,
                **{
                    **params,
                    "finding": _finding_label(ctx, rec.finding),
                    "grade": grade,
                    "foods": foods,
                },
            )
        else:
            text = _source_text(ctx, rec.text)
        if rec.conflict:
            # the conflict explanations are written by gutlens.interpret in English
            conflict = _source_text(ctx, rec.conflict)
            text += " " + cat.t("interpret.recommendations.conflict", text=conflict)
        findings.append(
            Finding(
                id=f"recommendations.{rec.rank}",
                title=cat.t(f"interpret.recommendations.kind.{kind}"),
                text=text,
                citations=_cite(ctx, rec.citations),
                limits=cat.t("interpret.recommendations.evidence", grade=grade),
            )
        )
    return Section(
        id="recommendations",
        title=cat.t("section.recommendations"),
        intro=[
            ctx.note("interpret.recommendations.intro", "porcari2025"),
            Note(text=cat.t("interpret.recommendations.source_language")),
        ],
        findings=findings,
    )


def meal_plan_section(ctx: Context, interpretation: Any) -> Section | None:
    """Seven days of meals from USDA foods and the week's shopping list."""
    plan = interpretation.meal_plan
    if not plan:
        return None
    cat = ctx.cat
    tables = []
    shopping: dict[str, list[Any]] = {}
    for day in plan["days"]:
        rows = []
        for meal in day["meals"]:
            for item in meal["items"]:
                rows.append(
                    [
                        cat.t(f"interpret.meal.{meal['name']}")
                        if cat.has(f"interpret.meal.{meal['name']}")
                        else meal["name"],
                        _source_word(ctx, item["description"]),
                        _measure(ctx, item["measure"]),
                        cat.integer(item["grams"]),
                    ]
                )
                entry = shopping.setdefault(
                    item["ndb_no"], [_source_word(ctx, item["description"]), 0.0]
                )
                entry[1] += item["grams"]
        tables.append(
            Table(
                caption=cat.t(
                    "interpret.meal.day",
                    n=day["day"],
                    fiber=cat.number(day["fiber_g"], 0),
                    energy=cat.integer(day["energy_kcal"]),
                    protein=cat.number(day["protein_g"], 0),
                ),
                columns=[
                    cat.t(f"interpret.meal.col.{c}") for c in ("meal", "food", "amount", "grams")
                ],
                rows=rows,
                numeric=[False, False, False, True],
            )
        )
    tables.append(
        Table(
            caption=cat.t("interpret.meal.shopping"),
            columns=[cat.t("interpret.meal.col.food"), cat.t("interpret.meal.col.total")],
            rows=[
                [name, cat.integer(grams)]
                for name, grams in sorted(shopping.values(), key=lambda e: str(e[0]))
            ],
            numeric=[False, True],
        )
    )
    return Section(
        id="meal_plan",
        title=cat.t("section.meal_plan"),
        intro=[
            Note(
                text=cat.t(
                    "interpret.meal.intro",
                    target=cat.number(plan["fiber_target_g"], 0),
                    plants=cat.integer(len(plan["plant_foods"])),
                ),
                citations=ctx.cites.keys(plan.get("citations", ())),
            )
        ],
        tables=tables,
        notes=[
            *_fibre_above_target(ctx, plan),
            Note(text=cat.t("interpret.meal.usda")),
            # the planner's notes (e.g. what low_fodmap left out); citations after the first
            # are the sources of those exclusions
            *(
                Note(
                    text=_source_text(ctx, note),
                    citations=ctx.cites.keys(plan.get("citations", ())[1:]),
                )
                for note in plan.get("notes", ())
            ),
        ],
    )
