"""Compare the HITChip Atlas (Lahti et al. 2014) with the MetaPhlAn2 reference, genus by genus.

Evidence for the decision in ``docs/analysis.md`` ("Secondary reference: HITChip Atlas"): for
genus-like groups named by a single genus, print the prevalence and median share in the 1,006
atlas adults (first sample of each subject; HITChip signal closed to 1) next to the same genus in
the European samples of the shipped MetaPhlAn2 reference. Nothing is written into the package.

Re-runnable: ``python scripts/compare_atlas1006.py [--shared ../shared/data]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.reference import load_reference  # noqa: E402

ATLAS = Path("reference/atlas1006_lahti2014")
EUROPE = ("denmark", "spain", "france", "sweden", "italy", "germany", "iceland")
#: Atlas groups named by one genus (no "et rel."), each also a MetaPhlAn2 genus.
GENERA = (
    "Akkermansia",
    "Bifidobacterium",
    "Collinsella",
    "Dialister",
    "Veillonella",
    "Enterococcus",
    "Lactococcus",
    "Haemophilus",
    "Staphylococcus",
    "Campylobacter",
    "Helicobacter",
)


def compare(shared: Path) -> pd.DataFrame:
    """One row per genus: atlas and MetaPhlAn2-Europe prevalence and median share."""
    folder = shared / ATLAS
    share = pd.read_csv(folder / "relative_abundance_percent.tsv", sep="\t", index_col=0) / 100
    samples = pd.read_csv(folder / "samples.tsv", sep="\t")
    first = samples.loc[samples["is_first_sample_of_subject"].astype(str) == "True", "sample"]
    share = share[first.tolist()]
    reference = load_reference()
    matrix, names = reference.rank_matrix("genus")
    genus = pd.DataFrame(matrix, columns=names, index=reference.samples.index)
    europe = genus.loc[reference.samples["country"].isin(EUROPE).to_numpy()]
    rows = []
    for name in GENERA:
        atlas = share.loc[name]
        metaml = europe[name]
        rows.append(
            {
                "genus": name,
                "atlas_prevalence": float((atlas > 0).mean()),
                "atlas_median": float(atlas.median()),
                "metaphlan2_europe_prevalence": float((metaml > 0).mean()),
                "metaphlan2_europe_median": float(metaml.median()),
            }
        )
    table = pd.DataFrame(rows).set_index("genus")
    table.attrs["n_atlas"] = share.shape[1]
    table.attrs["n_europe"] = len(europe)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared/data")
    args = parser.parse_args()
    table = compare(args.shared.resolve())
    print(
        f"HITChip atlas n={table.attrs['n_atlas']}, "
        f"MetaPhlAn2 reference (Europe) n={table.attrs['n_europe']}"
    )
    print(table.to_string(float_format=lambda v: f"{v:.3g}"))


if __name__ == "__main__":
    main()
