"""``build_report``: Profile (+ Results, + interpretation) -> :class:`Report`.

Sections appear only when their data exist; every section left out gets a short note saying
what is missing and how to add it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from gutlens._version import __version__
from gutlens.analysis.results import Results
from gutlens.errors import GutlensError
from gutlens.model import Profile
from gutlens.report.citations import CitationRegistry, citations_sha256
from gutlens.report.i18n import catalogue
from gutlens.report.model import (
    AlarmNotice,
    Audience,
    Finding,
    Language,
    MissingNote,
    Note,
    Report,
    ReportProvenance,
    Section,
)
from gutlens.report.scores import guilds_section, indices_section
from gutlens.report.sections import (
    Context,
    composition_section,
    diversity_section,
    methods_section,
    quality_section,
    slug,
    taxa_section,
)

__all__ = ["ReportInputMismatchError", "build_report"]


class ReportInputMismatchError(GutlensError, ValueError):
    """The profile and the analysis results describe different samples."""


#: Sections that need the interpretation layer (areas, barrier, advice), not built yet.
_INTERPRETATION_SECTIONS = ("barrier", "areas", "recommendations", "meal_plan")
_ANALYSIS_SECTIONS = ("diversity", "indices", "guilds", "taxa")


def build_report(
    profile: Profile,
    results: Results | None = None,
    interpretation: Any | None = None,
    *,
    lang: Language = "en",
    audience: Audience = "person",
    questionnaire: str | Path | None = None,
    biomarkers: str | Path | None = None,
    today: date | None = None,
) -> Report:
    """Build the report for one sample.

    Parameters
    ----------
    profile : Profile
        The sample's taxonomic profile (composition, quality, methods).
    results : Results, optional
        Analysis results (diversity, indices, functional groups, taxa percentiles, quality flags).
    interpretation : optional
        Areas, gut barrier, recommendations and meal plan, once the interpretation layer exists;
        carried into the report as given.
    lang : {"en", "nl"}
    audience : {"person", "practitioner"}
        ``practitioner`` adds full tables and numbers.
    questionnaire, biomarkers : path, optional
        Files the user gave; named in the "missing" notes until interpretation uses them.
    today : date, optional
        Report date (default: today, UTC).

    Returns
    -------
    Report

    Raises
    ------
    ReportInputMismatchError
        If ``results`` belong to another sample.
    """
    if results is not None and results.sample_id != profile.sample_id:
        msg = (
            f"the analysis results are for sample {results.sample_id!r}, "
            f"the profile is sample {profile.sample_id!r}"
        )
        raise ReportInputMismatchError(msg)
    cat = catalogue(lang)
    ctx = Context(
        cat=cat, cites=CitationRegistry(), audience=audience, profile=profile, results=results
    )
    built: dict[str, Section | None] = {
        "diversity": diversity_section(ctx),
        "composition": composition_section(ctx),
        "taxa": taxa_section(ctx),
        "indices": indices_section(ctx),
        "guilds": guilds_section(ctx),
        "quality": quality_section(ctx),
        "methods": methods_section(ctx),
    }
    if interpretation is not None:
        from gutlens.report import interpretation as interp

        built = {
            **{k: v for k, v in built.items() if k not in ("quality", "methods")},
            "barrier": interp.barrier_section(ctx, interpretation),
            "areas": interp.areas_section(ctx, interpretation),
            "recommendations": interp.recommendations_section(ctx, interpretation),
            "meal_plan": interp.meal_plan_section(ctx, interpretation),
            "quality": built["quality"],
            "methods": built["methods"],
        }
    missing = _missing_notes(ctx, built, questionnaire, biomarkers, interpretation)
    body = [s for s in built.values() if s is not None]
    sections = [_summary(ctx, body), *body]
    alarms = _alarms(ctx)
    if interpretation is not None:
        alarms = interp.alarm_notices(ctx, interpretation) + alarms
    disclaimer = [
        ctx.note("disclaimer.not_diagnosis", "porcari2025", "clinician_guide2018"),
        ctx.note("disclaimer.clinician", "porcari2025"),
    ]
    references = ctx.cites.references(_cited_keys(alarms, sections, disclaimer))
    day = today or datetime.now(UTC).date()
    return Report(
        sample_id=profile.sample_id,
        created=day.isoformat(),
        created_display=cat.date(day),
        language=lang,
        audience=audience,
        title=cat.t(f"report.title.{audience}"),
        subtitle=cat.t("report.subtitle", sample=profile.sample_id, date=cat.date(day)),
        alarms=alarms,
        sections=sections,
        missing=missing,
        disclaimer=disclaimer,
        references=references,
        provenance=_provenance(profile, results),
        interpretation=(
            interpretation.to_dict()
            if interpretation is not None and hasattr(interpretation, "to_dict")
            else interpretation
        ),
    )


def _cited_keys(
    alarms: list[AlarmNotice], sections: list[Section], disclaimer: list[Note]
) -> Iterator[str]:
    """Citation keys in reading order (the order the HTML shows them)."""
    for alarm in alarms:
        yield from alarm.citations
    for section in sections:
        for note in section.intro:
            yield from note.citations
        for finding in section.findings:
            yield from finding.citations
        for note in section.notes:
            yield from note.citations
    for note in disclaimer:
        yield from note.citations


def _summary(ctx: Context, sections: list[Section]) -> Section:
    """The three findings that stand out most.

    Order: quality warnings, then published indices and findings placed far from the reference
    median (the further, the higher), then the composition facts. A single taxon counts in
    proportion to its share up to 1 % of the sample: a trace taxon absent from the reference
    (often a profiler artefact) is "unusual" but is not among the most important findings.
    """

    def weight(finding: Finding) -> float:
        if finding.tone == "attention" and finding.id.startswith("quality."):
            return 5.0
        if finding.id.startswith("indices.") and finding.value is not None:
            return 2.5 + (abs(finding.percentile - 50) / 50 if finding.percentile else 0)
        if finding.percentile is not None:
            base = 1.5 + 2 * abs(finding.percentile - 50) / 50
            if finding.id.startswith("taxa.") and finding.value is not None:
                return base * min(1.0, finding.value / 0.01)
            return base
        if finding.id.startswith("composition."):
            return 1.0
        return 0.0

    candidates = sorted(
        (f for s in sections for f in s.findings if weight(f) > 0), key=weight, reverse=True
    )
    members = _guild_members(ctx)
    ranked: list[Finding] = []
    for finding in candidates:
        # a species and its genus often say the same thing (Adlercreutzia / A. equolifaciens)
        if any(
            finding.title.startswith(f"{chosen.title} ")
            or chosen.title.startswith(f"{finding.title} ")
            for chosen in ranked
        ):
            continue
        # so do a functional group and a member taxon standing out with it: the group, which
        # says what the bacteria do and names its members, is kept
        if finding.id.startswith("taxa.") and any(
            finding.title in members.get(f.id, ()) and weight(f) >= 0.8 * weight(finding)
            for f in candidates
        ):
            continue
        ranked.append(finding)
        if len(ranked) == 3:
            break
    return Section(
        id="summary",
        title=ctx.cat.t("summary.title"),
        intro=[Note(text=ctx.cat.t("summary.intro"))],
        findings=[f.model_copy(update={"id": f"summary.{f.id}"}) for f in ranked],
    )


def _guild_members(ctx: Context) -> dict[str, set[str]]:
    """Names (species and their genera) of each functional group's members found, by the id of
    the group's finding."""
    if ctx.results is None or not ctx.results.guilds:
        return {}
    return {
        f"guilds.{slug(g.guild)}": {name for m in g.members_found for name in (m, m.split(" ")[0])}
        for g in ctx.results.guilds
    }


def _alarms(ctx: Context) -> list[AlarmNotice]:
    """Critical quality flags become notices shown before any finding."""
    if ctx.results is None:
        return []
    return [
        AlarmNotice(
            code=flag.code,
            severity="critical",
            text=ctx.cat.t("alarm.quality_critical"),
            citations=ctx.cites.keys([flag.citation]),
        )
        for flag in ctx.results.quality_flags
        if flag.severity == "critical"
    ]


#: How ``gutlens.interpret`` notes that no meal plan could be made, and why.
_NO_PLAN = "No meal plan: "


def _missing_notes(
    ctx: Context,
    built: dict[str, Section | None],
    questionnaire: str | Path | None,
    biomarkers: str | Path | None,
    interpretation: Any | None = None,
) -> list[MissingNote]:
    cat = ctx.cat
    notes = []
    for section_id in _ANALYSIS_SECTIONS:
        if built.get(section_id) is None:
            key = "no_results" if ctx.results is None else "no_data"
            notes.append(
                MissingNote(section=section_id, text=cat.t(f"missing.{key}.{section_id}"))  # type: ignore[arg-type]
            )
    if interpretation is not None:
        if built.get("meal_plan") is None:
            failed = [
                n.removeprefix(_NO_PLAN)
                for n in interpretation.notes
                if isinstance(n, str) and n.startswith(_NO_PLAN)
            ]
            text = (
                cat.t("missing.meal_plan_failed", reason=cat.source(failed[0], mark=False))
                if failed
                else cat.t("missing.meal_plan_off")
            )
            notes.append(MissingNote(section="meal_plan", text=text))
        return notes
    given = []
    if questionnaire is not None:
        given.append(cat.t("missing.given.questionnaire", name=Path(questionnaire).name))
    if biomarkers is not None:
        given.append(cat.t("missing.given.biomarkers", name=Path(biomarkers).name))
    for section_id in _INTERPRETATION_SECTIONS:
        text = cat.t(f"missing.interpretation.{section_id}")
        if not given and section_id == _INTERPRETATION_SECTIONS[-1]:
            text += " " + cat.t("missing.how_to_add")
        notes.append(MissingNote(section=section_id, text=text))  # type: ignore[arg-type]
    if given:
        notes.append(
            MissingNote(section="areas", text=cat.t("missing.received", files=", ".join(given)))
        )
    return notes


def _provenance(profile: Profile, results: Results | None) -> ReportProvenance:
    src, prov = profile.source, profile.provenance
    ref = results.reference if results is not None else None
    kb = results.provenance.get("knowledge_base_version") if results is not None else None
    return ReportProvenance(
        input_name=Path(prov.path).name if prov.path else None,
        input_sha256=prov.sha256,
        input_format=src.format,
        tool=src.tool,
        tool_version=src.tool_version,
        database=src.database,
        gutlens_version=__version__,
        reference_name=ref.name if ref else None,
        reference_version=ref.version if ref else None,
        results_format_version=results.format_version if results is not None else None,
        knowledge_base_version=None if kb is None else str(kb),
        citations_sha256=citations_sha256(),
    )
