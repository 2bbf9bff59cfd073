"""``analyze(profile) -> Results``: every number a report stands on, for one sample.

A pure function of the profile, the reference bundle and the parameters; the result carries its
own provenance (input checksum, gutlens version, reference name and version, parameters) so the
same input always gives the same, traceable output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from gutlens._version import __version__
from gutlens.analysis._citations import CITATIONS
from gutlens.analysis.alpha import ALPHA_METRICS, alpha_diversity, detected_alpha
from gutlens.analysis.beta import aitchison_score, dysbiosis, position
from gutlens.analysis.indices import gmhi, gmwi2
from gutlens.analysis.mapping import (
    MappedRank,
    is_cross_platform,
    map_rank,
    needs_detection_floor,
    rank_values,
)
from gutlens.analysis.results import (
    RESULTS_FORMAT_VERSION,
    AlphaDiversity,
    DetectedAlpha,
    DysbiosisResult,
    IndexResult,
    ReferenceInfo,
    ReferencePosition,
    Results,
    TaxonPercentile,
)
from gutlens.errors import AnalysisError
from gutlens.model import Profile
from gutlens.reference import (
    BETA_RANKS,
    ReferencePopulation,
    Stratum,
    load_reference,
    mid_rank_percentile,
)
from gutlens.taxonomy import RANKS

__all__ = [
    "PERCENTILE_RANKS",
    "analyze",
    "analyze_prepared",
    "check_rank",
    "taxa_percentiles",
]

_TAXON_LIST = TypeAdapter(list[TaxonPercentile])

#: Ranks whose taxa get reference percentiles in ``Results.taxa_percentiles``.
PERCENTILE_RANKS = ("genus", "species")


def taxa_percentiles(
    mapped: MappedRank,
    reference: ReferencePopulation,
    stratum: Stratum | None = None,
) -> list[TaxonPercentile]:
    """Percentile and reference prevalence of each of the sample's taxa at one rank.

    Taxa the reference lacks are listed with ``percentile=None`` and ``prevalence=None``.
    """
    rows: list[dict[str, Any]] = []
    if mapped.n_mapped:
        percentiles = reference.taxon_percentiles(mapped.rows, mapped.values, stratum).tolist()
        prevalence = reference.prevalence(stratum)[mapped.rows].tolist()
        rows = [
            {
                "name": name,
                "rank": mapped.rank,
                "relative_abundance": value,
                "percentile": pct,
                "prevalence": prev,
            }
            for name, value, pct, prev in zip(
                mapped.names, mapped.values.tolist(), percentiles, prevalence, strict=True
            )
        ]
    rows.extend(
        {
            "name": str(name),
            "rank": mapped.rank,
            "relative_abundance": float(value),
            "percentile": None,
            "prevalence": None,
        }
        for name, value in zip(
            mapped.unmapped.index.tolist(), mapped.unmapped.to_numpy().tolist(), strict=True
        )
    )
    rows.sort(key=lambda t: -t["relative_abundance"])
    return _TAXON_LIST.validate_python(rows)


def _detected(values: pd.Series, reference: ReferencePopulation, rank: str) -> DetectedAlpha | None:
    floor = reference.detection_floor(rank)
    if floor is None:
        return None
    block = reference.provenance.get("detection_floor", {})
    rule = (
        f"{block.get('rule', 'reference detection floor')}; richness counts only detected taxa "
        "the reference taxonomy holds, because the reference's own richness is counted over "
        "that taxonomy; the other indices use every detected taxon"
    )
    return detected_alpha(
        values,
        rank=rank,
        min_share=floor,
        known=reference.rank_index(rank),
        rule=rule,
        citation=reference.citation,
    )


def _alpha_with_percentiles(
    alpha: AlphaDiversity,
    reference: ReferencePopulation,
    stratum: Stratum,
    cross: bool,
    floor_values: pd.Series | None = None,
) -> AlphaDiversity:
    if alpha.rank not in BETA_RANKS:
        notes = [*alpha.notes, f"the reference has no diversity distribution at {alpha.rank} rank"]
        return alpha.model_copy(update={"notes": notes})
    notes = list(alpha.notes)
    detected = None if floor_values is None else _detected(floor_values, reference, alpha.rank)
    basis: AlphaDiversity | DetectedAlpha = alpha if detected is None else detected
    percentiles: dict[str, float] = {}
    for metric in ALPHA_METRICS:
        value = getattr(basis, metric)
        if value is None:
            continue
        pct = reference.metric_percentile(f"{alpha.rank}_{metric}", float(value), stratum)
        if pct is not None:
            percentiles[metric] = pct
    if detected is not None:
        notes.append(
            f"reference percentiles use the {alpha.rank}-rank taxa with a share of at least "
            f"{detected.min_share * 100:.2g}% (the MetaPhlAn2 reference's detection floor; "
            f"{detected.taxa_below_floor} taxa, {detected.share_below_floor:.2%} of the "
            f"abundance, fall below it); richness counts the {detected.richness} of them the "
            f"reference taxonomy holds (raw richness {alpha.richness}); raw values are kept"
        )
    if cross:
        notes.append(
            "richness and diversity depend on the profiler and database; percentiles against "
            "a MetaPhlAn2 reference are approximate for this sample"
        )
    return alpha.model_copy(
        update={"percentiles": percentiles, "notes": notes, "detected": detected}
    )


def _index_percentiles(
    indices: dict[str, IndexResult], reference: ReferencePopulation, cross: bool
) -> dict[str, IndexResult]:
    out = dict(indices)
    gmhi_result = indices["gmhi"]
    healthy = reference.gmhi_healthy()
    if gmhi_result.value is not None and len(healthy):
        pct = float(mid_rank_percentile(healthy, np.array([gmhi_result.value]))[0])
        out["gmhi"] = gmhi_result.model_copy(update={"percentile": pct})
    gmwi2_result = indices["gmwi2"]
    if gmwi2_result.value is not None and not cross:
        pct_value = reference.metric_percentile("gmwi2_mapped", gmwi2_result.value)
        out["gmwi2"] = gmwi2_result.model_copy(update={"percentile": pct_value})
    elif gmwi2_result.value is not None:
        caveat = "no reference GMWI2 distribution on this sample's taxonomy: percentile omitted"
        reason = f"{gmwi2_result.reason}; {caveat}" if gmwi2_result.reason else caveat
        out["gmwi2"] = gmwi2_result.model_copy(update={"reason": reason})
    return out


def analyze(
    profile: Profile,
    *,
    reference: ReferencePopulation | None = None,
    rank: str = "species",
    age: float | None = None,
    sex: str | None = None,
) -> Results:
    """Analyse one sample against the healthy reference.

    Parameters
    ----------
    profile : Profile
        One sample, from any reader.
    reference : ReferencePopulation, optional
        Defaults to :func:`gutlens.reference.load_reference` ``("metaml_healthy")``.
    rank : str
        Rank for alpha diversity and beta diversity (``"species"`` or ``"genus"``).
    age, sex : optional
        Choose an age-band / sex stratum of the reference for percentiles (used only when the
        group holds at least 50 samples; ``Results.reference.notes`` says what was used).

    Returns
    -------
    Results
        Alpha diversity with reference percentiles, GMHI and GMWI2, dysbiosis score, PCoA
        position and nearest reference samples, per-taxon percentiles at genus and species rank.
        ``enterotype``, ``guilds``, ``quality_flags`` and ``health_model`` come from
        :func:`gutlens.analysis.functional.add_functional`.

    Raises
    ------
    AnalysisError
        If the profile holds no classified taxa, or ``rank`` is not one the reference has.
    """
    ref = reference if reference is not None else load_reference()
    check_rank(rank, ref)
    taxa = profile.taxa
    arrays = (
        np.asarray(taxa["rank"].tolist(), dtype=object),
        np.asarray(taxa["name"].tolist(), dtype=object),
        taxa["relative_abundance"].to_numpy(dtype=np.float64),
    )
    if len(arrays[2]) == 0 or float(arrays[2].sum()) <= 0:
        msg = f"sample {profile.sample_id!r} holds no classified taxa: nothing to analyse"
        raise AnalysisError(msg)
    values = {r: rank_values(profile, r) for r in PERCENTILE_RANKS}
    fallback = None
    if rank == "species" and values["species"].sum() <= 0 and values["genus"].sum() > 0:
        # 16S profiles classified to genus (RDP, DADA2 without addSpecies) name no species:
        # diversity at species rank would be 0 and wrongly "lower than everyone"
        rank = "genus"
        fallback = (
            "the profile names no species (e.g. 16S reads classified to genus), so diversity "
            "is computed and compared at genus rank"
        )
    if rank not in values:
        values[rank] = rank_values(profile, rank)
    counts = rank_values(profile, rank, "count") if profile.has_counts else pd.Series(dtype=float)
    results = analyze_prepared(profile, values, counts, arrays, ref, rank=rank, age=age, sex=sex)
    if fallback is not None:
        info = results.reference
        results = results.model_copy(
            update={
                "reference": info.model_copy(update={"notes": [*info.notes, fallback]}),
                "alpha": results.alpha.model_copy(
                    update={"notes": [*results.alpha.notes, fallback]}
                ),
            }
        )
    from gutlens.analysis.functional import add_functional

    return add_functional(results, profile)


def check_rank(rank: str, reference: ReferencePopulation) -> None:
    """Raise :class:`AnalysisError` unless ``rank`` is one :func:`analyze` supports."""
    if rank not in RANKS:
        msg = f"unknown rank {rank!r} (expected one of {', '.join(RANKS)})"
        raise AnalysisError(msg)
    if rank not in BETA_RANKS:
        msg = (
            f"the reference {reference.name!r} has diversity distributions at "
            f"{' and '.join(BETA_RANKS)} rank only, not {rank!r}"
        )
        raise AnalysisError(msg)


def analyze_prepared(
    profile: Profile,
    values: dict[str, pd.Series],
    counts: pd.Series | None,
    taxa: tuple[np.ndarray, np.ndarray, np.ndarray],
    ref: ReferencePopulation,
    *,
    rank: str,
    age: float | None,
    sex: str | None,
) -> Results:
    """:func:`analyze` on inputs already extracted from the profile (shared with
    :func:`gutlens.analysis.batch.analyze_table`, which builds them without pandas look-ups).

    ``profile`` supplies only the sample id, source and provenance here; ``values`` holds the
    relative abundances at genus and species rank (and ``rank``) by canonical name, ``counts``
    the read counts at ``rank`` (or ``None``), ``taxa`` the (ranks, names, abundances) arrays of
    every taxon.
    """
    stratum = ref.stratum(age=age, sex=sex)
    cross, cross_note = is_cross_platform(profile, ref)
    notes = list(stratum.notes)
    if cross_note:
        notes.append(cross_note)

    mapped = {r: map_rank(profile, ref, r, values=values[r]) for r in PERCENTILE_RANKS}
    beta_rank = rank
    if mapped[beta_rank].n_mapped == 0:
        others = [r for r in BETA_RANKS if r != rank and mapped[r].n_mapped]
        if others:
            notes.append(
                f"no {rank}-rank taxa of this sample are in the reference; beta diversity "
                f"uses {others[0]} rank instead"
            )
            beta_rank = others[0]

    alpha = _alpha_with_percentiles(
        alpha_diversity(profile, rank=rank, values=values[rank], counts=counts),
        ref,
        stratum,
        cross,
        values[rank] if needs_detection_floor(profile, ref) else None,
    )
    indices = _index_percentiles(
        {"gmhi": gmhi(profile, species=values["species"]), "gmwi2": gmwi2(profile, taxa=taxa)},
        ref,
        cross,
    )

    placed: ReferencePosition | None = None
    aitchison_result: DysbiosisResult | None = None
    dysbiosis_result: DysbiosisResult
    beta_map = mapped[beta_rank]
    if beta_map.n_mapped:
        placed, distances = position(beta_map.composition, ref, beta_rank)
        dysbiosis_result = dysbiosis(distances, ref, beta_rank)
        aitchison_result = aitchison_score(beta_map.composition, ref, beta_rank)
        if beta_map.unmapped_fraction > 0:
            notes.append(
                f"{beta_map.unmapped_fraction:.1%} of the sample's {beta_rank}-rank abundance "
                "is in taxa the reference lacks; distances use the mapped part, closed to 1"
            )
    else:
        dysbiosis_result = DysbiosisResult(
            metric=f"bray_curtis ({beta_rank})",
            median_distance=None,
            percentile=None,
            citation=CITATIONS["dysbiosis"],
            reason="none of the sample's species or genera are in the reference taxonomy",
        )
    notes.append("dysbiosis score and PCoA position use the whole reference cohort")

    percentiles: list[TaxonPercentile] = []
    for r in PERCENTILE_RANKS:
        percentiles.extend(taxa_percentiles(mapped[r], ref, stratum))

    parameters: dict[str, Any] = {"rank": rank, "beta_rank": beta_rank, "age": age, "sex": sex}
    provenance: dict[str, Any] = {
        "analysis": "gutlens.analysis.analyze",
        "results_format_version": RESULTS_FORMAT_VERSION,
        "gutlens_version": __version__,
        "input_sha256": profile.provenance.sha256,
        "input_path": profile.provenance.path,
        "input_format": profile.provenance.format,
        "profiler": profile.source.to_dict(),
        "reference": {"name": ref.name, "version": ref.version},
        "parameters": parameters,
    }
    info = ReferenceInfo(
        name=ref.name,
        version=ref.version,
        n=stratum.n,
        stratum=stratum.label,
        citation=ref.citation,
        cross_platform=cross,
        unmapped_fraction=mapped[beta_rank].unmapped_fraction,
        notes=notes,
    )
    # enterotype, guilds, quality_flags and health_model need the whole profile: they are added
    # by gutlens.analysis.functional.add_functional (called by analyze and analyze_table).
    return Results(
        sample_id=profile.sample_id,
        reference=info,
        alpha=alpha,
        indices=indices,
        dysbiosis=dysbiosis_result,
        aitchison=aitchison_result,
        position=placed,
        taxa_percentiles=percentiles,
        provenance=provenance,
    )
