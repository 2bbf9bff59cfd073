"""Chart builders shared by the report's sections: the reference distribution of a diversity
metric with the person's value, and the percentile strip of several values.

Charts are data (:mod:`gutlens.report.model`); the HTML renderer draws them as inline SVG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gutlens.report.model import DistributionChart, PercentileChart, PercentileItem

if TYPE_CHECKING:
    from gutlens.report.sections import Context

__all__ = ["distribution_chart", "percentile_chart"]


def distribution_chart(
    ctx: Context, metric: str, value: float, digits: int
) -> DistributionChart | None:
    """The reference's distribution of an alpha metric as a smoothed curve with the person's
    value marked (Gaussian kernel density, Silverman's bandwidth), or ``None`` when the shipped
    reference has no values for it."""
    if ctx.results is None:
        return None
    from gutlens.reference import load_reference

    info = ctx.results.reference
    try:
        values = load_reference(info.name).metric_values(f"{ctx.results.alpha.rank}_{metric}")
    except Exception:  # another reference, or no such metric: fall back to percentiles only
        return None
    values = values[np.isfinite(values)]
    if len(values) < 20:
        return None
    low = float(min(values.min(), value))
    high = float(max(values.max(), value))
    pad = (high - low) * 0.05 or 1.0
    low, high = low - pad, high + pad
    grid = np.linspace(low, high, 80)
    bandwidth = 1.06 * float(values.std()) * len(values) ** (-1 / 5) or pad
    density = np.exp(-0.5 * ((grid[:, None] - values[None, :]) / bandwidth) ** 2).sum(axis=1)
    density = density / density.max()
    cat = ctx.cat
    shown = cat.number(value, digits)
    label = cat.t(f"diversity.metric.{metric}")
    return DistributionChart(
        title=cat.t("chart.distribution_title", metric=label),
        description=cat.t(
            "chart.distribution_alt", metric=label, value=shown, n=cat.integer(len(values))
        ),
        curve=[
            (float((x - low) / (high - low)), float(y)) for x, y in zip(grid, density, strict=True)
        ],
        marker=float(np.clip((value - low) / (high - low), 0, 1)),
        marker_label=cat.t("chart.distribution_you", value=shown),
        axis_min=cat.number(low + pad, digits),
        axis_max=cat.number(high - pad, digits),
        caption=cat.t("chart.distribution_caption", n=cat.integer(len(values))),
    )


def percentile_chart(ctx: Context, title: str, items: list[PercentileItem]) -> PercentileChart:
    """Where each item falls among the reference group (0-100), with the quarter labels."""
    cat = ctx.cat
    return PercentileChart(
        title=title,
        description=cat.t(
            "chart.percentile_alt", items="; ".join(f"{i.label}: {i.display}" for i in items)
        ),
        items=items,
        low_label=cat.t("chart.low"),
        mid_label=cat.t("chart.mid"),
        high_label=cat.t("chart.high"),
    )
