"""Read the MetAML stool cohort's wide table (the source of the bundled reference).

Used by the build scripts, tests and benchmarks that work from ``shared/data``; the installed
package itself reads only the bundle those scripts made.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.model import ProfileTable, Provenance, SourceInfo
from gutlens.taxonomy import parse_lineage

__all__ = ["read_metaml_table"]


def read_metaml_table(path: str | Path) -> ProfileTable:
    """The MetAML all-ranks table (``clade``, ``rank``, ``taxon``, one percent column per sample;
    Pasolli et al. 2016, doi:10.1371/journal.pcbi.1004977) as a ProfileTable with canonical
    names, read as MetaPhlAn 2 clade values."""
    frame = pd.read_csv(path, sep="\t")
    values = frame.drop(columns=["clade", "rank", "taxon"])
    return ProfileTable.from_clades(
        [parse_lineage(clade) for clade in frame["clade"]],
        values.to_numpy(dtype=np.float64),
        list(values.columns),
        source=SourceInfo(format="metaphlan", tool="MetaPhlAn", tool_version="2"),
        provenance=Provenance(path=str(path), sha256=None, format="metaphlan"),
        kind="percent",
    )
