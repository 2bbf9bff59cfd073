"""16S reference sequences with lineages, in DADA2 or QIIME 2 / vsearch layout.

* DADA2 ``assignTaxonomy`` training FASTA: the header *is* the lineage,
  ``>Bacteria;Bacillota;Clostridia;Eubacteriales;Lachnospiraceae;Roseburia;``.
* QIIME 2 / vsearch: a FASTA keyed by accession plus a taxonomy TSV ``id<TAB>lineage``
  (optionally with a ``Feature ID``/``Taxon`` header line), either file gzipped or plain.

The default reference is the RDP 16S training set 19 shipped in ``gutlens/reads/data``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gutlens.errors import ReadsInputError

__all__ = [
    "DEFAULT_REFERENCE",
    "Reference",
    "default_reference_path",
    "load_reference",
    "load_species_reference",
]

#: Name of the shipped default reference file inside ``gutlens.reads/data``.
DEFAULT_REFERENCE = "rdp_trainset19_dada2.fa.gz"


@dataclass(frozen=True)
class Reference:
    """Reference sequences and the lineage of each, as level names from the top down.

    Attributes
    ----------
    sequences : list of str
    lineages : list of tuple of str
        Level texts as the file wrote them (``"Bacteria"`` or ``"d__Bacteria"``); positional
        levels map to kingdom, phylum, class, order, family, genus, species.
    sha256 : str
        Digest over the reference file(s); keys the trained-model cache.
    name : str
        File name(s), for provenance.
    """

    sequences: list[str]
    lineages: list[tuple[str, ...]]
    sha256: str
    name: str

    def __len__(self) -> int:
        return len(self.sequences)


def default_reference_path() -> Path:
    """Path of the shipped RDP training set 19 (DADA2 layout, gzipped)."""
    return Path(str(resources.files("gutlens.reads") / "data" / DEFAULT_REFERENCE))


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _split_lineage(text: str) -> tuple[str, ...]:
    levels = [part.strip() for part in text.strip().split(";")]
    while levels and levels[-1] == "":
        levels.pop()
    return tuple(levels)


def _read_fasta(path: Path) -> list[tuple[str, str]]:
    import dnaio

    records: list[tuple[str, str]] = []
    try:
        with dnaio.open(path, mode="r") as reader:
            records.extend((rec.name, rec.sequence.upper()) for rec in reader)
    except FileNotFoundError as err:
        raise ReadsInputError("reference file not found", path=path) from err
    except (dnaio.exceptions.FileFormatError, EOFError, OSError, ValueError) as err:
        msg = f"not a readable FASTA reference ({err})"
        raise ReadsInputError(msg, path=path) from err
    if not records:
        raise ReadsInputError("the reference holds no sequences", path=path)
    return records


def _open_text(path: Path) -> Any:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def load_reference(
    fasta: str | Path | None = None, taxonomy: str | Path | None = None
) -> Reference:
    """Read a training reference (the shipped RDP 19 when ``fasta`` is ``None``).

    Parameters
    ----------
    fasta : path, optional
        DADA2-layout FASTA (lineage in the header), or sequences keyed by id when ``taxonomy``
        is given.
    taxonomy : path, optional
        QIIME 2 / vsearch taxonomy TSV: ``id<TAB>lineage`` per line.

    Raises
    ------
    ReadsInputError
        If a file is missing, unreadable, a header holds no lineage, or an id has no taxonomy.
    """
    fasta_path = Path(fasta) if fasta is not None else default_reference_path()
    records = _read_fasta(fasta_path)
    paths = [fasta_path]
    if taxonomy is None:
        lineages = []
        for number, (header, _seq) in enumerate(records, start=1):
            levels = _split_lineage(header)
            if len(levels) < 2:
                msg = (
                    f"record {number}: header {header[:60]!r} is not a DADA2 lineage "
                    "('Kingdom;Phylum;...;Genus;'); give the taxonomy TSV for id-keyed FASTA"
                )
                raise ReadsInputError(msg, path=fasta_path)
            lineages.append(levels)
    else:
        tax_path = Path(taxonomy)
        paths.append(tax_path)
        table: dict[str, tuple[str, ...]] = {}
        try:
            with _open_text(tax_path) as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip() or line.startswith("#"):
                        continue
                    fields = line.rstrip("\n\r").split("\t")
                    if len(fields) < 2:
                        msg = "expected 'id<TAB>lineage'"
                        raise ReadsInputError(msg, path=tax_path, line=number)
                    if number == 1 and fields[1].strip().lower() in {"taxon", "taxonomy"}:
                        continue
                    table[fields[0].strip()] = _split_lineage(fields[1])
        except FileNotFoundError as err:
            raise ReadsInputError("taxonomy file not found", path=tax_path) from err
        except (OSError, EOFError, UnicodeDecodeError) as err:
            raise ReadsInputError(f"unreadable taxonomy file ({err})", path=tax_path) from err
        lineages = []
        for number, (header, _seq) in enumerate(records, start=1):
            key = header.split()[0] if header else header
            if key not in table:
                msg = f"record {number}: sequence id {key!r} has no line in {tax_path.name}"
                raise ReadsInputError(msg, path=fasta_path)
            lineages.append(table[key])
    return Reference(
        sequences=[seq for _h, seq in records],
        lineages=lineages,
        sha256=_digest(paths),
        name="+".join(p.name for p in paths),
    )


def load_species_reference(path: str | Path) -> dict[str, list[tuple[str, str]]]:
    """Read a DADA2 ``addSpecies`` reference: ``>ID Genus species`` headers.

    Returns
    -------
    dict
        Upper-case sequence -> list of ``(genus, species epithet)``.
    """
    species: dict[str, list[tuple[str, str]]] = {}
    source = Path(path)
    for number, (header, seq) in enumerate(_read_fasta(source), start=1):
        parts = header.split()
        if len(parts) < 3:
            msg = f"record {number}: expected '>ID Genus species', found {header[:60]!r}"
            raise ReadsInputError(msg, path=source)
        species.setdefault(seq, []).append((parts[1], parts[2]))
    return species


def reference_summary(reference: Reference) -> str:
    """One-line JSON description (name, size, digest) for provenance."""
    return json.dumps(
        {"name": reference.name, "sequences": len(reference), "sha256": reference.sha256}
    )
