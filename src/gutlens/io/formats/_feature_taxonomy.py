"""Feature taxonomies: the lineage of each feature id, from a QIIME 2 ``FeatureData[Taxonomy]``
artifact or its exported ``taxonomy.tsv`` (``Feature ID<TAB>Taxon[<TAB>Confidence]``)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import peek
from gutlens.io.formats._qza import open_artifact, read_member

__all__ = ["ID_COLUMNS", "TAXON_COLUMNS", "read_feature_taxonomy"]

#: Header names QIIME 2 accepts for the id and lineage columns of a taxonomy TSV.
ID_COLUMNS = ("feature id", "feature-id", "featureid", "id", "#otuid", "otuid", "#otu id")
TAXON_COLUMNS = ("taxon", "taxonomy")


def read_feature_taxonomy(path: Path) -> pd.Series:
    """Lineage text by feature id.

    Parameters
    ----------
    path : Path
        ``taxonomy.qza`` (``FeatureData[Taxonomy]``) or a taxonomy TSV.

    Raises
    ------
    ProfileFormatError
        If the file is another kind of artifact, lacks the id/taxon columns, or repeats an id.
    """
    head = peek(path)
    if head.kind == "zip":
        artifact = open_artifact(path)
        if artifact.type != "FeatureData[Taxonomy]":
            msg = (
                f"this QIIME 2 artifact is {artifact.type}, not a taxonomy; expected "
                "FeatureData[Taxonomy] (the taxonomy.qza from feature-classifier)"
            )
            raise ProfileFormatError(msg, path=path)
        member = next((n for n in artifact.data if n.endswith(".tsv")), None)
        if member is None:
            msg = f"FeatureData[Taxonomy] artifact has no .tsv under data/ ({artifact.data})"
            raise ProfileFormatError(msg, path=path)
        raw = read_member(path, f"{artifact.uuid}/data/{member}")
        return _parse_tsv(raw, path)
    if head.kind not in ("text", "gzip-text"):
        msg = "expected a taxonomy.qza or a taxonomy TSV (Feature ID, Taxon) as the taxonomy"
        raise ProfileFormatError(msg, path=path)
    return _parse_tsv(path.read_bytes() if head.kind == "text" else None, path)


def _parse_tsv(raw: bytes | None, path: Path) -> pd.Series:
    source: io.BytesIO | Path = io.BytesIO(raw) if raw is not None else path
    try:
        frame = pd.read_csv(
            source,
            sep="\t",
            dtype=object,
            keep_default_na=False,
            comment=None,
            compression="infer" if raw is None else None,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as err:
        raise ProfileFormatError(f"cannot read taxonomy table ({err})", path=path) from err
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    id_col = next((lowered[c] for c in ID_COLUMNS if c in lowered), None)
    taxon_col = next((lowered[c] for c in TAXON_COLUMNS if c in lowered), None)
    if id_col is None or taxon_col is None:
        msg = (
            f"taxonomy header {list(frame.columns)[:4]} lacks the feature id and taxon "
            "columns; expected 'Feature ID<TAB>Taxon'"
        )
        raise ProfileFormatError(msg, path=path, line=1)
    ids = [str(v).strip() for v in frame[id_col].tolist()]
    taxa = [str(v) for v in frame[taxon_col].tolist()]
    # QIIME 2 metadata may carry a '#q2:types' directive row after the header
    if ids and ids[0].startswith("#q2:"):
        ids, taxa = ids[1:], taxa[1:]
    index = pd.Index(ids)
    if not index.is_unique:
        first = int(index.duplicated().nonzero()[0][0])
        msg = f"feature id {ids[first]!r} appears twice"
        raise ProfileFormatError(msg, path=path, line=first + 2)
    return pd.Series(taxa, index=index, name="taxon", dtype=object)
