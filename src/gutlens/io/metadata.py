"""Sample metadata files: QIIME 2 metadata TSV, QIIME 1 mapping files and plain CSV.

Layouts read:

* QIIME 2 sample metadata (docs.qiime2.org, "Metadata in QIIME 2"): tab-separated, the first
  column the sample id (``sample-id``, ``id``, ``#SampleID`` ...), an optional ``#q2:types`` row
  saying which columns are ``numeric`` or ``categorical``, other ``#`` rows are comments.
* QIIME 1 mapping files: tab-separated with a ``#SampleID`` header.
* Comma-separated tables whose first column is the sample id (``metadata.csv``).

Cells are stripped of surrounding spaces; empty cells are missing. Columns typed ``numeric`` by
``#q2:types`` must hold numbers; untyped columns become numbers when every non-empty cell is one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from gutlens.errors import ProfileFormatError
from gutlens.io._head import read_lines
from gutlens.model import ProfileTable

__all__ = ["read_sample_metadata", "with_sample_metadata"]


def read_sample_metadata(path: str | Path) -> pd.DataFrame:
    """Read a sample metadata file into a DataFrame indexed by sample id.

    Raises
    ------
    ProfileFormatError
        If the file is empty, a row has the wrong number of cells, a sample id is repeated or
        empty, or a ``numeric`` column holds text (naming the line).
    """
    path = Path(path)
    lines = read_lines(path)
    numbered = [(n, ln) for n, ln in enumerate(lines, start=1) if ln.strip()]
    if not numbered:
        raise ProfileFormatError("metadata file is empty; expected a header row", path=path)
    header = numbered[0][1]
    sep = "\t" if "\t" in header else ","
    columns = [c.strip() for c in header.lstrip("\ufeff").split(sep)]
    types: dict[str, str] = {}
    rows: list[tuple[int, str]] = []
    for number, line in numbered[1:]:
        first = line.split(sep, 1)[0].strip()
        if first.lower() == "#q2:types":
            cells = [c.strip().lower() for c in line.split(sep)]
            types = dict(zip(columns[1:], cells[1:], strict=False))
        elif not first.startswith("#"):
            rows.append((number, line))
    text = "\n".join(line for _, line in rows)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=columns,
            dtype=object,
            keep_default_na=False,
            skipinitialspace=True,
            # QIIME mapping files do not quote: a '"' is part of the cell
            quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as err:
        wrong = next((n for n, ln in rows if len(ln.split(sep)) > len(columns)), None)
        msg = f"a row has more cells than the {len(columns)} header columns ({err})".strip()
        raise ProfileFormatError(msg.splitlines()[0], path=path, line=wrong) from err
    if len(frame) != len(rows):
        raise ProfileFormatError("rows were lost while reading; check quoting", path=path)
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
    frame = frame.replace("", None)
    ids = frame[columns[0]]
    line_of = [number for number, _ in rows]
    for position, value in enumerate(ids):
        if value is None:
            msg = f"empty sample id in column {columns[0]!r}"
            raise ProfileFormatError(msg, path=path, line=line_of[position])
    repeated = ids.duplicated()
    if repeated.any():
        position = int(repeated.to_numpy().nonzero()[0][0])
        msg = f"sample id {ids.iloc[position]!r} appears twice"
        raise ProfileFormatError(msg, path=path, line=line_of[position])
    frame = frame.set_index(columns[0])
    frame.index = pd.Index([str(i) for i in frame.index], name="sample_id")
    for column in frame.columns:
        declared = types.get(column)
        converted = pd.to_numeric(frame[column], errors="coerce")
        bad = converted.isna() & frame[column].notna()
        if declared == "numeric" and bad.any():
            position = int(bad.to_numpy().nonzero()[0][0])
            msg = (
                f"column {column!r} is declared numeric by #q2:types but holds "
                f"{frame[column].iloc[position]!r}"
            )
            raise ProfileFormatError(msg, path=path, line=line_of[position])
        if declared != "categorical" and not bad.any() and frame[column].notna().any():
            frame[column] = converted
    return frame


def with_sample_metadata(table: ProfileTable, metadata: pd.DataFrame) -> ProfileTable:
    """A copy of ``table`` whose samples carry the columns of ``metadata`` (matched by id;
    samples missing from ``metadata`` get empty cells). Columns gutlens already keeps
    (``total_count``, ``tool``...) are not overwritten."""
    extra = metadata.reindex(pd.Index(table.sample_ids))
    extra.index = table.samples.index
    keep = [c for c in extra.columns if c not in table.samples.columns]
    samples = table.samples.join(extra[keep])
    return ProfileTable(table.taxa, table.abundance, samples, table.counts)
