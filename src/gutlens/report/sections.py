"""Builders for the report's sections, one function per section.

Each takes a :class:`Context` and returns a :class:`Section` (or ``None`` when its data are
missing). Texts come from the message catalogue; numbers come from the Profile or Results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gutlens.analysis.results import Results
from gutlens.model import Profile
from gutlens.report.charts import distribution_chart, percentile_chart
from gutlens.report.citations import CitationRegistry
from gutlens.report.i18n import Catalogue
from gutlens.report.model import (
    Audience,
    BarChart,
    BarItem,
    Chart,
    Finding,
    Note,
    PercentileItem,
    Section,
    Table,
)

__all__ = [
    "Context",
    "composition_section",
    "diversity_section",
    "methods_section",
    "quality_section",
    "reference_note",
    "slug",
    "taxa_section",
]

#: Bars shown per chart before the rest is grouped as "other".
TOP_PHYLA = 6
TOP_GENERA = 10
#: Rows of the practitioner's species table.
TOP_SPECIES = 30
#: Percentiles outside this open interval are marked "unusual value" (a display choice, not a
#: clinical threshold: it only says how rare the value is in the reference group).
UNUSUAL = (10.0, 90.0)
#: MetaPhlAn 4 genome-bin names (GGB/SGB/FGB numbers) and "... unclassified" placeholders.
_UNNAMED = re.compile(r"^(?:[SGF]GB\d+|.* unclassified)$")


@dataclass
class Context:
    """What every section builder needs."""

    cat: Catalogue
    cites: CitationRegistry
    audience: Audience
    profile: Profile
    results: Results | None

    @property
    def practitioner(self) -> bool:
        """Whether the full tables and numbers are wanted."""
        return self.audience == "practitioner"

    def note(self, key: str, *citations: str, **values: object) -> Note:
        """A catalogue sentence with its citations."""
        return Note(text=self.cat.t(key, **values), citations=self.cites.keys(citations))

    def compared(self, percentile: float) -> str:
        """'higher than 62% of the reference group' (or 'higher/lower than nearly everyone')."""
        if percentile >= 99.5:
            return self.cat.t("common.percentile_top")
        if percentile <= 0.5:
            return self.cat.t("common.percentile_bottom")
        return self.cat.t("common.percentile", pct=self.cat.whole_percent(percentile / 100))


def cross_platform_limits(ctx: Context) -> tuple[list[str], str | None]:
    """Citation keys and the limit a finding placed against the reference carries when the
    sample comes from another profiler than the reference's (MBQC 2017: pipelines differ)."""
    if ctx.results is None or not ctx.results.reference.cross_platform:
        return [], None
    return ctx.cites.keys(["sinha2017"]), ctx.cat.t("common.limits_cross_platform")


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum() or ch == "_")


def _bars(ctx: Context, rank: str, top: int, other_key: str, unresolved_key: str) -> list[BarItem]:
    values = ctx.profile.at_rank(rank)
    items = [
        BarItem(label=str(name), share=float(v), display=ctx.cat.share(float(v)))
        for name, v in values.head(top).items()
    ]
    rest = float(values.iloc[top:].sum())
    if rest > 0:
        items.append(
            BarItem(
                label=ctx.cat.t(other_key), share=rest, display=ctx.cat.share(rest), kind="other"
            )
        )
    unresolved = max(0.0, 1.0 - float(values.sum()))
    if unresolved >= 0.0005:
        items.append(
            BarItem(
                label=ctx.cat.t(unresolved_key),
                share=unresolved,
                display=ctx.cat.share(unresolved),
                kind="unresolved",
            )
        )
    return items


def composition_section(ctx: Context) -> Section:
    """Phylum and genus bars from the profile (always present)."""
    cat = ctx.cat
    phyla = _bars(ctx, "phylum", TOP_PHYLA, "composition.other_phyla", "composition.no_phylum")
    genera = _bars(ctx, "genus", TOP_GENERA, "composition.other_genera", "composition.no_genus")
    charts: list[Chart] = [
        BarChart(
            title=cat.t("composition.phylum_chart"),
            description=cat.t(
                "composition.chart_alt",
                items="; ".join(f"{b.label} {b.display}" for b in phyla),
            ),
            items=phyla,
            stacked=True,
        ),
        BarChart(
            title=cat.t("composition.genus_chart"),
            description=cat.t(
                "composition.chart_alt",
                items="; ".join(f"{b.label} {b.display}" for b in genera),
            ),
            items=genera,
        ),
    ]
    findings = []
    top_phylum = next((b for b in phyla if b.kind == "taxon"), None)
    if top_phylum is not None:
        findings.append(
            Finding(
                id="composition.top_phylum",
                title=cat.t("composition.top_phylum.title"),
                text=cat.t(
                    "composition.top_phylum.text", name=top_phylum.label, share=top_phylum.display
                ),
                value=top_phylum.share,
                display=top_phylum.display,
            )
        )
    taxa = ctx.profile.taxa
    n_genera = int((taxa["rank"] == "genus").sum())
    n_species = int((taxa["rank"] == "species").sum())
    top_genus = next((b for b in genera if b.kind == "taxon"), None)
    if top_genus is not None:
        findings.append(
            Finding(
                id="composition.top_genus",
                title=cat.t("composition.top_genus.title"),
                text=cat.t(
                    "composition.top_genus.text", name=top_genus.label, share=top_genus.display
                ),
                value=top_genus.share,
                display=top_genus.display,
            )
        )
    findings.append(
        Finding(
            id="composition.counts",
            title=cat.t("composition.counts.title"),
            text=cat.t(
                "composition.counts.text",
                genera=cat.integer(n_genera),
                species=cat.integer(n_species),
            ),
            value=float(n_species),
            display=cat.integer(n_species),
        )
    )
    if ctx.results is not None and ctx.results.enterotype is not None:
        findings.append(_enterotype_finding(ctx))
    tables = []
    if ctx.practitioner:
        species = ctx.profile.at_rank("species").head(TOP_SPECIES)
        tables.append(
            Table(
                caption=cat.t("composition.species_table", n=len(species)),
                columns=[cat.t("table.species"), cat.t("table.share")],
                rows=[[str(name), cat.share(float(v))] for name, v in species.items()],
                numeric=[False, True],
            )
        )
    notes = []
    if any(_UNNAMED.search(b.label) for b in genera if b.kind == "taxon"):
        notes.append(Note(text=cat.t("composition.unnamed")))
    notes.append(ctx.note("composition.fb_ratio", "porcari2025", "magne2020"))
    return Section(
        id="composition",
        title=cat.t("composition.title"),
        intro=[ctx.note("composition.intro", "porcari2025")],
        findings=findings,
        charts=charts,
        tables=tables,
        notes=notes,
    )


def _enterotype_finding(ctx: Context) -> Finding:
    assert ctx.results is not None and ctx.results.enterotype is not None
    cat, result = ctx.cat, ctx.results.enterotype
    citations = ctx.cites.keys([result.citation])
    if result.label is None:
        return Finding(
            id="composition.enterotype",
            title=cat.t("composition.enterotype.title"),
            text=cat.t("composition.enterotype.not_assigned"),
            citations=citations,
        )
    drivers = ", ".join(
        f"{name} {cat.share(value)}"
        for name, value in sorted(result.driver_abundances.items(), key=lambda kv: -kv[1])
    )
    text = cat.t("composition.enterotype.text", label=result.label, drivers=drivers or "–")
    if ctx.practitioner and result.confidence is not None:
        text += " " + cat.t(
            "composition.enterotype.confidence",
            confidence=cat.whole_percent(result.confidence),
            method=result.method,
        )
    return Finding(
        id="composition.enterotype",
        title=cat.t("composition.enterotype.title"),
        text=text,
        display=result.label,
        citations=[*citations, *ctx.cites.keys(["vandeputte2021"])],
        limits=cat.t("composition.enterotype.limits"),
    )


#: Metrics recomputed over detected taxa for a cross-platform sample (``alpha.detected``).
_DETECTED_METRICS = frozenset({"richness", "shannon", "simpson", "inverse_simpson", "pielou"})


def diversity_section(ctx: Context) -> Section | None:
    """Within-sample diversity against the reference (needs Results)."""
    if ctx.results is None:
        return None
    cat, alpha, ref = ctx.cat, ctx.results.alpha, ctx.results.reference
    ref_cite = ctx.cites.keys([ref.citation])
    cross_cite, cross_limits = cross_platform_limits(ctx)
    findings: list[Finding] = []
    points: list[PercentileItem] = []
    metrics = [
        ("shannon", alpha.shannon, 2),
        ("richness", float(alpha.richness), 0),
        ("simpson", alpha.simpson, 3),
        ("inverse_simpson", alpha.inverse_simpson, 2),
        ("pielou", alpha.pielou, 3),
        ("chao1", alpha.chao1, 1),
    ]
    detected = alpha.detected
    if detected is not None:  # percentiles were computed on the taxa the reference would detect
        metrics = [
            (m, getattr(detected, m) if m in _DETECTED_METRICS else v, d) for m, v, d in metrics
        ]
    rows = []
    for metric, value, digits in metrics:
        if value is None:
            continue
        pct = alpha.percentiles.get(metric)
        rows.append(
            [
                cat.t(f"diversity.metric.{metric}"),
                cat.number(value, digits),
                "–" if pct is None else cat.number(pct, 0),
            ]
        )
        if metric not in ("shannon", "richness"):
            continue
        shown = cat.number(value, digits)
        where = ctx.compared(pct) if pct is not None else cat.t("common.no_percentile")
        findings.append(
            Finding(
                id=f"diversity.{metric}",
                title=cat.t(f"diversity.metric.{metric}"),
                text=cat.t(f"diversity.text.{metric}", value=shown, where=where),
                value=float(value),
                display=shown,
                percentile=pct,
                tone="info" if pct is not None and not UNUSUAL[0] < pct < UNUSUAL[1] else "neutral",
                citations=(ref_cite + cross_cite) if pct is not None else [],
                limits=cross_limits if pct is not None else None,
            )
        )
        if pct is not None:
            points.append(
                PercentileItem(
                    label=cat.t(f"diversity.metric.{metric}"),
                    percentile=pct,
                    display=f"{shown} · {where}",
                )
            )
    charts: list[Chart] = []
    shannon = detected.shannon if detected is not None else alpha.shannon
    if shannon is not None:
        curve = distribution_chart(ctx, "shannon", shannon, 2)
        if curve is not None:
            charts.append(curve)
    if points:
        charts.append(percentile_chart(ctx, cat.t("diversity.chart"), points))
    notes = [ctx.note("diversity.limits", "vandeputte2016", "vandeputte2021")]
    if detected is not None:
        notes.insert(
            0,
            Note(
                text=cat.t(
                    "diversity.detected",
                    raw=cat.integer(alpha.richness),
                    counted=cat.integer(detected.richness),
                    floor=cat.number(100 * detected.min_share, 4) + "%",  # e.g. 0.0028%
                ),
                citations=ref_cite,
            ),
        )
    notes.append(reference_note(ctx))
    if ref.cross_platform:
        notes.append(ctx.note("common.cross_platform", "sinha2017"))
    if ctx.practitioner:
        notes += [
            Note(text=cat.t("common.analysis_note", text=cat.source(n, mark=False)))
            for n in alpha.notes
        ]
    tables = []
    if ctx.practitioner:
        tables.append(
            Table(
                caption=cat.t("diversity.table", rank=cat.t(f"rank.{alpha.rank}")),
                columns=[cat.t("table.metric"), cat.t("table.value"), cat.t("table.percentile")],
                rows=rows,
                numeric=[False, True, True],
            )
        )
    return Section(
        id="diversity",
        title=cat.t("diversity.title"),
        intro=[ctx.note("diversity.intro", "porcari2025")],
        findings=findings,
        charts=charts,
        tables=tables,
        notes=notes,
    )


def reference_note(ctx: Context) -> Note:
    assert ctx.results is not None
    ref = ctx.results.reference
    stratum = (
        ctx.cat.t("common.stratum", stratum=ctx.cat.source(ref.stratum, mark=False))
        if ref.stratum
        else ""
    )
    return ctx.note(
        "common.reference",
        ref.citation,
        name=ref.name,
        n=ctx.cat.integer(ref.n),
        stratum=stratum,
    )


#: In the person's report: how many of the most abundant genera the key-bacteria chart shows,
#: and the smallest share a genus needs to get its own card (a display choice, not a threshold
#: of health: trace taxa stay in the practitioner's full table).
KEY_TAXA_SHOWN = 12
KEY_TAXA_MIN_SHARE = 0.01


def taxa_section(ctx: Context) -> Section | None:
    """Key taxa with their reference percentiles (needs Results with taxa percentiles)."""
    if ctx.results is None or not ctx.results.taxa_percentiles:
        return None
    cat = ctx.cat
    placed = [t for t in ctx.results.taxa_percentiles if t.percentile is not None]
    if not ctx.practitioner:
        # a person sees the genera that make up a real part of the sample, not every trace taxon
        genera = [t for t in placed if t.rank == "genus"] or placed
        placed = sorted(genera, key=lambda t: -t.relative_abundance)[:KEY_TAXA_SHOWN]
    points = [
        PercentileItem(
            label=t.name,
            percentile=t.percentile,
            display=f"{cat.share(t.relative_abundance)} · {ctx.compared(t.percentile)}",
        )
        for t in placed
        if t.percentile is not None
    ]
    charts: list[Chart] = [percentile_chart(ctx, cat.t("taxa.chart"), points)] if points else []
    ref_cite = ctx.cites.keys([ctx.results.reference.citation])
    cross_cite, cross_limits = cross_platform_limits(ctx)
    findings = [
        Finding(
            id=f"taxa.{slug(t.name)}",
            title=t.name,
            text=cat.t(
                "taxa.unusual",
                name=t.name,
                share=cat.share(t.relative_abundance),
                where=ctx.compared(t.percentile),
            ),
            value=t.relative_abundance,
            display=cat.share(t.relative_abundance),
            percentile=t.percentile,
            tone="info",
            citations=ref_cite + cross_cite,
            limits=cross_limits,
        )
        for t in placed
        if t.percentile is not None
        and not UNUSUAL[0] < t.percentile < UNUSUAL[1]
        and (ctx.practitioner or t.relative_abundance >= KEY_TAXA_MIN_SHARE)
    ]
    tables = []
    if ctx.practitioner:
        rows = [
            [
                t.name,
                cat.t(f"rank.{t.rank}") if cat.has(f"rank.{t.rank}") else t.rank,
                cat.share(t.relative_abundance),
                "–" if t.percentile is None else cat.number(t.percentile, 0),
                "–" if t.prevalence is None else cat.share(t.prevalence),
            ]
            for t in ctx.results.taxa_percentiles
        ]
        tables.append(
            Table(
                caption=cat.t("taxa.table"),
                columns=[
                    cat.t("table.taxon"),
                    cat.t("table.rank"),
                    cat.t("table.share"),
                    cat.t("table.percentile"),
                    cat.t("table.prevalence"),
                ],
                rows=rows,
                numeric=[False, False, True, True, True],
            )
        )
    return Section(
        id="taxa",
        title=cat.t("taxa.title"),
        intro=[ctx.note("taxa.intro", ctx.results.reference.citation)],
        findings=findings,
        charts=charts,
        tables=tables,
        notes=[ctx.note("taxa.limits", "vandeputte2021")],
    )


#: How a quality flag's value reads: a count (reads, taxa) or a share of the sample.
_FLAG_VALUES = {
    "low_read_depth": "count",
    "few_taxa": "count",
    "empty_profile": "count",
    "high_unclassified": "share",
    "dominant_taxon": "share",
}


def quality_section(ctx: Context) -> Section:
    """Sample quality from the profile and the analysis' quality flags."""
    cat, profile = ctx.cat, ctx.profile
    if profile.unclassified_fraction > 0:
        unclassified = Finding(
            id="quality.unclassified",
            title=cat.t("quality.unclassified.title"),
            text=cat.t("quality.unclassified.text", share=cat.share(profile.unclassified_fraction)),
            value=profile.unclassified_fraction,
            display=cat.share(profile.unclassified_fraction),
        )
    else:  # readers give 0 when the producer does not state it
        unclassified = Finding(
            id="quality.unclassified",
            title=cat.t("quality.unclassified.title"),
            text=cat.t("quality.unclassified.unknown"),
        )
    findings = [unclassified]
    if profile.total_count:
        findings.append(
            Finding(
                id="quality.reads",
                title=cat.t("quality.reads.title"),
                text=cat.t("quality.reads.text", reads=cat.integer(profile.total_count)),
                value=profile.total_count,
                display=cat.integer(profile.total_count),
            )
        )
    if ctx.results is not None:
        for flag in ctx.results.quality_flags:
            severity = cat.t(f"quality.severity.{flag.severity}")
            what = f"quality.flag.{slug(flag.code)}"
            title = (
                cat.t("quality.flag_title", severity=severity, what=cat.t(what))
                if cat.has(what)
                else severity
            )
            display = None
            if flag.value is not None:
                kind = _FLAG_VALUES.get(flag.code)
                display = (
                    cat.integer(flag.value)
                    if kind == "count"
                    else cat.share(flag.value)
                    if kind == "share"
                    else cat.number(flag.value, 2)
                )
            findings.append(
                Finding(
                    id=f"quality.{slug(flag.code)}",
                    title=title,
                    text=cat.source(flag.message),
                    value=flag.value,
                    display=display,
                    tone="attention" if flag.severity != "info" else "info",
                    citations=ctx.cites.keys([flag.citation]),
                )
            )
    return Section(
        id="quality",
        title=cat.t("quality.title"),
        intro=[Note(text=cat.t("quality.intro"))],
        findings=findings,
        notes=[
            ctx.note("quality.snapshot", "vandeputte2021"),
            ctx.note("quality.labs", "sinha2017"),
        ],
    )


def methods_section(ctx: Context) -> Section:
    """How the report was made: input, tool, database, reference, index definitions."""
    cat, src = ctx.cat, ctx.profile.source
    unknown = cat.t("common.unknown")
    tool = " ".join(x for x in (src.tool, src.tool_version) if x) or unknown
    rows = [
        [cat.t("methods.format"), src.format],
        [cat.t("methods.tool"), tool],
        [cat.t("methods.database"), src.database or unknown],
    ]
    intro = [Note(text=cat.t("methods.intro"))]
    if ctx.results is not None:
        ref = ctx.results.reference
        rows.append([cat.t("methods.reference"), f"{ref.name} {ref.version} (n = {ref.n})"])
        intro.append(reference_note(ctx))
        for index in ctx.results.indices.values():
            code = slug(index.name)
            if cat.has(f"indices.known.{code}.definition"):
                intro.append(ctx.note(f"indices.known.{code}.definition", index.citation))
    intro.append(ctx.note("methods.percentiles"))
    return Section(
        id="methods",
        title=cat.t("methods.title"),
        intro=intro,
        tables=[
            Table(
                caption=cat.t("methods.table"),
                columns=[cat.t("table.item"), cat.t("table.value")],
                rows=rows,
                numeric=[False, False],
            )
        ],
    )
