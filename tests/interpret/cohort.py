"""Real MetAML samples (Pasolli et al. 2016) as ``Results`` for interpretation tests.

Base results are those of :func:`tests.report.fixtures.results_for` without indices (alpha
diversity with reference percentiles), computed with the fixture's own functions; the reference's
alpha values are computed once here instead of once per sample (same numbers, checked in
``test_cohort_matches_fixture``). Two parts the fixture leaves out and the real ``analyze``
fills are added with the same plain arithmetic, against the same healthy reference
(``healthy_reference_one_per_subject``):

* guild shares with their reference percentile (members from the shared curated guild table;
  a species inside a member genus counted once, through the genus);
* percentiles of every genus and species present in the sample.

Percentiles use the "mean" convention of :func:`scipy.stats.percentileofscore`.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import percentileofscore

from gutlens.analysis.results import (
    AlphaDiversity,
    GuildResult,
    ReferenceInfo,
    Results,
    TaxonPercentile,
)
from gutlens.io import read_profiles
from gutlens.model import Profile
from tests.report.fixtures import METAML, alpha_values, metaml_healthy


@cache
def metaml_table(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(samples metadata, full table clade x sample in percent)."""
    samples = pd.read_csv(data_dir / METAML / "samples.tsv", sep="\t")
    table = pd.read_csv(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz", sep="\t")
    return samples, table


def _plain(name: str) -> str:
    return name.split("__", 1)[-1].replace("_", " ")


def _leaves(frame: pd.DataFrame) -> pd.DataFrame:
    """Genus and species rows by plain name (fractions)."""
    keep = frame[frame["rank"].isin(["genus", "species"])]
    out = keep.drop(columns=["clade", "rank"], errors="ignore").set_index("taxon")
    out.index = [_plain(i) for i in out.index]
    return out


@cache
def _guild_rows(data_dir: Path) -> tuple[dict[str, str], ...]:
    path = data_dir / "knowledge/curated_guilds/guild_members.tsv"
    return tuple(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))


def guild_shares(leaves: pd.DataFrame, data_dir: Path) -> dict[str, tuple[np.ndarray, list]]:
    """guild -> (share per column, found members per column)."""
    out = {}
    rows = _guild_rows(data_dir)
    for guild in dict.fromkeys(r["guild"] for r in rows):
        names = [
            r["taxon_name"]
            for r in rows
            if r["guild"] == guild and r["rank"] in ("genus", "species")
        ]
        names = [n for n in dict.fromkeys(names) if n in leaves.index]
        genera = {n for n in names if " " not in n}
        counted = [n for n in names if not (" " in n and n.split(" ")[0] in genera)]
        share = leaves.loc[counted].sum(axis=0).to_numpy() if counted else np.zeros(leaves.shape[1])
        out[guild] = (np.minimum(share, 1.0), counted)
    return out


def _pct(ref: np.ndarray, value: float) -> float:
    return float(((ref < value).sum() + 0.5 * (ref == value).sum()) / len(ref) * 100)


@cache
def _ref_alpha(data_dir: Path) -> pd.DataFrame:
    ref_species = metaml_healthy(data_dir).xs("species", level="rank")
    return pd.DataFrame([alpha_values(ref_species[c].to_numpy()) for c in ref_species.columns])


def base_results(profile: Profile, data_dir: Path) -> Results:
    """``results_for(profile, data_dir, with_indices=False)`` with the reference alpha values
    cached (the same arithmetic; ``test_cohort_matches_fixture`` checks it)."""
    ref_alpha = _ref_alpha(data_dir)
    mine = alpha_values(profile.at_rank("species").to_numpy())
    percentiles = {
        m: float(percentileofscore(ref_alpha[m], mine[m], kind="mean"))
        for m in ("richness", "shannon", "inverse_simpson")
    }
    return Results(
        sample_id=profile.sample_id,
        reference=ReferenceInfo(
            name="MetAML healthy stool",
            version="2016",
            n=len(ref_alpha),
            citation="10.1371/journal.pcbi.1004977",
            cross_platform=profile.source.tool_version != "2",
        ),
        alpha=AlphaDiversity(
            rank="species",
            richness=int(mine["richness"]),
            shannon=mine["shannon"],
            simpson=mine["simpson"],
            inverse_simpson=mine["inverse_simpson"],
            pielou=mine["pielou"],
            percentiles=percentiles,
        ),
        indices={},
    )


@cache
def _reference(data_dir: Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    ref = metaml_healthy(data_dir).copy().reset_index()
    leaves = _leaves(ref)
    shares = {g: s for g, (s, _) in guild_shares(leaves, data_dir).items()}
    return leaves, shares


def cohort_results(data_dir: Path, sample_uids: list[str], tmp: Path) -> list[Results]:
    """Results for MetAML samples (read back through the MetaPhlAn reader)."""
    _, table = metaml_table(data_dir)
    sub = table[["clade", "rank", "taxon", *sample_uids]]
    path = tmp / "metaml_subset.tsv"
    sub.drop(columns=["rank", "taxon"]).rename(columns={"clade": "clade_name"}).to_csv(
        path, sep="\t", index=False
    )
    profiles = read_profiles(path)
    ref_leaves, ref_shares = _reference(data_dir)
    leaves = _leaves(sub.assign(**{c: sub[c] / 100.0 for c in sample_uids}))
    mine = guild_shares(leaves, data_dir)
    out = []
    for j, uid in enumerate(sample_uids):
        base = base_results(profiles.profile(uid), data_dir)
        guilds = []
        for guild, (share, members) in mine.items():
            found = [m for m in members if leaves.at[m, uid] > 0]
            if not found:
                continue
            guilds.append(
                GuildResult(
                    guild=guild,
                    share=float(share[j]),
                    percentile=_pct(ref_shares[guild], float(share[j])),
                    members_found=found,
                )
            )
        taxa = []
        col = leaves[uid]
        for name, value in col[col > 0].items():
            if name in ref_leaves.index:
                row = ref_leaves.loc[name]
                row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
                taxa.append(
                    TaxonPercentile(
                        name=str(name),
                        rank="species" if " " in str(name) else "genus",
                        relative_abundance=float(value),
                        percentile=_pct(row.to_numpy(), float(value)),
                    )
                )
        out.append(base.model_copy(update={"guilds": guilds, "taxa_percentiles": taxa}))
    return out
