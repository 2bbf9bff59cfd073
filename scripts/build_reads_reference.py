"""Copy the RDP 16S training set 19 (DADA2 layout) into gutlens/reads/data as the default reference.

Source: ``shared/data/inputs/reference_db/rdp_trainset19/rdp_trainset19_dada2.fa.gz`` (24,642
sequences, kingdom..genus; converted unchanged from mothur's phylotypr ``trainset19_df``). The
file is copied byte for byte with its README (licence and attribution) and a PROVENANCE.json.
Run from the repository root::

    python scripts/build_reads_reference.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

OUT = Path("src/gutlens/reads/data")
SOURCE = "data/inputs/reference_db/rdp_trainset19"
FILE = "rdp_trainset19_dada2.fa.gz"

ATTRIBUTION = """# RDP 16S rRNA training set 19 (DADA2 layout) — gutlens default 16S reference

`rdp_trainset19_dada2.fa.gz`: 24,642 bacterial and archaeal 16S rRNA gene sequences with
6-rank lineages (domain..genus), one per record, header `>Kingdom;Phylum;Class;Order;Family;Genus;`.

* **Origin:** RDP classifier training set 19 (July 2023), Ribosomal Database Project, Michigan
  State University, as curated and distributed by the mothur team in the R package
  `phylotypr` (github:mothur/phylotypr `data/trainset19_df.rda` @ 10edb22); converted to FASTA
  with sequences and lineages unchanged.
* **Licence:** the `phylotypr` package is GPL-3; the underlying RDP training data are
  distributed by the RDP for classifier training. Check RDP's terms before redistributing.
* **Method it trains:** Wang Q, Garrity GM, Tiedje JM, Cole JR (2007) Naive Bayesian classifier
  for rapid assignment of rRNA sequences into the new bacterial taxonomy. Appl Environ Microbiol
  73:5261-5267. doi:10.1128/AEM.00062-07

Built by `scripts/build_reads_reference.py`; see PROVENANCE.json for the source checksum.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    source = args.shared / SOURCE / FILE
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, OUT / FILE)
    (OUT / "README.md").write_text(ATTRIBUTION, encoding="utf-8")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    provenance = {
        "built_by": "scripts/build_reads_reference.py",
        "files": [
            {
                "name": FILE,
                "source": f"shared/{SOURCE}/{FILE}",
                "sha256": digest,
                "bytes": source.stat().st_size,
                "licence": "GPL-3 (phylotypr); RDP training data",
            }
        ],
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT / FILE} ({source.stat().st_size} bytes, sha256 {digest[:12]}...)")


if __name__ == "__main__":
    main()
