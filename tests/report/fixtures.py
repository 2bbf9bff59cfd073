"""Results for report tests and screenshots, computed from real files (the analysis layer is
built elsewhere; this stands in for it with plain, checkable arithmetic).

* Reference: the healthy MetAML stool samples, one per subject (Pasolli et al. 2016,
  ``shared/data/reference/metaml_pasolli2016_stool``), MetaPhlAn 2 profiles.
* Alpha diversity: Shannon (natural log), Simpson, inverse Simpson and Pielou over the species of
  each profile; percentiles of the sample among the reference samples.
* Taxa: the sample's most abundant genera placed among the reference's genus abundances.
* GMWI2: the published scoring rule (``knowledge/gmwi2/README.md``): sum of the coefficients of
  the taxa present above 1e-5, matched by rank and name.
* Guilds: summed abundance of ``knowledge/curated_guilds/guild_members.tsv`` members found.
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
    IndexResult,
    ReferenceInfo,
    Results,
    TaxonPercentile,
)
from gutlens.model import Profile

METAML = "reference/metaml_pasolli2016_stool"


def alpha_values(shares: np.ndarray) -> dict[str, float]:
    """Shannon (ln), Simpson, inverse Simpson and Pielou of relative abundances."""
    p = shares[shares > 0]
    p = p / p.sum()
    shannon = float(-(p * np.log(p)).sum())
    sum_sq = float((p**2).sum())
    return {
        "richness": float(len(p)),
        "shannon": shannon,
        "simpson": 1 - sum_sq,
        "inverse_simpson": 1 / sum_sq,
        "pielou": shannon / np.log(len(p)) if len(p) > 1 else float("nan"),
    }


@cache
def metaml_healthy(data_dir: Path) -> pd.DataFrame:
    """Healthy MetAML samples (one per subject): clades x samples, fractions."""
    samples = pd.read_csv(data_dir / METAML / "samples.tsv", sep="\t")
    keep = samples.loc[samples["healthy_reference_one_per_subject"], "sample_uid"].tolist()
    table = pd.read_csv(data_dir / METAML / "relative_abundance_all_ranks.tsv.gz", sep="\t")
    return table.set_index(["rank", "taxon"])[keep] / 100.0


def _plain(name: str) -> str:
    return name.split("__", 1)[-1].replace("_", " ")


def gmwi2(profile: Profile, data_dir: Path) -> tuple[float, int]:
    """GMWI2 by the published rule, and how many coefficient taxa were present."""
    path = data_dir / "knowledge/gmwi2/gmwi2_coefficients.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    present = {
        (r, n.replace("_", " "))
        for r, n, v in zip(
            profile.taxa["rank"],
            profile.taxa["original_name"],
            profile.taxa["relative_abundance"],
            strict=True,
        )
        if v > 1e-5
    }
    hits = [row for row in rows if (row["rank"], _plain(row["taxon"])) in present]
    return float(sum(float(row["coefficient"]) for row in hits)), len(rows)


def guilds(profile: Profile, data_dir: Path) -> list[GuildResult]:
    """Guild shares from the curated member table (species and genus members)."""
    path = data_dir / "knowledge/curated_guilds/guild_members.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    species = profile.at_rank("species")
    genera = profile.at_rank("genus")
    out = []
    for guild in dict.fromkeys(r["guild"] for r in rows):
        members = [r for r in rows if r["guild"] == guild]
        found: dict[str, float] = {}
        for row in members:
            name, rank = row["taxon_name"], row["rank"]
            table = species if rank == "species" else genera if rank == "genus" else None
            if table is not None and name in table.index:
                found[name] = float(table[name])
        # a genus member already holds its species: drop species of found genera
        share = sum(v for k, v in found.items() if not (" " in k and k.split(" ")[0] in found))
        if found:
            cites = list(dict.fromkeys(r["citation_doi"] or r["citation_pmid"] for r in members))
            out.append(
                GuildResult(
                    guild=guild,
                    share=min(share, 1.0),
                    members_found=sorted(found, key=found.__getitem__, reverse=True),
                    citations=[c for c in cites if c][:3],
                )
            )
    return out


def results_for(profile: Profile, data_dir: Path, *, with_indices: bool = True) -> Results:
    """A Results object for ``profile`` computed from the real reference files."""
    ref = metaml_healthy(data_dir)
    ref_species = ref.xs("species", level="rank")
    ref_alpha = pd.DataFrame([alpha_values(ref_species[c].to_numpy()) for c in ref_species.columns])
    mine = alpha_values(profile.at_rank("species").to_numpy())
    percentiles = {
        m: float(percentileofscore(ref_alpha[m], mine[m], kind="mean"))
        for m in ("richness", "shannon", "inverse_simpson")
    }
    ref_genera = ref.xs("genus", level="rank")
    ref_genera.index = [_plain(i) for i in ref_genera.index]
    taxa = []
    for name, value in profile.at_rank("genus").head(8).items():
        if name in ref_genera.index:
            row = ref_genera.loc[name]
            taxa.append(
                TaxonPercentile(
                    name=str(name),
                    rank="genus",
                    relative_abundance=float(value),
                    percentile=float(percentileofscore(row, value, kind="mean")),
                    prevalence=float((row > 0).mean()),
                )
            )
    indices = {}
    if with_indices:
        value, total = gmwi2(profile, data_dir)
        indices["gmwi2"] = IndexResult(
            name="GMWI2", value=value, citation="10.1038/s41467-024-51651-9", species_total=total
        )
        indices["gmhi"] = IndexResult(
            name="GMHI",
            value=None,
            citation="10.1038/s41467-020-18476-8",
            reason="not computed by the test fixture",
        )
    return Results(
        sample_id=profile.sample_id,
        reference=ReferenceInfo(
            name="MetAML healthy stool",
            version="2016",
            n=ref_species.shape[1],
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
        indices=indices,
        guilds=guilds(profile, data_dir),
        taxa_percentiles=taxa,
    )
