"""Leaf tables (BIOM, QIIME 2): one row per feature (OTU, ASV) with a lineage string, to a
:class:`~gutlens.model.ProfileTable`.

The work is done once per *distinct* lineage, not per feature: features are grouped by their
taxonomy text with :func:`pandas.factorize`, each distinct text is parsed once, and the feature
matrix is collapsed to one row per lineage by a sparse indicator product before
:meth:`ProfileTable.from_leaves` sums the rows up the ranks. A 24,000-OTU table carries about
1,600 distinct lineages, so the model's per-lineage loops stay small.

Value kinds
-----------
* Integral values are read counts (``kind="count"``): clade counts and ``total_count`` are kept.
* Other values are relative: a table whose largest sample total is at most 1 (+1e-6) holds
  fractions, otherwise percentages (a MetaPhlAn "Taxon table" in BIOM sums to about 100 per
  sample). Either way each sample is scaled by its own classified total, so the two give the
  same relative abundances; a shortfall from 100 % (rounding, or mass the producer kept at other
  ranks) is not taken as unclassified, since the table does not say what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from gutlens.errors import ProfileFormatError
from gutlens.model import ProfileTable, Provenance, SourceInfo
from gutlens.taxonomy import Lineage, parse_lineage

__all__ = ["leaf_table", "value_kind"]

# Latin endings of ranks above genus (ICNP Rule 8-9: -ales order, -ineae suborder, -aceae family,
# -oideae subfamily, -eae tribe, -inae subtribe): such a word cannot be a genus.
_ABOVE_GENUS = ("ales", "ineae", "aceae", "oideae", "eae", "inae")
_FRACTION_TOLERANCE = 1e-6


def value_kind(matrix: sparse.csr_array) -> str:
    """``"count"`` for integral values, else ``"fraction"`` (sample totals <= 1) or
    ``"percent"``."""
    data = matrix.data
    if data.size == 0 or bool(np.all(np.equal(np.mod(data, 1), 0))):
        return "count"
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    return "fraction" if float(totals.max()) <= 1.0 + _FRACTION_TOLERANCE else "percent"


def check_values(
    matrix: sparse.csr_array,
    feature_ids: Sequence[str] | np.ndarray,
    sample_ids: Sequence[str],
    *,
    path: Path,
) -> None:
    """Refuse NaN, infinite and negative values, naming the feature and sample."""
    coo = matrix.tocoo()
    bad = ~np.isfinite(coo.data) | (coo.data < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        value = coo.data[first]
        what = "negative" if np.isfinite(value) and value < 0 else "not a finite number"
        msg = (
            f"{int(bad.sum())} value(s) are {what} or otherwise invalid; first: {value!r} for "
            f"feature {feature_ids[int(coo.row[first])]!r} in sample "
            f"{sample_ids[int(coo.col[first])]!r} (expected counts or abundances >= 0)"
        )
        raise ProfileFormatError(msg, path=path)


def leaf_table(
    matrix: sparse.csr_array,
    taxonomy: Sequence[str] | np.ndarray,
    feature_ids: Sequence[str] | np.ndarray,
    sample_ids: Sequence[str],
    *,
    path: Path,
    source: SourceInfo,
    provenance: Provenance,
    metadata: pd.DataFrame | None = None,
) -> ProfileTable:
    """Build a :class:`ProfileTable` from a features x samples matrix and one lineage text per
    feature (``""`` when the feature has none: it is then part of the unclassified share).

    Parameters
    ----------
    matrix : scipy.sparse array, shape (n_features, n_samples)
    taxonomy : sequence of str
        Lineage text per feature in any style :func:`gutlens.taxonomy.parse_lineage` reads.
    feature_ids : sequence of str
        For error messages.

    Raises
    ------
    ProfileFormatError
        On a lineage that cannot be parsed (naming the feature) or invalid values.
    """
    check_values(matrix, feature_ids, sample_ids, path=path)
    codes, uniques = pd.factorize(np.asarray(taxonomy, dtype=object), use_na_sentinel=False)
    lineages: list[Lineage] = []
    for index, text in enumerate(uniques):
        try:
            lineage = parse_lineage(str(text)) if text else Lineage(())
        except ValueError as err:
            feature = feature_ids[int(np.flatnonzero(codes == index)[0])]
            msg = f"feature {feature!r}: cannot read its lineage {str(text)[:120]!r} ({err})"
            raise ProfileFormatError(msg, path=path) from err
        lineages.append(_with_genus(lineage))
    # several texts may name one lineage ("g__; s__" vs nothing): merge them before the model
    position: dict[Lineage, int] = {}
    merged = np.array([position.setdefault(lin, len(position)) for lin in lineages], dtype=np.int64)
    key_codes = merged[codes] if len(merged) else codes
    distinct = list(position)
    n_features = matrix.shape[0]
    collapse = sparse.csr_array(
        (np.ones(n_features), (key_codes, np.arange(n_features))),
        shape=(len(distinct), n_features),
    )
    values = sparse.csr_array(collapse @ matrix)
    kind = value_kind(matrix)
    build = (
        ProfileTable.from_clades if _is_clade_table(distinct, values) else ProfileTable.from_leaves
    )
    return build(
        distinct,
        values,
        list(sample_ids),
        source=source,
        provenance=provenance,
        kind=kind,  # type: ignore[arg-type]
        metadata=metadata,
    )


def _with_genus(lineage: Lineage) -> Lineage:
    """Add the genus a binomial names when the lineage is a species alone (MetaPhlAn species
    ids ``s__Akkermansia_muciniphila`` stored by themselves in a BIOM table).

    Only a bare species is completed: when a producer wrote higher ranks, a missing genus is
    its own verdict (SILVA's ``g__uncultured; s__Prevotella_sp.``) and is kept as it is.
    """
    ranks = [rank for rank, _ in lineage.levels]
    if ranks not in (["species"], ["species", "strain"]):
        return lineage
    species = lineage.levels[0][1]
    genus = species.split(" ")[0]
    if " " not in species or not genus[:1].isupper() or genus.lower().endswith(_ABOVE_GENUS):
        return lineage
    return Lineage((("genus", genus), *lineage.levels))


def _is_clade_table(lineages: Sequence[Lineage], values: sparse.csr_array) -> bool:
    """Whether the rows are clades (MetaPhlAn tables converted to BIOM, gutlens ``to_biom``):
    every row below the top has its parent row, and each parent is at least the sum of its
    children in every sample. A leaf table (features classified to different depths) fails."""
    if len(lineages) < 2:
        return False
    position = {lin: i for i, lin in enumerate(lineages)}
    depths = {len(lin) for lin in lineages if len(lin) > 0}
    if len(depths) < 2:
        return False
    top = min(depths)
    children: list[int] = []
    parents: list[int] = []
    for i, lin in enumerate(lineages):
        if len(lin) <= top:
            continue
        parent = position.get(Lineage(lin.levels[:-1]))
        if parent is None:
            return False
        children.append(i)
        parents.append(parent)
    lift = sparse.csr_array(
        (np.ones(len(children)), (parents, children)), shape=(len(lineages), len(lineages))
    )
    below = (lift @ values).toarray()
    dense = values.toarray()
    has_children = np.asarray(lift.sum(axis=1)).ravel() > 0
    slack = 1e-6 * np.maximum(1.0, np.abs(dense[has_children]))
    return bool(np.all(dense[has_children] + slack >= below[has_children]))
