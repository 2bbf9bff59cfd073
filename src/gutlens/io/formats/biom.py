"""BIOM tables: 1.0 JSON (plain or gzip) and 2.x HDF5 (McDonald et al. 2012, GigaScience,
doi:10.1186/2047-217X-1-7).

The files are read per the published format (biom-format.org): JSON with :mod:`json` and the
HDF5 datasets ``observation/matrix/{data,indices,indptr}``, ``observation/ids``,
``sample/ids`` and ``{observation,sample}/metadata/*`` with :mod:`h5py`, straight into sparse
arrays, skipping the Python dict ``biom.load_table`` builds per observation for its metadata
(see ``benchmarks/read_profiles.py``). The test suite checks the values against biom-format.

Lineages come from, in order: a taxonomy companion (QIIME 2 ``taxonomy.qza`` or
``taxonomy.tsv``) when one is given; the ``taxonomy``/``Taxonomy`` observation metadata (a list
of levels, leading spaces allowed, or one ``;``-joined string); the observation ids themselves
when they are lineages (``s__Akkermansia_muciniphila``, collapsed ``d__Bacteria;p__...`` tables).
A table with none of these (QIIME 2 tables keyed by MD5 hashes of ASVs) is refused with a message
asking for the taxonomy: read without it, every feature would be unclassified and the profile
empty, which no user wants. Features without a lineage in an otherwise annotated table are the
unclassified share. See :mod:`gutlens.io.formats._leaves` for counts vs percentages.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse

from gutlens.errors import ProfileFormatError
from gutlens.io._head import MAX_ZIP_UNCOMPRESSED, Head
from gutlens.io._registry import Format, register
from gutlens.io.formats._feature_taxonomy import read_feature_taxonomy
from gutlens.io.formats._leaves import leaf_table
from gutlens.model import ProfileTable, Provenance, SourceInfo, file_sha256

if TYPE_CHECKING:
    import h5py

__all__ = ["BiomData", "biom_profile_table", "parse_biom_hdf5", "parse_biom_json", "read_biom"]

_JSON_MARK = re.compile(
    r'"format"\s*:\s*"Biological Observation Matrix|"matrix_type"\s*:|biom-format\.org'
)
_LINEAGE_ID = re.compile(r"(?:^|[|;]\s*)(?:[kdpcofgst]|D_\d)__\w")
_TAXONOMY_KEYS = ("taxonomy", "Taxonomy")
#: Largest decompressed BIOM JSON read (the zip limit of :mod:`gutlens.io._head`).
MAX_JSON_BYTES = MAX_ZIP_UNCOMPRESSED
_GENERATED_BY = re.compile(r"^\s*(.*?)[\s,]+v?(\d+(?:\.\d+)+\S*?)[,;]?(?:\s.*)?$")


@dataclass
class BiomData:
    """The parts of a BIOM table gutlens uses.

    Attributes
    ----------
    matrix : scipy.sparse.csr_array, shape (n_features, n_samples)
    feature_ids, sample_ids : list of str
    taxonomy : list of str or None
        Lineage text per feature (``""`` where a feature has none); ``None`` when the table
        carries no taxonomy metadata at all.
    sample_metadata : pandas.DataFrame or None
    generated_by, table_type, format_version : str or None
    """

    matrix: sparse.csr_array
    feature_ids: list[str]
    sample_ids: list[str]
    taxonomy: list[str] | None
    sample_metadata: pd.DataFrame | None
    generated_by: str | None
    table_type: str | None
    format_version: str | None


def _sniff(head: Head) -> bool:
    if head.kind == "hdf5":
        import h5py  # only HDF5 files need it (importing it costs a fresh process ~40 ms)

        try:
            with h5py.File(head.path, "r") as h5:
                return "observation" in h5 and "sample" in h5
        except OSError:
            # unreadable HDF5 named .biom: let the reader say what is wrong with it
            return head.path.suffix.lower() == ".biom"
    if head.kind in ("text", "gzip-text") and head.text:
        return head.text.lstrip().startswith("{") and bool(_JSON_MARK.search(head.text[:8192]))
    return False


def read_biom(path: Path, *, taxonomy: Path | None = None) -> ProfileTable:
    """Read a BIOM 1.0 JSON (plain or gzip) or 2.x HDF5 table.

    Parameters
    ----------
    path : Path
    taxonomy : Path, optional
        Lineages for the feature ids (QIIME 2 ``taxonomy.qza`` or ``taxonomy.tsv``); takes
        precedence over taxonomy metadata in the table.

    Raises
    ------
    ProfileFormatError
        On a corrupt or truncated file, a wrong shape, invalid values, or a table without any
        taxonomy and no companion.
    """
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == b"\x89HDF\r\n\x1a\n":
        import h5py

        try:
            with h5py.File(path, "r") as h5:
                data = parse_biom_hdf5(h5, path)
        except OSError as err:
            msg = f"HDF5 file is truncated or corrupt ({err}); expected a BIOM 2.1 table"
            raise ProfileFormatError(msg, path=path) from err
    else:
        data = parse_biom_json(_load_json(path, magic), path)
    return biom_profile_table(data, path, taxonomy=taxonomy)


def _load_json(path: Path, magic: bytes) -> Any:
    try:
        if magic[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                raw = handle.read(MAX_JSON_BYTES + 1)
            if len(raw) > MAX_JSON_BYTES:
                msg = f"gzip JSON unpacks to more than {MAX_JSON_BYTES / 1024**3:.0f} GiB; refused"
                raise ProfileFormatError(msg, path=path)
        else:
            raw = path.read_bytes()
    except (EOFError, OSError, zlib.error) as err:
        raise ProfileFormatError(f"gzip file is truncated or corrupt ({err})", path=path) from err
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        msg = f"not valid BIOM JSON ({err.msg} at column {err.colno})"
        raise ProfileFormatError(msg, path=path, line=err.lineno) from err
    except UnicodeDecodeError as err:
        raise ProfileFormatError(f"not UTF-8 JSON ({err.reason})", path=path) from err


def parse_biom_json(document: Any, path: Path) -> BiomData:
    """Check and unpack a BIOM 1.0 JSON document."""
    if not isinstance(document, dict):
        raise ProfileFormatError("BIOM JSON must be an object {...}", path=path)
    missing = [k for k in ("rows", "columns", "data", "shape") if k not in document]
    if missing:
        msg = f"BIOM JSON lacks {', '.join(missing)}; expected a BIOM 1.0 table"
        raise ProfileFormatError(msg, path=path)
    rows, columns = document["rows"], document["columns"]
    if not isinstance(rows, list) or not isinstance(columns, list):
        raise ProfileFormatError("BIOM JSON 'rows' and 'columns' must be lists", path=path)
    shape = document["shape"]
    if not (isinstance(shape, list) and len(shape) == 2 and shape == [len(rows), len(columns)]):
        msg = f"shape {shape} does not match {len(rows)} rows x {len(columns)} columns listed"
        raise ProfileFormatError(msg, path=path)
    try:
        feature_ids = [str(r["id"]) for r in rows]
        sample_ids = [str(c["id"]) for c in columns]
    except (TypeError, KeyError) as err:
        raise ProfileFormatError("every BIOM row and column needs an 'id'", path=path) from err
    n_rows, n_cols = len(rows), len(columns)
    try:
        values = np.asarray(document["data"], dtype=np.float64)
    except (TypeError, ValueError) as err:
        msg = f"BIOM 'data' holds something that is not a number ({err})"
        raise ProfileFormatError(msg, path=path) from err
    if document.get("matrix_type", "sparse") == "dense":
        if values.shape != (n_rows, n_cols):
            msg = f"dense data is {values.shape}, expected ({n_rows}, {n_cols})"
            raise ProfileFormatError(msg, path=path)
        matrix = sparse.csr_array(values)
    else:
        if values.size == 0:
            values = values.reshape(0, 3)
        if values.ndim != 2 or values.shape[1] != 3:
            msg = "sparse BIOM 'data' must list [row, column, value] triples"
            raise ProfileFormatError(msg, path=path)
        r, c = values[:, 0], values[:, 1]
        bad = (r < 0) | (r >= n_rows) | (c < 0) | (c >= n_cols) | (r % 1 != 0) | (c % 1 != 0)
        if bad.any():
            first = values[int(np.flatnonzero(bad)[0])].tolist()
            msg = f"data entry {first} points outside the {n_rows} x {n_cols} table"
            raise ProfileFormatError(msg, path=path)
        matrix = sparse.csr_array(
            (values[:, 2], (r.astype(np.int64), c.astype(np.int64))), shape=(n_rows, n_cols)
        )
    taxonomy = _json_taxonomy(rows)
    sample_meta = [c.get("metadata") for c in columns]
    metadata = None
    if any(isinstance(m, dict) and m for m in sample_meta):
        records = [m if isinstance(m, dict) else {} for m in sample_meta]
        metadata = pd.DataFrame.from_records(records, index=pd.Index(sample_ids))
        metadata = metadata.map(_plain_value)
    return BiomData(
        matrix=matrix,
        feature_ids=feature_ids,
        sample_ids=sample_ids,
        taxonomy=taxonomy,
        sample_metadata=metadata,
        generated_by=_opt(document.get("generated_by")),
        table_type=_opt(document.get("type")),
        format_version=_opt(document.get("format")),
    )


def _json_taxonomy(rows: list[Any]) -> list[str] | None:
    found = False
    texts: list[str] = []
    cache: dict[Any, str] = {}
    for row in rows:
        meta = row.get("metadata") if isinstance(row, dict) else None
        value = None
        if isinstance(meta, dict):
            for name in _TAXONOMY_KEYS:
                if name in meta:
                    value = meta[name]
                    found = True
                    break
        key: Any = tuple(value) if isinstance(value, list) else value
        try:
            cached = cache.get(key)
        except TypeError:  # unhashable metadata (nested lists): no caching
            texts.append(_lineage_text(value))
            continue
        if cached is None:
            cached = cache[key] = _lineage_text(value)
        texts.append(cached)
    return texts if found else None


def _lineage_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        parts = [_plain_value(v) for v in value]
        return ";".join(str(p).strip() for p in parts if p is not None and str(p).strip())
    return str(_plain_value(value)).strip()


def parse_biom_hdf5(h5: h5py.File, path: Path) -> BiomData:
    """Unpack a BIOM 2.x HDF5 table (from a file or an in-memory artifact member)."""
    try:
        feature_ids = _strings(h5["observation/ids"])
        sample_ids = _strings(h5["sample/ids"])
        group = h5["observation/matrix"]
        data = np.asarray(group["data"][:], dtype=np.float64)
        indices = np.asarray(group["indices"][:])
        indptr = np.asarray(group["indptr"][:])
        taxonomy = None
        obs_meta = h5.get("observation/metadata")
        for key in _TAXONOMY_KEYS:
            if obs_meta is not None and key in obs_meta:
                taxonomy = _hdf5_lineages(obs_meta[key])
                break
        metadata = _hdf5_sample_metadata(h5.get("sample/metadata"), sample_ids)
        attrs = h5.attrs
        generated_by = _opt(attrs.get("generated-by"))
        table_type = _opt(attrs.get("type"))
        version = attrs.get("format-version")
    except KeyError as err:
        msg = f"HDF5 file lacks BIOM dataset ({err}); expected a BIOM 2.1 table"
        raise ProfileFormatError(msg, path=path) from err
    except OSError as err:
        msg = f"HDF5 file is truncated or corrupt ({err}); expected a BIOM 2.1 table"
        raise ProfileFormatError(msg, path=path) from err
    n_rows, n_cols = len(feature_ids), len(sample_ids)
    if (
        indptr.shape != (n_rows + 1,)
        or indices.shape != data.shape
        or (indices.size and (indices.min() < 0 or indices.max() >= n_cols))
        or indptr[-1] != data.size
    ):
        msg = (
            f"BIOM matrix does not fit its {n_rows} observation and {n_cols} sample ids "
            f"(indptr {indptr.shape[0]}, nnz {data.size})"
        )
        raise ProfileFormatError(msg, path=path)
    if taxonomy is not None and len(taxonomy) != n_rows:
        msg = f"taxonomy metadata has {len(taxonomy)} entries for {n_rows} observations"
        raise ProfileFormatError(msg, path=path)
    matrix = sparse.csr_array((data, indices, indptr), shape=(n_rows, n_cols))
    return BiomData(
        matrix=matrix,
        feature_ids=feature_ids,
        sample_ids=sample_ids,
        taxonomy=taxonomy,
        sample_metadata=metadata,
        generated_by=generated_by,
        table_type=table_type,
        format_version=None if version is None else ".".join(str(int(v)) for v in version),
    )


def _strings(dataset: h5py.Dataset) -> list[str]:
    if dataset.size == 0:
        return []
    values = dataset[:].tolist()
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]


def _hdf5_lineages(dataset: h5py.Dataset) -> list[str]:
    if dataset.size == 0:
        return [""] * dataset.shape[0]
    values = dataset[:]
    if values.ndim == 1:
        rows = [_plain_value(v) for v in values.tolist()]
        return [_lineage_text(v) for v in rows]
    # one join per feature on the raw bytes; decoding and stripping happen once per distinct
    # lineage below
    joined = [
        b"\x00".join(row) if row and isinstance(row[0], bytes) else row for row in values.tolist()
    ]
    codes, uniques = pd.factorize(pd.Series(joined, dtype=object))
    texts = [_lineage_text(u.split(b"\x00") if isinstance(u, bytes) else list(u)) for u in uniques]
    return [texts[c] for c in codes]


def _hdf5_sample_metadata(group: Any, sample_ids: list[str]) -> pd.DataFrame | None:
    if group is None or len(group) == 0:
        return None
    columns: dict[str, list[Any]] = {}
    for key, dataset in group.items():
        values = dataset.asstr()[:] if dataset.dtype.kind in ("O", "S") else dataset[:]
        name = key.replace("@@SLASH@@", "/")
        if values.ndim == 1:
            columns[name] = [_plain_value(v) for v in values.tolist()]
        else:
            columns[name] = ["; ".join(str(p) for p in row if p) for row in values.tolist()]
    return pd.DataFrame(columns, index=pd.Index(sample_ids))


def _plain_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
    text = text.strip()
    return text or None


def split_generated_by(text: str | None) -> tuple[str | None, str | None]:
    """``"QIIME 1.8.0-dev, master@68bbead"`` -> ``("QIIME", "1.8.0-dev")``;
    ``"AG debug"`` -> ``("AG debug", None)``."""
    if not text:
        return None, None
    match = _GENERATED_BY.match(text)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2)
    return text.strip(), None


def feature_lineages(data: BiomData, path: Path, taxonomy: Path | None) -> list[str]:
    """Lineage text per feature from the companion, the metadata or the ids (see module doc)."""
    if taxonomy is not None:
        lookup = read_feature_taxonomy(taxonomy)
        found = lookup.reindex(pd.Index(data.feature_ids))
        missing = found.isna().to_numpy()
        if missing.any():
            shown = ", ".join(repr(f) for f in np.asarray(data.feature_ids)[missing][:3])
            msg = (
                f"{int(missing.sum())} of {len(data.feature_ids)} feature ids in the table are "
                f"not in the taxonomy {taxonomy.name} (e.g. {shown}); is it the taxonomy of "
                "this table?"
            )
            raise ProfileFormatError(msg, path=path)
        return [str(t).strip() for t in found.to_numpy()]
    if data.taxonomy is not None and any(data.taxonomy):
        return data.taxonomy
    ids = pd.Series(data.feature_ids, dtype=object)
    is_lineage = ids.str.contains(_LINEAGE_ID).to_numpy(dtype=bool)
    if len(ids) and is_lineage.mean() >= 0.5:
        # ids that are not lineages ("Unassigned", "Other") are the unclassified part
        return [f if ok else "" for f, ok in zip(data.feature_ids, is_lineage, strict=True)]
    example = data.feature_ids[0] if data.feature_ids else "none"
    msg = (
        f"the table has no taxonomy: its {len(data.feature_ids):,} feature ids (e.g. "
        f"{example!r}) are not lineages and there is no taxonomy metadata; give the taxonomy "
        "with it (QIIME 2 taxonomy.qza or taxonomy.tsv), e.g. 'gutlens profile table "
        "taxonomy.qza'"
    )
    raise ProfileFormatError(msg, path=path)


def biom_profile_table(
    data: BiomData,
    path: Path,
    *,
    taxonomy: Path | None = None,
    format_name: str = "biom",
    tool: tuple[str | None, str | None] | None = None,
) -> ProfileTable:
    """Turn unpacked BIOM data into a :class:`ProfileTable` (shared with the QIIME 2 reader)."""
    if len(set(data.sample_ids)) != len(data.sample_ids):
        dupes = pd.Index(data.sample_ids)
        first = dupes[dupes.duplicated()][0]
        raise ProfileFormatError(f"sample id {first!r} appears twice", path=path)
    lineages = feature_lineages(data, path, taxonomy)
    name, version = tool if tool is not None else split_generated_by(data.generated_by)
    source = SourceInfo(format=format_name, tool=name, tool_version=version)
    provenance = Provenance(path=str(path), sha256=file_sha256(path), format=format_name)
    return leaf_table(
        data.matrix,
        lineages,
        data.feature_ids,
        data.sample_ids,
        path=path,
        source=source,
        provenance=provenance,
        metadata=data.sample_metadata,
    )


def read_biom_bytes(raw: bytes, path: Path) -> BiomData:
    """Unpack an HDF5 BIOM table held in memory (a QIIME 2 artifact member)."""
    import h5py

    try:
        with h5py.File(io.BytesIO(raw), "r") as h5:
            return parse_biom_hdf5(h5, path)
    except OSError as err:
        msg = f"the BIOM table inside is truncated or corrupt ({err})"
        raise ProfileFormatError(msg, path=path) from err


register(
    Format(
        name="biom",
        title="BIOM tables: 1.0 JSON (plain or gzip) and 2.1 HDF5 (QIIME 1/2, biom-format)",
        sniff=_sniff,
        read=read_biom,
        priority=30,
        extensions=(".biom", ".biom.gz", ".json"),
    )
)
