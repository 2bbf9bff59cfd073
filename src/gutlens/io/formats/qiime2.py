"""QIIME 2 artifacts (Bolyen et al. 2019, Nat Biotechnol, doi:10.1038/s41587-019-0209-9).

Two formats are registered:

* ``qiime2``: ``FeatureTable[Frequency]`` (``data/feature-table.biom``, BIOM 2.1 HDF5) and
  ``FeatureTable[RelativeFrequency]``. Lineages come from a ``FeatureData[Taxonomy]`` companion
  (``gutlens profile table.qza taxonomy.qza``, or ``read_profiles(table, taxonomy=tax)``) or, for
  tables made by ``qiime taxa collapse``, from the feature ids. Other artifact types
  (representative sequences, trees, distance matrices...) are refused with a message naming
  what the artifact is.
* ``qiime2-taxonomy`` (role ``taxonomy``): the ``FeatureData[Taxonomy]`` artifact, and
  ``qiime2-taxonomy-tsv``: its exported ``taxonomy.tsv``. Both are companions only.

The producer is recorded as tool ``QIIME 2`` with the framework version that wrote the artifact
and its archive version, e.g. ``"2021.4.0 (archive 5)"``. The archive is opened with the
limits of :func:`gutlens.io._head.check_zip` and its table is read in memory.
"""

from __future__ import annotations

import re
from pathlib import Path

from gutlens.errors import ProfileFormatError
from gutlens.io._head import Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._feature_taxonomy import ID_COLUMNS, TAXON_COLUMNS
from gutlens.io.formats._qza import is_artifact, open_artifact, read_member
from gutlens.io.formats.biom import biom_profile_table, read_biom_bytes
from gutlens.model import ProfileTable

__all__ = ["read_qiime2", "read_qiime2_taxonomy"]

_TABLE_TYPES = ("FeatureTable[Frequency]", "FeatureTable[RelativeFrequency]")
_WHAT_IS = {
    "FeatureData[Sequence]": "representative sequences (rep-seqs), not a feature table",
    "FeatureData[AlignedSequence]": "aligned representative sequences, not a feature table",
    "FeatureData[Taxonomy]": "a taxonomy, not a feature table",
    "FeatureTable[PresenceAbsence]": "a presence/absence table without abundances",
    "FeatureTable[Composition]": (
        "a table with pseudocounts added for compositional tests; give the "
        "FeatureTable[Frequency] it was made from"
    ),
    "Phylogeny[Rooted]": "a phylogenetic tree",
    "Phylogeny[Unrooted]": "a phylogenetic tree",
    "DistanceMatrix": "a distance matrix",
    "SampleData[AlphaDiversity]": "alpha-diversity values",
}
_TAXONOMY_TSV_HEADER = re.compile(r"^\s*([^\t]+)\t([^\t]+)")


def _artifact_type(head: Head) -> str | None:
    if head.kind != "zip" or not is_artifact(head.zip_names):
        return None
    try:
        return open_artifact(head.path).type
    except ProfileFormatError:
        return "unknown"


def _sniff_table(head: Head) -> bool:
    kind = _artifact_type(head)
    return kind is not None and kind != "FeatureData[Taxonomy]"


def _sniff_taxonomy(head: Head) -> bool:
    return _artifact_type(head) == "FeatureData[Taxonomy]"


def _sniff_taxonomy_tsv(head: Head) -> bool:
    lines = [ln for ln in head.lines if ln.strip()]
    if not lines:
        return False
    match = _TAXONOMY_TSV_HEADER.match(lines[0])
    if not match:
        return False
    first, second = (g.strip().lower() for g in match.groups())
    return first in ID_COLUMNS and second in TAXON_COLUMNS


def read_qiime2(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a QIIME 2 ``FeatureTable[Frequency]`` (or ``[RelativeFrequency]``) artifact.

    Parameters
    ----------
    path : Path
        ``table.qza``.
    taxonomy : Path, optional
        ``taxonomy.qza`` (``FeatureData[Taxonomy]``) or an exported ``taxonomy.tsv``.

    Raises
    ------
    ProfileFormatError
        If the archive is unsafe or not an artifact, the artifact is not a feature table, or the
        table has no taxonomy and none is given.
    """
    artifact = open_artifact(path)
    if artifact.type not in _TABLE_TYPES:
        what = _WHAT_IS.get(artifact.type, "not a feature table")
        msg = (
            f"this QIIME 2 artifact is {artifact.type} ({what}); expected "
            "FeatureTable[Frequency] (e.g. table.qza), given with its FeatureData[Taxonomy]"
        )
        raise ProfileFormatError(msg, path=path)
    member = next((n for n in artifact.data if n.endswith(".biom")), None)
    if member is None:
        msg = f"{artifact.type} artifact has no BIOM table under data/ ({list(artifact.data)})"
        raise ProfileFormatError(msg, path=path)
    raw = read_member(path, f"{artifact.uuid}/data/{member}")
    data = read_biom_bytes(raw, path)
    return biom_profile_table(
        data, path, taxonomy=taxonomy, format_name="qiime2", tool=("QIIME 2", artifact.tool_version)
    )


def read_qiime2_taxonomy(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """A taxonomy artifact holds no abundances: always raises, saying what to give with it."""
    msg = (
        "this is a QIIME 2 taxonomy (FeatureData[Taxonomy]) without abundances; give it "
        "together with the feature table it describes (table.qza)"
    )
    raise ProfileFormatError(msg, path=path)


register(
    Format(
        name="qiime2",
        title="QIIME 2 FeatureTable[Frequency] artifacts (.qza), with their taxonomy.qza",
        sniff=_sniff_table,
        read=read_qiime2,
        priority=25,
        extensions=(".qza",),
    )
)
register(
    Format(
        name="qiime2-taxonomy",
        title="QIIME 2 FeatureData[Taxonomy] artifact (.qza): lineages for a feature table",
        sniff=_sniff_taxonomy,
        read=read_qiime2_taxonomy,
        priority=24,
        extensions=(".qza",),
        role="taxonomy",
    )
)
register(
    Format(
        name="qiime2-taxonomy-tsv",
        title="QIIME 2 taxonomy.tsv (Feature ID, Taxon, Confidence): lineages for a table",
        sniff=_sniff_taxonomy_tsv,
        read=read_qiime2_taxonomy,
        priority=26,
        extensions=(".tsv",),
        role="taxonomy",
    )
)
