"""Functional groups ("guilds"): abundance-weighted shares of taxa that share a function.

A guild's share in a sample is

.. math:: s_g = \\sum_{t \\in M_g} a_t

where :math:`a_t` is the relative abundance of taxon :math:`t` (fraction of the classified total,
the gutlens convention) and :math:`M_g` the guild's members found in the profile, matched by
canonical name (:func:`gutlens.taxonomy.canonical_name`) at genus and species rank. A species
inside a member genus is counted once, through the genus. Members and their citations come from
``data/guilds/members.tsv`` (built by ``scripts/build_guilds.py`` from the curated, DOI-checked
guild table, Madin et al. 2020 traits, doi:10.1038/s41597-020-0497-4, and Arnoldini et al. 2025
measured butyrate excretion, doi:10.1016/j.cell.2025.07.005).

Membership means the taxon *can* do this (or was reported to); abundance is not activity, and
functions vary between strains.

Usage::

    from gutlens.analysis.guilds import guild_shares
    for guild in guild_shares(profile):
        print(guild.guild, guild.share, guild.percentile)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from gutlens.analysis._sample import SampleTaxa, as_sample_taxa
from gutlens.analysis.results import GuildResult
from gutlens.errors import AnalysisError
from gutlens.model import Profile

__all__ = [
    "GuildDefinition",
    "GuildMember",
    "describe",
    "guild_share_table",
    "guild_shares",
    "load_guilds",
    "reference_shares",
]

_DATA = "data/guilds"


@dataclass(frozen=True, slots=True)
class GuildMember:
    """One taxon of a guild with the papers that support it."""

    name: str
    rank: str
    citations: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GuildDefinition:
    """A guild: id, plain-language label and meaning, and its members."""

    id: str
    label: str
    meaning: str
    members: tuple[GuildMember, ...]

    @property
    def genera(self) -> frozenset[str]:
        """Member genera (canonical names)."""
        return frozenset(m.name for m in self.members if m.rank == "genus")

    @property
    def species(self) -> frozenset[str]:
        """Member species (canonical names)."""
        return frozenset(m.name for m in self.members if m.rank == "species")

    @property
    def citations(self) -> tuple[str, ...]:
        """Every citation of every member, sorted."""
        return tuple(sorted({c for m in self.members for c in m.citations}))


def _read(name: str) -> str:
    return files("gutlens.analysis").joinpath(f"{_DATA}/{name}").read_text("utf-8")


@lru_cache(maxsize=1)
def load_guilds() -> dict[str, GuildDefinition]:
    """The shipped guild definitions, by guild id (cached)."""
    labels: dict[str, dict[str, str]] = json.loads(_read("guilds.json"))
    members: dict[str, list[GuildMember]] = {gid: [] for gid in labels}
    for row in csv.DictReader(_read("members.tsv").splitlines(), delimiter="\t"):
        members[row["guild"]].append(
            GuildMember(
                name=row["name"],
                rank=row["rank"],
                citations=tuple(row["citations"].split(";")),
                sources=tuple(row["sources"].split(";")),
            )
        )
    return {
        gid: GuildDefinition(gid, meta["label"], meta["meaning"], tuple(members[gid]))
        for gid, meta in labels.items()
    }


@lru_cache(maxsize=1)
def reference_shares() -> dict[str, Any]:
    """The healthy-reference guild shares shipped with gutlens (sorted per guild), with the
    cohort's name, citation and size."""
    data: dict[str, Any] = json.loads(_read("reference_shares.json"))
    data["shares"] = {k: np.asarray(v, dtype=float) for k, v in data["shares"].items()}
    return data


@dataclass(frozen=True, slots=True)
class _Taxa:
    """A profile's genus and species abundances, each species with its genus."""

    genus: dict[str, float]  # name -> abundance
    species: list[tuple[str, str, str, float]]  # (name, lineage genus, name's genus, abundance)


def _taxa(profile: Profile | SampleTaxa) -> _Taxa:
    sample = as_sample_taxa(profile)
    if sample.empty:
        msg = f"sample {sample.sample_id!r} has no taxa; guild shares need a profile with taxa"
        raise AnalysisError(msg)
    genus: dict[str, float] = {}
    species: list[tuple[str, str, str, float]] = []
    ranks = sample.ranks
    rows = np.flatnonzero(ranks == "genus")
    for name, value in zip(
        sample.names[rows].tolist(), sample.abundance[rows].tolist(), strict=True
    ):
        genus[name] = genus.get(name, 0.0) + value
    rows = np.flatnonzero(ranks == "species")
    for name, of, value in zip(
        sample.names[rows].tolist(),
        sample.genera_of(rows),
        sample.abundance[rows].tolist(),
        strict=True,
    ):
        species.append((name, of, name.split(" ")[0], value))
    if not genus and not species:
        msg = (
            f"sample {sample.sample_id!r} has no genus- or species-rank taxa; guild members are "
            "named at those ranks"
        )
        raise AnalysisError(msg)
    return _Taxa(genus=genus, species=species)


_ALL = "*"  # key of "any guild" in _membership(), for the coverage share


@lru_cache(maxsize=1)
def _membership() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Guild ids by member genus and by member species; ``_ALL`` stands for the union of all
    guilds (a taxon named in any guild table)."""
    by_genus: dict[str, set[str]] = {}
    by_species: dict[str, set[str]] = {}
    for gid, guild in load_guilds().items():
        for member in guild.members:
            table = by_genus if member.rank == "genus" else by_species
            table.setdefault(member.name, set()).update((gid, _ALL))
    return (
        {k: frozenset(v) for k, v in by_genus.items()},
        {k: frozenset(v) for k, v in by_species.items()},
    )


def _shares(taxa: _Taxa) -> dict[str, tuple[float, list[str]]]:
    """Each guild's share of the sample and the member names found, in one pass over the taxa
    (``_ALL``: the share of taxa named in any guild).

    Members are counted once: a genus member counts with its genus abundance; a species counts
    unless its genus (as the profile's lineage gives it) is a member genus of that guild present
    in the profile, which already holds it. A species counts when it is a member itself or its
    genus (by lineage or by name) is a member genus.
    """
    by_genus, by_species = _membership()
    none: frozenset[str] = frozenset()
    totals: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for name, value in taxa.genus.items():
        if value <= 0:
            continue
        for gid in by_genus.get(name, none):
            totals[gid] = totals.get(gid, 0.0) + value
            found.setdefault(gid, []).append(name)
    for name, of, name_genus, value in taxa.species:
        if value <= 0:
            continue
        of_guilds = by_genus.get(of, none)
        guilds = by_species.get(name, none) | of_guilds | by_genus.get(name_genus, none)
        if of in taxa.genus:
            guilds = guilds - of_guilds
        for gid in guilds:
            totals[gid] = totals.get(gid, 0.0) + value
            found.setdefault(gid, []).append(name)
    return {gid: (totals[gid], found[gid]) for gid in totals}


def _percentile(value: float, reference: np.ndarray) -> float:
    """Percentile (0-100) of ``value`` among sorted ``reference`` values: the mean of the
    strict and weak ranks, as ``scipy.stats.percentileofscore(kind="mean")``."""
    below = np.searchsorted(reference, value, side="left")
    at_or_below = np.searchsorted(reference, value, side="right")
    return float(50.0 * (below + at_or_below) / len(reference))


def guild_share_table(profiles: Iterable[Profile]) -> pd.DataFrame:
    """Guild shares of many profiles: a samples x guilds DataFrame (used to build the reference).

    Parameters
    ----------
    profiles : iterable of Profile
    """
    guilds = load_guilds()
    records: dict[str, dict[str, float]] = {}
    for profile in profiles:
        shares = _shares(_taxa(profile))
        records[profile.sample_id] = {gid: shares.get(gid, (0.0, []))[0] for gid in guilds}
    return pd.DataFrame.from_dict(records, orient="index", columns=list(guilds))


def guild_shares(
    profile: Profile | SampleTaxa, *, guilds: Iterable[str] | None = None
) -> list[GuildResult]:
    """Each guild's abundance-weighted share in ``profile``, with its healthy-reference percentile.

    Parameters
    ----------
    profile : Profile or SampleTaxa
        One sample; its ``relative_abundance`` (fraction of the classified total) is used.
    guilds : iterable of str, optional
        Guild ids (see :func:`load_guilds`); all shipped guilds by default.

    Returns
    -------
    list of GuildResult
        ``share``: fraction of the classified total belonging to the guild's members;
        ``percentile``: its place (0-100) among the 759 healthy one-per-subject MetAML samples
        (Pasolli et al. 2016, doi:10.1371/journal.pcbi.1004977), ``None`` if that reference has
        no distribution for the guild; ``members_found``: member taxa present;
        ``citations``: DOIs/PMIDs supporting the members found (all of the guild's when none
        is found); ``coverage``: share of the classified total belonging to taxa named in any
        guild table (the part of the sample whose functions gutlens knows anything about);
        ``reason``: caveats (cross-platform comparison, missing species rank).

    Raises
    ------
    AnalysisError
        If the profile has no taxa, or none at genus or species rank.
    """
    table = load_guilds()
    wanted = list(table) if guilds is None else list(guilds)
    unknown = [g for g in wanted if g not in table]
    if unknown:
        msg = f"unknown guild(s) {', '.join(unknown)}; expected some of: {', '.join(table)}"
        raise AnalysisError(msg)
    sample = as_sample_taxa(profile)
    taxa = _taxa(sample)
    shares = _shares(taxa)
    coverage = min(1.0, shares.get(_ALL, (0.0, []))[0])
    reference = reference_shares()
    notes = _caveats(sample, taxa)
    results = []
    for gid in wanted:
        share, found = shares.get(gid, (0.0, []))
        ref = reference["shares"].get(gid)
        present = set(found)
        by_member = _member_citations()[gid]
        cites = {c for name in present for c in by_member.get(name, ())}
        results.append(
            GuildResult(
                guild=gid,
                share=min(1.0, share),
                percentile=None if ref is None or len(ref) == 0 else _percentile(share, ref),
                members_found=sorted(present),
                citations=sorted(cites) if cites else list(_guild_citations()[gid]),
                coverage=coverage,
                reason="; ".join(notes) or None,
            )
        )
    return results


@lru_cache(maxsize=1)
def _guild_citations() -> dict[str, tuple[str, ...]]:
    """Every citation of each guild (:attr:`GuildDefinition.citations`, computed once)."""
    return {gid: guild.citations for gid, guild in load_guilds().items()}


@lru_cache(maxsize=1)
def _member_citations() -> dict[str, dict[str, tuple[str, ...]]]:
    """Per guild, each member's citations by member name (a name listed twice gets both)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for gid, guild in load_guilds().items():
        table: dict[str, tuple[str, ...]] = {}
        for member in guild.members:
            table[member.name] = (*table.get(member.name, ()), *member.citations)
        out[gid] = table
    return out


def _caveats(sample: SampleTaxa, taxa: _Taxa) -> list[str]:
    notes = []
    if not taxa.species:
        notes.append("the profile has no species rank, so species-level members were not matched")
    if not taxa.genus:
        notes.append(
            "the profile has no genus rank, so genus-level members were matched only "
            "through their species"
        )
    source = sample.source
    is_mpa2 = (source.tool or "").lower() == "metaphlan" and (source.tool_version or "")[:1] == "2"
    if not is_mpa2:
        producer = " ".join(filter(None, [source.tool, source.tool_version])) or "an unknown tool"
        notes.append(
            f"percentile compares a profile from {producer} with a MetaPhlAn 2 reference "
            "(cross-platform: names and sensitivity differ)"
        )
    return notes


def describe(guild_id: str) -> Mapping[str, str]:
    """Label and plain-language meaning of a guild."""
    guild = load_guilds()[guild_id]
    return {"id": guild.id, "label": guild.label, "meaning": guild.meaning}
