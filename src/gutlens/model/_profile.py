"""``Profile`` (one sample) and ``ProfileTable`` (many): the data every part of gutlens uses.

Abundance convention
--------------------
``relative_abundance`` of a taxon is its clade abundance divided by the sample's *classified*
total: the reads (or percentage) assigned to any domain. At each rank the values therefore sum to
at most 1; the shortfall at a rank is the part classified only to a higher rank. The share of the
sample that was not classified at all is ``unclassified_fraction`` (of everything sequenced).
Clade read counts are kept where the input has them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from gutlens.errors import SampleNotFoundError
from gutlens.model._source import Provenance, SourceInfo
from gutlens.taxonomy import RANKS, Lineage, canonical_lineage, parse_lineage

__all__ = ["TAXA_COLUMNS", "Profile", "ProfileTable", "SampleRecord", "sample_record"]

#: Columns of ``ProfileTable.taxa`` (index: canonical lineage string).
TAXA_COLUMNS = ("rank", "name", "original_name", "taxid")
_SAMPLE_COLUMNS = (
    "unclassified_fraction",
    "total_count",
    "format",
    "tool",
    "tool_version",
    "database",
    "path",
    "sha256",
)
ValueKind = Literal["count", "percent", "fraction"]


@dataclass
class Profile:
    """One sample's taxonomic profile.

    Attributes
    ----------
    sample_id : str
    taxa : pandas.DataFrame
        Indexed by canonical lineage string, with columns ``rank``, ``name`` (canonical),
        ``original_name`` (as the file wrote it), ``taxid`` (or ``None``),
        ``relative_abundance`` (fraction of the classified total) and ``count`` (clade read
        count, ``NaN`` when the input has none). Only taxa present in the sample are listed.
    unclassified_fraction : float
        Share of the whole sample not classified to any domain (0 when the producer does not say).
    total_count : float or None
        Reads in the sample, classified or not, when known.
    source, provenance
        Producer and reading details.
    metadata : dict
        Any per-sample fields the file carried (dates, body site...).
    """

    sample_id: str
    taxa: pd.DataFrame
    unclassified_fraction: float
    source: SourceInfo
    provenance: Provenance
    total_count: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def has_counts(self) -> bool:
        """Whether read counts are known for this sample."""
        return bool(self.taxa["count"].notna().any())

    def at_rank(self, rank: str, *, renormalise: bool = False) -> pd.Series:
        """Relative abundances of the taxa at ``rank``, by canonical name, largest first.

        Parameters
        ----------
        rank : str
            One of :data:`gutlens.taxonomy.RANKS`.
        renormalise : bool
            Divide by the rank's own total so the values sum to 1 (for diversity metrics).
        """
        rows = self.taxa[self.taxa["rank"] == rank]
        values = rows.groupby("name", sort=False)["relative_abundance"].sum()
        if renormalise and values.sum() > 0:
            values = values / values.sum()
        return values.sort_values(ascending=False, kind="stable")

    def counts_at_rank(self, rank: str) -> pd.Series:
        """Read counts of the taxa at ``rank`` by canonical name (empty if no counts)."""
        rows = self.taxa[(self.taxa["rank"] == rank) & self.taxa["count"].notna()]
        return rows.groupby("name", sort=False)["count"].sum().sort_values(ascending=False)

    def to_dict(self) -> dict[str, Any]:
        """The normalised JSON-ready form used by ``gutlens profile --json``."""
        taxa = []
        for lineage, row in self.taxa.iterrows():
            count = row["count"]
            taxa.append(
                {
                    "name": row["name"],
                    "rank": row["rank"],
                    "lineage": lineage,
                    "original_name": row["original_name"],
                    "taxid": row["taxid"],
                    "relative_abundance": float(row["relative_abundance"]),
                    "count": None if pd.isna(count) else float(count),
                }
            )
        return {
            "id": self.sample_id,
            "format": self.source.format,
            "tool": self.source.tool,
            "tool_version": self.source.tool_version,
            "database": self.source.database,
            "unclassified_fraction": self.unclassified_fraction,
            "total_count": self.total_count,
            "provenance": self.provenance.to_dict(),
            "taxa": taxa,
        }


class ProfileTable:
    """Many samples over one taxon index, stored sparse.

    Parameters
    ----------
    taxa : pandas.DataFrame
        Index: canonical lineage strings (unique); columns :data:`TAXA_COLUMNS`.
    abundance : scipy.sparse matrix, shape (n_taxa, n_samples)
        Relative abundance (fraction of each sample's classified total).
    samples : pandas.DataFrame
        Index: sample ids (unique); columns ``unclassified_fraction``, ``total_count``,
        ``format``, ``tool``, ``tool_version``, ``database``, ``path``, ``sha256`` and any
        sample metadata.
    counts : scipy.sparse matrix, optional
        Clade read counts, same shape as ``abundance``.
    """

    def __init__(
        self,
        taxa: pd.DataFrame,
        abundance: sparse.spmatrix | sparse.sparray,
        samples: pd.DataFrame,
        counts: sparse.spmatrix | sparse.sparray | None = None,
    ) -> None:
        if abundance.shape != (len(taxa), len(samples)):
            msg = f"abundance shape {abundance.shape} != ({len(taxa)} taxa, {len(samples)} samples)"
            raise ValueError(msg)
        if counts is not None and counts.shape != abundance.shape:
            msg = "counts and abundance differ in shape"
            raise ValueError(msg)
        if not taxa.index.is_unique:
            dupes = taxa.index[taxa.index.duplicated()].tolist()[:3]
            msg = f"duplicate taxa in table: {dupes}"
            raise ValueError(msg)
        if not samples.index.is_unique:
            dupes = samples.index[samples.index.duplicated()].tolist()[:3]
            msg = f"duplicate sample ids in table: {dupes}"
            raise ValueError(msg)
        self.taxa = taxa
        self.abundance = sparse.csc_array(abundance, dtype=np.float64)
        self.counts = None if counts is None else sparse.csc_array(counts, dtype=np.float64)
        self.samples = samples

    # -- basic protocol -------------------------------------------------------------------
    @property
    def sample_ids(self) -> list[str]:
        """Sample ids in table order."""
        return [str(s) for s in self.samples.index]

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_taxa, n_samples)``."""
        return (len(self.taxa), len(self.samples))

    def __len__(self) -> int:
        return len(self.samples)

    def __iter__(self) -> Any:
        return (self.profile(sample_id) for sample_id in self.sample_ids)

    def __repr__(self) -> str:
        return f"<ProfileTable {len(self.samples)} samples x {len(self.taxa)} taxa>"

    def profile(self, sample_id: str | None = None) -> Profile:
        """One sample as a :class:`Profile` (the only one when ``sample_id`` is omitted).

        Raises
        ------
        SampleNotFoundError
            If ``sample_id`` is not in the table, or omitted while the table holds several.
        """
        index = self.samples.index
        if sample_id is None:
            if len(index) != 1:
                ids = self.sample_ids
                shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
                msg = f"the table holds {len(ids)} samples ({shown}); name one with --sample"
                raise SampleNotFoundError(msg)
            sample_id = str(index[0])
        if sample_id not in index:
            ids = self.sample_ids
            shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
            msg = f"no sample {sample_id!r} in the table (samples: {shown})"
            raise SampleNotFoundError(msg)
        column = self.samples.index.get_loc(sample_id)
        assert isinstance(column, int)
        values = self.abundance[:, [column]].toarray().ravel()
        count_values = (
            self.counts[:, [column]].toarray().ravel()
            if self.counts is not None
            else np.full(len(values), np.nan)
        )
        present = values > 0
        if self.counts is not None:
            present |= count_values > 0
        taxa = self.taxa.loc[present].copy()
        taxa["relative_abundance"] = values[present]
        taxa["count"] = count_values[present]
        row: dict[str, Any] = {str(k): v for k, v in self.samples.loc[sample_id].items()}
        meta = {
            k: _plain(v) for k, v in row.items() if k not in _SAMPLE_COLUMNS and not _is_missing(v)
        }
        record = sample_record(row)
        return Profile(
            sample_id=str(sample_id),
            taxa=taxa,
            unclassified_fraction=record.unclassified_fraction,
            total_count=record.total_count,
            source=record.source,
            provenance=record.provenance,
            metadata=meta,
        )

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_clades(
        cls,
        lineages: Sequence[Lineage],
        values: np.ndarray | sparse.spmatrix | sparse.sparray,
        sample_ids: Sequence[str],
        *,
        source: SourceInfo,
        provenance: Provenance,
        kind: ValueKind,
        unclassified: np.ndarray | None = None,
        classified_total: np.ndarray | None = None,
        taxids: Sequence[str | None] | None = None,
        metadata: pd.DataFrame | None = None,
    ) -> ProfileTable:
        """Build a table from clade-level values, one row per taxon at any rank (MetaPhlAn,
        Kraken, CAMI, consumer exports).

        Parameters
        ----------
        lineages : sequence of Lineage
            As the file names them; canonical names are applied here.
        values : array, shape (n_taxa, n_samples)
            Clade abundance in ``kind`` units.
        kind : {"count", "percent", "fraction"}
        unclassified : array, shape (n_samples,), optional
            Unclassified amount in the same units (0 when not given).
        classified_total : array, shape (n_samples,), optional
            Classified amount; by default the sum over the highest rank present.
        """
        matrix = sparse.csr_array(values, dtype=np.float64)
        n_samples = len(sample_ids)
        top_rank = min((RANKS.index(lin.rank) for lin in lineages), default=0)
        if classified_total is None:
            top = np.array([RANKS.index(lin.rank) == top_rank for lin in lineages])
            classified_total = np.asarray(matrix[top].sum(axis=0)).ravel() if top.any() else None
        classified = (
            np.zeros(n_samples) if classified_total is None else np.asarray(classified_total)
        )
        unclass = np.zeros(n_samples) if unclassified is None else np.asarray(unclassified)
        whole = classified + unclass
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(classified > 0, 1.0 / classified, 0.0)
            unclassified_fraction = np.where(whole > 0, unclass / whole, 0.0)
        abundance = matrix @ sparse.diags_array(scale)
        counts = matrix if kind == "count" else None
        total = whole if kind == "count" else np.full(n_samples, np.nan)
        return cls._assemble(
            lineages,
            abundance,
            counts,
            sample_ids,
            source=source,
            provenance=provenance,
            unclassified_fraction=unclassified_fraction,
            total_count=total,
            taxids=taxids,
            metadata=metadata,
        )

    @classmethod
    def from_leaves(
        cls,
        lineages: Sequence[Lineage],
        values: np.ndarray | sparse.spmatrix | sparse.sparray,
        sample_ids: Sequence[str],
        *,
        source: SourceInfo,
        provenance: Provenance,
        kind: ValueKind,
        metadata: pd.DataFrame | None = None,
    ) -> ProfileTable:
        """Build a table from leaf features (ASVs, OTUs) and their lineages (BIOM, QIIME 2,
        DADA2): clade values at every rank are the sums of the leaves below them. Leaves with an
        empty lineage (no domain assigned) are the unclassified part.
        """
        matrix = sparse.csr_array(values, dtype=np.float64)
        n_leaves = len(lineages)
        # keyed by the levels tuple: one Lineage is built per clade, not per leaf and depth
        clade_index: dict[tuple[tuple[str, str], ...], int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for leaf, lineage in enumerate(lineages):
            levels = lineage.levels
            for depth in range(1, len(levels) + 1):
                index = clade_index.setdefault(levels[:depth], len(clade_index))
                rows.append(index)
                cols.append(leaf)
        indicator = sparse.csr_array(
            (np.ones(len(rows)), (rows, cols)), shape=(len(clade_index), n_leaves)
        )
        clades = indicator @ matrix
        assigned = np.array([len(lin.levels) > 0 for lin in lineages], dtype=bool)
        whole = np.asarray(matrix.sum(axis=0)).ravel()
        classified = (
            np.asarray(matrix[assigned].sum(axis=0)).ravel() if assigned.any() else whole * 0
        )
        return cls.from_clades(
            [Lineage(levels) for levels in clade_index],
            clades,
            sample_ids,
            source=source,
            provenance=provenance,
            kind=kind,
            unclassified=whole - classified,
            classified_total=classified,
            metadata=metadata,
        )

    @classmethod
    def _assemble(
        cls,
        lineages: Sequence[Lineage],
        abundance: sparse.sparray,
        counts: sparse.sparray | None,
        sample_ids: Sequence[str],
        *,
        source: SourceInfo,
        provenance: Provenance,
        unclassified_fraction: np.ndarray,
        total_count: np.ndarray,
        taxids: Sequence[str | None] | None,
        metadata: pd.DataFrame | None,
    ) -> ProfileTable:
        canon = [canonical_lineage(lin) for lin in lineages]
        keys = [str(lin) for lin in canon]
        taxa = pd.DataFrame(
            {
                "rank": [lin.rank for lin in canon],
                "name": [lin.name for lin in canon],
                "original_name": [lin.name for lin in lineages],
                "taxid": list(taxids) if taxids is not None else [None] * len(canon),
            },
            index=pd.Index(keys, name="lineage"),
        )
        if not taxa.index.is_unique:
            # Two names in the file are one organism after renaming: add them up, keep both names.
            codes, uniques = pd.factorize(taxa.index)
            merge = sparse.csr_array(
                (np.ones(len(codes)), (codes, np.arange(len(codes)))),
                shape=(len(uniques), len(codes)),
            )
            abundance = merge @ abundance
            counts = None if counts is None else merge @ counts
            taxa = taxa.groupby(level=0, sort=False).agg(
                {
                    "rank": "first",
                    "name": "first",
                    "original_name": _join_names,
                    "taxid": "first",
                }
            )
            taxa = taxa.loc[uniques]
        samples = pd.DataFrame(
            {
                "unclassified_fraction": unclassified_fraction,
                "total_count": total_count,
                "format": source.format,
                "tool": source.tool,
                "tool_version": source.tool_version,
                "database": source.database,
                "path": provenance.path,
                "sha256": provenance.sha256,
            },
            index=pd.Index([str(s) for s in sample_ids], name="sample_id"),
        )
        if metadata is not None:
            extra = metadata.reindex(samples.index)
            samples = samples.join(extra[[c for c in extra.columns if c not in samples.columns]])
        return cls(taxa, abundance, samples, counts)

    @classmethod
    def concat(cls, tables: Iterable[ProfileTable]) -> ProfileTable:
        """Join tables over the union of their taxa (sample ids must not repeat)."""
        tables = list(tables)
        if len(tables) == 1:
            return tables[0]
        taxa = pd.concat([t.taxa for t in tables])
        taxa = taxa[~taxa.index.duplicated()]
        position = pd.Series(np.arange(len(taxa)), index=taxa.index)
        blocks_a, blocks_c = [], []
        has_counts = all(t.counts is not None for t in tables)
        for table in tables:
            rows = position.loc[table.taxa.index].to_numpy()
            lift = sparse.csr_array(
                (np.ones(len(rows)), (rows, np.arange(len(rows)))),
                shape=(len(taxa), len(table.taxa)),
            )
            blocks_a.append(lift @ table.abundance)
            if has_counts and table.counts is not None:
                blocks_c.append(lift @ table.counts)
        samples = pd.concat([t.samples for t in tables])
        counts = sparse.hstack(blocks_c) if has_counts else None
        return cls(taxa, sparse.hstack(blocks_a), samples, counts)

    # -- conversions ----------------------------------------------------------------------
    def to_dataframe(
        self,
        *,
        values: Literal["relative_abundance", "count"] = "relative_abundance",
        rank: str | None = None,
    ) -> pd.DataFrame:
        """Dense taxa x samples DataFrame (index: lineage), optionally one rank only."""
        matrix = self.abundance if values == "relative_abundance" else self.counts
        if matrix is None:
            msg = "this table has no read counts"
            raise ValueError(msg)
        frame = pd.DataFrame(
            matrix.toarray(), index=self.taxa.index, columns=pd.Index(self.sample_ids)
        )
        if rank is not None:
            frame = frame.loc[(self.taxa["rank"] == rank).to_numpy()]
        return frame

    @classmethod
    def from_dataframe(
        cls,
        frame: pd.DataFrame,
        *,
        kind: ValueKind = "fraction",
        source: SourceInfo | None = None,
    ) -> ProfileTable:
        """Build from a taxa x samples DataFrame whose index holds lineage strings.

        If the index lists clades at several ranks with their ancestors (a MetaPhlAn-style
        table) the values are taken as clade values; otherwise as leaves to be summed upwards.
        """
        lineages = [parse_lineage(str(key)) for key in frame.index]
        src = source or SourceInfo(format="dataframe")
        prov = Provenance(path=None, sha256=None, format=src.format)
        keys = {str(lin) for lin in lineages}
        nested = any(
            str(lin.truncate(lin.levels[-2][0])) in keys for lin in lineages if len(lin) > 1
        )
        build = cls.from_clades if nested else cls.from_leaves
        return build(
            lineages,
            frame.to_numpy(dtype=float),
            [str(c) for c in frame.columns],
            source=src,
            provenance=prov,
            kind=kind,
        )

    def to_biom(self) -> Any:
        """A :class:`biom.Table` of counts (or relative abundances when counts are unknown).

        BIOM observations are leaves that readers sum up the lineage, so each taxon holds what
        is assigned to it and not to a taxon below it (its clade value minus its children's);
        an ``Unclassified`` observation without taxonomy holds the unclassified share. Summing
        up again (:meth:`from_biom`, QIIME, gutlens' BIOM reader) gives back every clade.
        Each taxon's lineage is its ``taxonomy`` observation metadata.
        """
        import biom

        matrix = sparse.csr_array(self.counts if self.counts is not None else self.abundance)
        keys = [str(k) for k in self.taxa.index]
        position = {key: i for i, key in enumerate(keys)}
        children, parents = [], []
        for i, key in enumerate(keys):
            parts = key.split("|")
            for depth in range(len(parts) - 1, 0, -1):
                parent = position.get("|".join(parts[:depth]))
                if parent is not None:
                    children.append(i)
                    parents.append(parent)
                    break
        lift = sparse.csr_array(
            (np.ones(len(children)), (parents, children)), shape=(len(keys), len(keys))
        )
        own = (matrix - lift @ matrix).toarray()
        own[own < 0] = 0.0  # rounding in clade tables whose children slightly exceed the parent
        classified = own.sum(axis=0)
        fraction = self.samples["unclassified_fraction"].to_numpy(dtype=float)
        total = self.samples["total_count"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            unclassified = np.where(fraction < 1, classified * fraction / (1 - fraction), 1.0)
        if self.counts is not None:
            known = ~np.isnan(total)
            unclassified[known] = np.maximum(total[known] - classified[known], 0.0)
            unclassified = np.round(unclassified)
        ids = list(keys)
        metadata: list[dict[str, Any]] = [
            {"taxonomy": key.split("|"), "rank": rank}
            for key, rank in zip(keys, self.taxa["rank"], strict=True)
        ]
        if np.any(unclassified > 0):
            own = np.vstack([own, unclassified])
            ids.append("Unclassified")
            metadata.append({"taxonomy": [], "rank": "unclassified"})
        return biom.Table(
            sparse.csr_matrix(own),
            observation_ids=ids,
            sample_ids=self.sample_ids,
            observation_metadata=metadata,
            type="Taxon table",
        )

    @classmethod
    def from_biom(cls, table: Any, *, source: SourceInfo | None = None) -> ProfileTable:
        """Build from an in-memory :class:`biom.Table` whose observations are leaves with
        ``taxonomy`` metadata (or lineage strings as ids)."""
        src = source or SourceInfo(format="biom")
        prov = Provenance(path=None, sha256=None, format=src.format)
        ids = table.ids(axis="observation")
        metadata = table.metadata(axis="observation")
        lineages = []
        for i, obs in enumerate(ids):
            meta: Mapping[str, Any] | None = metadata[i] if metadata is not None else None
            taxonomy = meta.get("taxonomy") if meta else None
            lineages.append(parse_lineage(taxonomy if taxonomy is not None else str(obs)))
        values = table.matrix_data
        kind: ValueKind = "count" if _integral(values) else "fraction"
        return cls.from_leaves(
            lineages,
            values,
            [str(s) for s in table.ids(axis="sample")],
            source=src,
            provenance=prov,
            kind=kind,
        )


def _join_names(names: pd.Series) -> str:
    return "; ".join(dict.fromkeys(str(n) for n in names))


class SampleRecord(NamedTuple):
    """What a row of :attr:`ProfileTable.samples` says about its sample (see
    :func:`sample_record`)."""

    source: SourceInfo
    provenance: Provenance
    unclassified_fraction: float
    total_count: float | None


def sample_record(row: Mapping[Any, Any]) -> SampleRecord:
    """The producer, provenance, unclassified share and read total a row of
    :attr:`ProfileTable.samples` records (missing values as ``None``)."""
    total = row.get("total_count")
    return SampleRecord(
        source=SourceInfo(
            format=str(row["format"]),
            tool=_opt_str(row.get("tool")),
            tool_version=_opt_str(row.get("tool_version")),
            database=_opt_str(row.get("database")),
        ),
        provenance=Provenance(
            path=_opt_str(row.get("path")),
            sha256=_opt_str(row.get("sha256")),
            format=str(row["format"]),
        ),
        unclassified_fraction=float(row["unclassified_fraction"]),
        total_count=None if total is None or _is_missing(total) else float(total),
    )


def _integral(matrix: Any) -> bool:
    data = matrix.data if hasattr(matrix, "data") else np.asarray(matrix)
    return bool(np.all(np.equal(np.mod(data, 1), 0)))


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _opt_str(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
