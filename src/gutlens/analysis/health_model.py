"""Health-status model: how much a sample resembles the healthy group of the training cohorts.

The model is an L1-regularised logistic regression on species,

.. math:: p = \\sigma\\Big(\\beta_0 + \\sum_j \\beta_j \\log_{10}(a_j + 10^{-5})\\Big),
   \\quad \\sigma(z) = 1 / (1 + e^{-z}),

where :math:`a_j` is species :math:`j`'s relative abundance (fraction of the classified total), as
GMWI2 (Chang et al. 2024) uses a penalised logistic regression on species. It was trained by
``scripts/train_health_model.py`` with scikit-learn on the MetAML stool cohorts (Pasolli et al.
2016, doi:10.1371/journal.pcbi.1004977), healthy controls vs people with a disease label, and
evaluated by leave-one-study-out cross-validation; that AUC ships with the coefficients
(``data/health_model/model.json``, no pickle). The interval is the 2.5-97.5 percentile range of
the probabilities given by 100 bootstrap refits.

The probability is a research score of resemblance to healthy controls of these studies. It is
**not a diagnosis**, does not detect any disease, and is least reliable for profiles from other
profilers or populations unlike the training cohorts.

Usage::

    from gutlens.analysis.health_model import health_probability
    result = health_probability(profile)
    result.probability, result.interval, result.auc
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

from gutlens.analysis._sample import SampleTaxa, as_sample_taxa
from gutlens.analysis.results import HealthModelResult
from gutlens.errors import AnalysisError
from gutlens.model import Profile

__all__ = ["MIN_MODEL_SHARE", "health_probability", "load_model"]

#: Below this share of the sample's species abundance in species the model knows, no probability
#: is given (a gutlens convention, not a published threshold).
MIN_MODEL_SHARE = 0.25


@lru_cache(maxsize=1)
def load_model() -> dict[str, Any]:
    """The shipped model (cached): ``features``, ``coef``, ``intercept``, ``bootstrap``,
    ``validation`` (per-study and pooled AUC), ``version``, ``training_data``."""
    text = files("gutlens.analysis").joinpath("data/health_model/model.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    data["_coef"] = np.asarray(data["coef"], dtype=float)
    data["_boot_coef"] = np.asarray(data["bootstrap"]["coefs"], dtype=float)
    data["_boot_intercept"] = np.asarray(data["bootstrap"]["intercepts"], dtype=float)
    data["_index"] = {name: i for i, name in enumerate(data["features"])}
    return data


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def health_probability(profile: Profile | SampleTaxa) -> HealthModelResult:
    """Probability that ``profile`` resembles the healthy group, with a bootstrap interval.

    Parameters
    ----------
    profile : Profile or SampleTaxa
        One sample with species-rank taxa.

    Returns
    -------
    HealthModelResult
        ``probability`` (0-1, ``None`` with a ``reason`` when the model cannot score the
        sample), ``interval`` (2.5th, 97.5th percentile over bootstrap refits), ``auc`` (pooled
        leave-one-study-out AUC), ``model_version``.

    Raises
    ------
    AnalysisError
        If the profile has no taxa at all.
    """
    model = load_model()
    version = str(model["version"])
    auc = float(model["validation"]["pooled_auc"])
    sample = as_sample_taxa(profile)
    if sample.empty:
        msg = f"sample {sample.sample_id!r} has no taxa; the health model needs species"
        raise AnalysisError(msg)
    names, values = sample.rank_arrays("species")
    if len(values) == 0 or float(values.sum()) <= 0:
        return HealthModelResult(
            probability=None,
            interval=None,
            model_version=version,
            auc=auc,
            reason="the profile has no species rank; the model is built on species",
        )
    index: dict[str, int] = model["_index"]
    x = np.zeros(len(index))
    known = 0.0
    for name, value in zip(names, values.tolist(), strict=True):
        position = index.get(name)
        if position is not None:
            x[position] += value
            known += value
    share = known / float(values.sum())
    if share < MIN_MODEL_SHARE:
        return HealthModelResult(
            probability=None,
            interval=None,
            model_version=version,
            auc=auc,
            reason=(
                f"only {share:.0%} of the sample's species abundance is in species the model "
                f"uses (at least {MIN_MODEL_SHARE:.0%} needed, a gutlens convention); names "
                "from another profiler or database may not match"
            ),
        )
    features = np.log10(x + float(model["transform"]["log10_pseudocount"]))
    probability = float(_sigmoid(np.array(model["intercept"] + features @ model["_coef"])))
    boot = _sigmoid(model["_boot_intercept"] + model["_boot_coef"] @ features)
    low, high = (float(v) for v in np.percentile(boot, [2.5, 97.5]))
    notes = ["a research score of resemblance to healthy controls, not a diagnosis"]
    source = sample.source
    if not ((source.tool or "").lower() == "metaphlan" and (source.tool_version or "")[:1] == "2"):
        notes.append(
            "trained on MetaPhlAn 2 profiles; this profile comes from another profiler, so the "
            "probability is less reliable (cross-platform)"
        )
    return HealthModelResult(
        probability=probability,
        interval=(min(low, probability), max(high, probability)),
        model_version=version,
        auc=auc,
        reason="; ".join(notes),
    )
