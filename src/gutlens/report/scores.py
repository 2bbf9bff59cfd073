"""Sections of scores: published indices (with the dysbiosis score) and functional groups."""

from __future__ import annotations

from gutlens.analysis.results import DysbiosisResult, IndexResult
from gutlens.report.charts import percentile_chart
from gutlens.report.i18n import Catalogue
from gutlens.report.model import Chart, Finding, Note, PercentileItem, Section
from gutlens.report.sections import Context, reference_note, slug

__all__ = ["guilds_section", "indices_section"]

#: Citations shown per functional group in the person's report.
GUILD_CITATIONS_SHOWN = 6
#: Functional groups a person's report shows (the practitioner's shows every group): those the
#: report's brief names (SCFA producers, fibre and mucin degraders, probiotic genera, LPS
#: pathobionts, H2S producers, methanogens, equol, oxalate, histamine, TMA and GABA).
PERSON_GUILDS = (
    "butyrate_producer",
    "propionate_producer",
    "acetate_producer",
    "primary_fibre_degrader",
    "mucin_degrader",
    "probiotic_genus",
    "lps_proteobacteria_pathobiont",
    "h2s_producer",
    "methanogen",
    "equol_producer",
    "oxalate_degrader",
    "histamine_producer",
    "tma_producer",
    "gaba_producer",
)

#: Published indices whose decision boundary is 0 (above: resembles the healthy group).
_ZERO_BOUNDARY = {"gmhi", "gmwi2", "gmwi"}


def _index_finding(ctx: Context, key: str, index: IndexResult) -> Finding:
    cat = ctx.cat
    code = slug(index.name)
    known = cat.has(f"indices.known.{code}.meaning")
    citations = ctx.cites.keys([index.citation])
    if index.value is None:
        text = cat.t("indices.not_computed", name=index.name)
        if ctx.practitioner and index.reason:
            text += " " + cat.t("common.analysis_note", text=cat.source(index.reason, mark=False))
        return Finding(
            id=f"indices.{key}",
            title=cat.t(f"indices.known.{code}.name") if known else index.name,
            text=text,
            citations=citations,
        )
    shown = cat.number(index.value, 2)
    parts = [cat.t(f"indices.known.{code}.meaning") if known else cat.t("indices.generic")]
    where = ""
    if index.percentile is not None:
        where = " " + cat.t("indices.where", where=ctx.compared(index.percentile))
    parts.append(cat.t("indices.value", value=shown, where=where))
    tone: str = "neutral"
    if code in _ZERO_BOUNDARY:
        tone = "favourable" if index.value > 0 else "attention"
        parts.append(cat.t("indices.above_zero" if index.value > 0 else "indices.below_zero"))
    if index.species_found is not None and index.species_total is not None:
        parts.append(
            cat.t(
                "indices.species",
                found=cat.integer(index.species_found),
                total=cat.integer(index.species_total),
            )
        )
    if ctx.practitioner:
        parts += [
            cat.t("common.analysis_note", text=cat.source(extra, mark=False))
            for extra in (index.interpretation, index.reason)
            if extra
        ]
    return Finding(
        id=f"indices.{key}",
        title=cat.t(f"indices.known.{code}.name") if known else index.name,
        text=" ".join(parts),
        value=index.value,
        display=shown,
        percentile=index.percentile,
        tone=tone,  # type: ignore[arg-type]
        citations=citations,
        limits=cat.t(f"indices.known.{code}.limits") if known else cat.t("indices.generic_limits"),
    )


def indices_section(ctx: Context) -> Section | None:
    """Published indices with their meaning and limits (needs Results with indices)."""
    if ctx.results is None or not (ctx.results.indices or ctx.results.dysbiosis):
        return None
    findings = [_index_finding(ctx, k, v) for k, v in ctx.results.indices.items()]
    if ctx.results.dysbiosis is not None:
        findings.append(_dysbiosis_finding(ctx, ctx.results.dysbiosis))
    points = [
        PercentileItem(
            label=f.title,
            percentile=f.percentile,
            display=f"{f.display} · {ctx.compared(f.percentile)}",
        )
        for f in findings
        if f.percentile is not None
    ]
    charts: list[Chart] = (
        [percentile_chart(ctx, ctx.cat.t("indices.chart"), points)] if points else []
    )
    return Section(
        id="indices",
        title=ctx.cat.t("indices.title"),
        intro=[ctx.note("indices.intro", "porcari2025")],
        findings=findings,
        charts=charts,
        notes=[reference_note(ctx)],
    )


def _distance_label(cat: Catalogue, metric: str) -> str:
    """``"bray_curtis (species)"`` -> "Bray–Curtis, species level" in the report's language."""
    name, _, rest = metric.partition(" (")
    rank = rest.split(";")[0].rstrip(")")
    key = f"indices.dysbiosis.metric.{name}"
    if not cat.has(key) or not cat.has(f"rank.{rank}"):
        return metric
    return cat.t(key, rank=cat.t(f"rank.{rank}").lower())


def _dysbiosis_finding(ctx: Context, result: DysbiosisResult) -> Finding:
    cat = ctx.cat
    citations = ctx.cites.keys([result.citation])
    if result.median_distance is None:
        text = cat.t("indices.dysbiosis.not_computed")
        if ctx.practitioner and result.reason:
            text += " " + cat.t("common.analysis_note", text=cat.source(result.reason, mark=False))
        return Finding(
            id="indices.dysbiosis",
            title=cat.t("indices.dysbiosis.name"),
            text=text,
            citations=citations,
        )
    shown = cat.number(result.median_distance, 3)
    where = (
        ctx.compared(result.percentile)
        if result.percentile is not None
        else cat.t("common.no_percentile")
    )
    return Finding(
        id="indices.dysbiosis",
        title=cat.t("indices.dysbiosis.name"),
        text=cat.t(
            "indices.dysbiosis.text",
            value=shown,
            metric=_distance_label(cat, result.metric),
            where=where,
        ),
        value=result.median_distance,
        display=shown,
        percentile=result.percentile,
        tone="info" if result.percentile is not None and result.percentile >= 90 else "neutral",
        citations=citations,
        limits=cat.t("indices.dysbiosis.limits"),
    )


def guilds_section(ctx: Context) -> Section | None:
    """Functional groups (needs Results with guilds)."""
    if ctx.results is None or not ctx.results.guilds:
        return None
    cat = ctx.cat
    findings = []
    points = []
    guilds = ctx.results.guilds
    if not ctx.practitioner:
        guilds = [g for g in guilds if g.guild in PERSON_GUILDS]
    for guild in guilds:
        code = slug(guild.guild)
        name = cat.t(f"guilds.known.{code}") if cat.has(f"guilds.known.{code}") else guild.guild
        share = cat.share(guild.share)
        members = ", ".join(guild.members_found[:6]) or cat.t("guilds.none_found")
        if guild.share <= 0:
            # a share of 0 ties with everyone else who lacks the group: a mid-rank percentile
            # ("higher than 43 %") would be false, so say plainly that none were found
            findings.append(
                Finding(
                    id=f"guilds.{code}",
                    title=name,
                    text=cat.t("guilds.absent"),
                    value=0.0,
                    display=share,
                    citations=ctx.cites.keys(guild.citations[:GUILD_CITATIONS_SHOWN]),
                )
            )
            continue
        if guild.percentile is not None:
            where = ctx.compared(guild.percentile)
            text = cat.t("guilds.text", share=share, where=where, members=members)
        else:
            text = cat.t("guilds.text_no_percentile", share=share, members=members)
        findings.append(
            Finding(
                id=f"guilds.{code}",
                title=name,
                text=text,
                value=guild.share,
                display=share,
                percentile=guild.percentile,
                # a guild can rest on dozens of papers (one per member); a person's report shows
                # the first few, the practitioner's all of them
                citations=ctx.cites.keys(
                    guild.citations if ctx.practitioner else guild.citations[:GUILD_CITATIONS_SHOWN]
                ),
            )
        )
        if guild.percentile is not None:
            points.append(
                PercentileItem(
                    label=name, percentile=guild.percentile, display=f"{share} · {where}"
                )
            )
    charts: list[Chart] = [percentile_chart(ctx, cat.t("guilds.chart"), points)] if points else []
    return Section(
        id="guilds",
        title=cat.t("guilds.title"),
        intro=[Note(text=cat.t("guilds.intro"))],
        findings=findings,
        charts=charts,
        notes=[ctx.note("guilds.limits", "vandeputte2021")],
    )
