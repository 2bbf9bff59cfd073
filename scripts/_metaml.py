"""Shared loader for the build scripts: the MetAML stool cohort (Pasolli et al. 2016) as a
gutlens :class:`~gutlens.model.ProfileTable`, read by the package's own
:func:`gutlens.reference.read_metaml_table` (the reader the reference bundle is built with).

Not part of the package: the package never reads ``../shared``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from gutlens.model import ProfileTable
from gutlens.reference import read_metaml_table

METAML = Path("data/reference/metaml_pasolli2016_stool")
METAML_DOI = "10.1371/journal.pcbi.1004977"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_metaml(shared: Path) -> tuple[ProfileTable, pd.DataFrame, list[Path]]:
    """Return the 1,989-sample table (percent -> fraction of classified), the sample sheet
    (index ``sample_uid``) and the source files read."""
    folder = shared / METAML
    wide_path = folder / "relative_abundance_all_ranks.tsv.gz"
    samples_path = folder / "samples.tsv"
    table = read_metaml_table(wide_path)
    samples = pd.read_csv(samples_path, sep="\t", index_col="sample_uid", dtype={"subjectID": str})
    samples = samples.loc[table.sample_ids]
    return table, samples, [wide_path, samples_path]
