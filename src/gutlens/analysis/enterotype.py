"""Community type ("enterotype") by nearest medoid (Arumugam et al. 2011; Costea et al. 2018).

Arumugam et al. (2011, Nature 473:174, doi:10.1038/nature09944) clustered genus-level profiles with
partitioning around medoids (PAM) on the Jensen-Shannon distance and found three community types
driven by *Bacteroides* (enterotype 1), *Prevotella* (2) and *Ruminococcus* (3); Costea et al.
(2018, Nat Microbiol 3:8, doi:10.1038/s41564-017-0072-8) revisit the concept and name the third
type after the Ruminococcaceae (Firmicutes). ``scripts/build_enterotype.py`` reruns that clustering
(k = 3, per sequencing technology, on the 276 adult samples of the enterotype dataset) and ships
the 9 medoids; their nearest-medoid rule reproduces the dataset's published labels for 93% of the
271 labelled samples (see ``data/enterotype/PROVENANCE.json``).

A sample is assigned to the medoid with the smallest Jensen-Shannon distance

.. math:: \\mathrm{JSD}(P, Q) =
   \\sqrt{\\tfrac12 \\mathrm{KL}(P \\| M) + \\tfrac12 \\mathrm{KL}(Q \\| M)},
   \\quad M = \\tfrac12 (P + Q)

(base 2, so 0 <= JSD <= 1), computed on the genera the reference dataset knows, each profile
renormalised over them. ``confidence`` is the relative margin to the nearest medoid of a
*different* type, :math:`1 - d_{best} / d_{other}` (0: on the boundary, 1: on the medoid).
Enterotypes are a coarse description of a continuum, not a health state.

Usage::

    from gutlens.analysis.enterotype import enterotype
    result = enterotype(profile)
    result.label, result.confidence
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
from scipy.spatial.distance import jensenshannon

from gutlens.analysis._sample import SampleTaxa, as_sample_taxa
from gutlens.analysis.results import EnterotypeResult
from gutlens.errors import AnalysisError
from gutlens.model import Profile
from gutlens.taxonomy import load_renames

__all__ = ["DRIVER_GENERA", "enterotype", "genus_back_map", "load_medoids"]

#: Genera whose abundances are reported with the type (the three drivers in Arumugam et al.).
DRIVER_GENERA = ("Bacteroides", "Prevotella", "Ruminococcus")
#: Below this share of the sample's genus abundance in genera the reference knows, no type is
#: given (a gutlens convention, not a published threshold).
MIN_KNOWN_SHARE = 0.5


@lru_cache(maxsize=1)
def load_medoids() -> dict[str, Any]:
    """The shipped medoids (cached): ``genera`` (the reference genus names), ``matrix`` (medoids x
    genera, rows summing to 1), ``labels``, ``enterotypes``, ``citations``, ``method`` and the
    measured ``agreement``."""
    text = files("gutlens.analysis").joinpath("data/enterotype/medoids.json").read_text("utf-8")
    data = json.loads(text)
    genera = sorted({g for m in data["medoids"] for g in m["genera"]})
    index = {g: i for i, g in enumerate(genera)}
    matrix = np.zeros((len(data["medoids"]), len(genera)))
    for row, medoid in enumerate(data["medoids"]):
        for genus, value in medoid["genera"].items():
            matrix[row, index[genus]] = value
    matrix /= matrix.sum(axis=1, keepdims=True)
    return {
        "genera": genera,
        "index": index,
        "matrix": matrix,
        "labels": [m["label"] for m in data["medoids"]],
        "enterotypes": [m["enterotype"] for m in data["medoids"]],
        "citations": data["citations"],
        "method": data["method"],
        "agreement": data["agreement_with_published_labels"],
    }


@lru_cache(maxsize=1)
def genus_back_map() -> dict[str, str]:
    """Genera named after 2011 -> the genus their species had in the 2011 reference.

    Derived from gutlens' synonym table (:func:`gutlens.taxonomy.load_renames`): a species rename
    that moved it to a genus the reference lacks (e.g. *Bacteroides vulgatus* -> *Phocaeicola*,
    *Clostridium bolteae* -> *Enterocloster*) maps that new genus back onto the old one, so a
    profile with current names can be compared with the 2011 genera.
    """
    known = set(load_medoids()["index"])
    mapping: dict[str, str] = {}
    for rename in load_renames():
        if rename.rank != "species":
            continue
        old, new = rename.old_name.split(" ")[0], rename.current_name.split(" ")[0]
        if old != new and new not in known and old in known:
            mapping.setdefault(new, old)
    return mapping


def enterotype(profile: Profile | SampleTaxa) -> EnterotypeResult:
    """Assign ``profile`` to the nearest enterotype medoid.

    Parameters
    ----------
    profile : Profile or SampleTaxa
        One sample with genus-rank taxa.

    Returns
    -------
    EnterotypeResult
        ``label`` ("Bacteroides", "Prevotella" or "Ruminococcaceae", or ``None`` with a
        ``reason`` when the sample has too little in genera the reference knows),
        ``driver_abundances`` (the sample's *Bacteroides*, *Prevotella* and *Ruminococcus*
        shares of its classified total), ``confidence`` (relative distance margin, 0-1).

    Raises
    ------
    AnalysisError
        If the profile has no genus-rank taxa.
    """
    model = load_medoids()
    sample = as_sample_taxa(profile)
    names, values = sample.rank_arrays("genus")
    genus = {n: v for n, v in zip(names, values.tolist(), strict=True) if v > 0}
    citation = " ".join(model["citations"])
    if not genus:
        msg = f"sample {sample.sample_id!r} has no genus-rank taxa; enterotypes are genus-level"
        raise AnalysisError(msg)
    drivers = {g: float(genus.get(g, 0.0)) for g in DRIVER_GENERA}
    back = genus_back_map()
    mapped = sorted({g for g in genus if g in back})
    merged: dict[str, float] = {}
    for name, value in genus.items():
        key = back.get(name, name)
        merged[key] = merged.get(key, 0.0) + value
    index: dict[str, int] = model["index"]
    vector = np.zeros(len(index))
    for name, value in merged.items():
        column = index.get(name)
        if column is not None:
            vector[column] += value
    known_share = float(vector.sum() / sum(merged.values()))
    if known_share < MIN_KNOWN_SHARE:
        return EnterotypeResult(
            label=None,
            driver_abundances=drivers,
            method=model["method"],
            citation=citation,
            reason=(
                f"only {known_share:.0%} of the sample's genus abundance is in genera of the "
                f"enterotype reference (at least {MIN_KNOWN_SHARE:.0%} needed, a gutlens "
                "convention)"
            ),
        )
    vector /= vector.sum()
    matrix: np.ndarray = model["matrix"]
    distances = np.asarray(jensenshannon(vector[np.newaxis, :], matrix, base=2, axis=1))
    best = int(np.argmin(distances))
    types = np.asarray(model["enterotypes"])
    other = float(distances[types != types[best]].min())
    confidence = 1.0 - float(distances[best]) / other if other > 0 else 0.0
    notes = []
    if mapped:
        notes.append(
            "compared under the genus names of 2011: "
            + ", ".join(f"{g} as {back[g]}" for g in mapped)
        )
    if known_share < 1.0:
        notes.append(
            f"{1 - known_share:.1%} of the sample's genus abundance is in genera the enterotype "
            "reference lacks and was left out"
        )
    return EnterotypeResult(
        label=model["labels"][best],
        driver_abundances=drivers,
        method=model["method"],
        citation=citation,
        confidence=max(0.0, confidence),
        reason="; ".join(notes) or None,
    )
