"""Time reading the largest BIOM / QIIME 2 inputs with gutlens next to ``biom.load_table``.

Run from the repository root (needs ``../shared/data`` beside the checkout)::

    python benchmarks/read_profiles.py [--repeat 5]

For each file both readers run in the same process, alternately, and the best of ``--repeat``
runs is reported. ``biom.load_table`` only parses the file into a ``biom.Table``; gutlens also
joins the taxonomy, sums features up every rank and applies the synonym table. A 1,000-sample
table is built from the real CRC samples (763, then the first 237 again with ``-copy`` ids),
with the taxonomy of ``taxonomy.qza`` as observation metadata, written with biom-format's own
HDF5 writer into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import biom
import h5py
import numpy as np
from scipy import sparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from gutlens.io import read_profiles  # noqa: E402
from gutlens.io.formats._feature_taxonomy import read_feature_taxonomy  # noqa: E402

SHARED = Path(os.environ.get("GUTLENS_SHARED", REPO.parent / "shared")) / "data" / "inputs"
CRC = SHARED / "qiime2/crc_baxter_zackular_zeller"
CRC_BIOM = SHARED / "biom/hdf5/crc_table_from_qza_feature-table.biom"


def best(func: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _genus(taxonomy: object) -> str:
    parts = taxonomy.split(";") if isinstance(taxonomy, str) else list(taxonomy)  # type: ignore[arg-type]
    return next((p.strip() for p in parts if p.strip().startswith("g__")), "none")


def biom_genus_table(path: Path, taxonomy: Path | None = None) -> object:
    """What the same job takes with biom-format alone: load, attach the lineages (from the
    companion when given), and collapse to one rank (genus; gutlens sums all eight)."""
    table = biom.load_table(str(path))
    if taxonomy is not None:
        lineages = read_feature_taxonomy(taxonomy)
        table.add_metadata(
            {f: {"taxonomy": lineages[f]} for f in table.ids(axis="observation")},
            axis="observation",
        )
    return table.collapse(lambda _id, md: _genus(md["taxonomy"]), axis="observation", norm=False)


def thousand_samples(folder: Path) -> Path:
    """The CRC table widened to 1,000 samples, with lineages as observation metadata."""
    table = biom.load_table(str(CRC_BIOM))
    extra = table.ids()[: 1000 - len(table.ids())]
    copy = table.filter(extra, inplace=False)
    copy.update_ids({s: f"{s}-copy" for s in extra}, inplace=True)
    wide = table.concat([copy], axis="sample")
    lineages = read_feature_taxonomy(CRC / "taxonomy.qza")
    wide.add_metadata(
        {
            f: {"taxonomy": [p.strip() for p in lineages[f].split(";")]}
            for f in wide.ids(axis="observation")
        },
        axis="observation",
    )
    path = folder / "crc_1000_samples.biom"
    with h5py.File(path, "w") as handle:
        wide.to_hdf5(handle, "gutlens benchmark")
    assert wide.shape[1] == 1000 and sparse.issparse(wide.matrix_data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wide = thousand_samples(Path(tmp))
        cases: list[tuple[str, Callable[[], object], Path, Path | None]] = [
            (
                "AG_100nt.biom.gz (JSON, 202 x 23,884)",
                lambda: read_profiles(SHARED / "biom/json_v1/AG_100nt.biom.gz"),
                SHARED / "biom/json_v1/AG_100nt.biom.gz",
                None,
            ),
            (
                "PGP_100nt_even1k.biom (HDF5, 434 x 4,390)",
                lambda: read_profiles(SHARED / "biom/hdf5/PGP_100nt_even1k.biom"),
                SHARED / "biom/hdf5/PGP_100nt_even1k.biom",
                None,
            ),
            (
                "CRC .biom + taxonomy.qza (763 x 13,813)",
                lambda: read_profiles(CRC_BIOM, taxonomy=CRC / "taxonomy.qza"),
                CRC_BIOM,
                CRC / "taxonomy.qza",
            ),
            (
                "CRC table.qza + taxonomy.qza",
                lambda: read_profiles(CRC / "table.qza", taxonomy=CRC / "taxonomy.qza"),
                CRC_BIOM,
                CRC / "taxonomy.qza",
            ),
            (
                "1,000-sample HDF5 (CRC x 1.31, taxonomy inside)",
                lambda: read_profiles(wide),
                wide,
                None,
            ),
        ]
        rows = []
        for label, ours, reference, taxonomy in cases:
            ours()  # warm imports and the synonym table once
            gutlens_s = best(ours, args.repeat)
            load_s = best(lambda ref=reference: biom.load_table(str(ref)), args.repeat)
            genus_s = best(
                lambda ref=reference, tax=taxonomy: biom_genus_table(ref, tax), args.repeat
            )
            rows.append((label, gutlens_s, load_s, genus_s))
    width = max(len(r[0]) for r in rows)
    print(f"seconds, best of {args.repeat}; biom-format {biom.__version__} on the same BIOM file")
    print("  load: biom.load_table; +genus: load, attach lineages, collapse to genus")
    print(f"{'input':<{width}}  {'gutlens':>8}  {'load':>7}  {'+genus':>7}  vs load")
    for label, ours_s, load_s, genus_s in rows:
        print(
            f"{label:<{width}}  {ours_s:8.3f}  {load_s:7.3f}  {genus_s:7.3f}  "
            f"{ours_s / load_s:6.2f}x"
        )
    print(f"cpu load (1 min): {os.getloadavg()[0]:.1f}; numpy {np.__version__}")


if __name__ == "__main__":
    main()
