"""Lineages: a taxon's path from domain to strain, parsed from every naming style gutlens reads.

One :class:`Lineage` type serves all producers. Its canonical text form is the MetaPhlAn style
``k__Bacteria|p__Bacillota|c__Clostridia|...|s__Faecalibacterium_prausnitzii`` with spaces written
as underscores; ranks a producer did not resolve are left out of the string (the prefix of each
level names its rank, so nothing is ambiguous).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "RANKS",
    "RANK_CODES",
    "Lineage",
    "clean_name",
    "normalise_rank",
    "parse_lineage",
]

#: The standard ranks gutlens keeps, from the top down. "kingdom" holds the domain
#: (Bacteria, Archaea, Eukaryota, Viruses), as MetaPhlAn's ``k__`` level does.
RANKS: tuple[str, ...] = (
    "kingdom",
    "phylum",
    "class",
    "order",
    "family",
    "genus",
    "species",
    "strain",
)
RANK_CODES: dict[str, str] = dict(zip(RANKS, "kpcofgst", strict=True))
_CODE_TO_RANK: dict[str, str] = {code: rank for rank, code in RANK_CODES.items()} | {"d": "kingdom"}
_RANK_INDEX: dict[str, int] = {rank: i for i, rank in enumerate(RANKS)}

_RANK_ALIASES: dict[str, str] = {
    "domain": "kingdom",
    "superkingdom": "kingdom",
    "realm": "kingdom",
    "kingdom": "kingdom",
    "k": "kingdom",
    "d": "kingdom",
    "phylum": "phylum",
    "p": "phylum",
    "class": "class",
    "c": "class",
    "order": "order",
    "o": "order",
    "family": "family",
    "f": "family",
    "genus": "genus",
    "g": "genus",
    "species": "species",
    "s": "species",
    "strain": "strain",
    "t": "strain",
    "sgb": "strain",
}

# Values that mean "not assigned at this rank" in the styles we read.
_EMPTY_NAMES = frozenset(
    {"", "na", "nan", "none", "null", "unassigned", "unknown", "__", "uncultured", "-"}
)

# SILVA <=132 style "D_0__Bacteria", "D_5__Faecalibacterium".
_SILVA_LEVEL = re.compile(r"^D_(\d)__(.*)$")
_PREFIXED = re.compile(r"^([kdpcofgst])__(.*)$")
# GTDB splits polyphyletic groups with an alphabetic suffix: Firmicutes_A, Faecalibacterium_A.
_GTDB_SUFFIX = re.compile(r"^([A-Z][a-z]+)_[A-Z]{1,2}$")


def normalise_rank(rank: str) -> str | None:
    """Map a rank word or code from any producer to a gutlens rank, or ``None`` if not kept.

    Parameters
    ----------
    rank : str
        ``"superkingdom"``, ``"Genus"``, ``"g"``, ``"D"`` (a Kraken domain code) and so on.

    Returns
    -------
    str or None
        One of :data:`RANKS`, or ``None`` for ranks gutlens does not keep (``"no rank"``,
        ``"subphylum"``, Kraken's intermediate ``"G1"``...).
    """
    return _RANK_ALIASES.get(rank.strip().lower())


def clean_name(name: str, *, rank: str | None = None) -> str:
    """Return the display form of a taxon name as written by a producer.

    Underscores used for spaces (MetaPhlAn) become spaces, quotes are dropped, brackets inside
    species names are dropped (``[Ruminococcus] gnavus`` is NCBI's way to flag a misplaced
    genus), and GTDB's
    alphabetic suffixes (``Faecalibacterium_A``) are removed; the caller keeps the original.

    Parameters
    ----------
    name : str
        The name as found in the file, without its rank prefix.
    rank : str, optional
        Its rank, if known; GTDB suffixes are only stripped above species.
    """
    text = name.strip().strip("'\"")
    gtdb = _GTDB_SUFFIX.match(text)
    if gtdb and rank not in ("species", "strain"):
        text = gtdb.group(1)
    if rank in ("species", "strain") or not (text.startswith("[") and text.endswith("]")):
        # "[Ruminococcus] gnavus" is the species R. gnavus; a bracketed *genus* on its own
        # ("[Ruminococcus]", Greengenes' Lachnospiraceae group) is a different taxon from
        # Ruminococcus and keeps its brackets.
        text = text.replace("[", "").replace("]", "")
    text = text.replace("_", " ")
    return " ".join(text.split())


def _is_empty(name: str) -> bool:
    return name.strip().lower() in _EMPTY_NAMES


@dataclass(frozen=True, slots=True)
class Lineage:
    """A taxon's ancestry as ``(rank, name)`` levels from the top down.

    Names are display names (spaces, no rank prefix). Ranks a producer skipped are absent, so
    ``levels`` may jump from family to species. Instances are immutable and hashable.

    Examples
    --------
    >>> lin = parse_lineage("k__Bacteria|p__Firmicutes|g__Roseburia")
    >>> lin.rank, lin.name
    ('genus', 'Roseburia')
    >>> str(lin)
    'k__Bacteria|p__Firmicutes|g__Roseburia'
    """

    levels: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        last = -1
        index = _RANK_INDEX
        for rank, name in self.levels:
            position = index.get(rank, -2)
            if position <= last or not name:
                self._invalid()
            last = position

    def _invalid(self) -> None:
        """Raise the precise error for a malformed ``levels`` (kept off the fast path)."""
        last = -1
        for rank, name in self.levels:
            if rank not in _RANK_INDEX:
                msg = f"unknown rank {rank!r} in lineage (expected one of {', '.join(RANKS)})"
                raise ValueError(msg)
            if _RANK_INDEX[rank] <= last:
                msg = f"ranks out of order in lineage {self.levels!r}"
                raise ValueError(msg)
            if not name:
                msg = f"empty name at rank {rank!r}"
                raise ValueError(msg)
            last = _RANK_INDEX[rank]

    @classmethod
    def from_mapping(cls, ranks: Mapping[str, str | None]) -> Lineage:
        """Build a lineage from ``{rank: name}`` (any rank spelling; empty values skipped)."""
        levels: dict[str, str] = {}
        for key, value in ranks.items():
            rank = normalise_rank(key)
            if rank is None or value is None:
                continue
            text = str(value)
            if _is_empty(text):
                continue
            levels[rank] = clean_name(text, rank=rank)
        return cls(tuple((rank, levels[rank]) for rank in RANKS if rank in levels))

    @property
    def rank(self) -> str:
        """The rank of the lowest level (the taxon this lineage names)."""
        return self.levels[-1][0] if self.levels else "root"

    @property
    def name(self) -> str:
        """The name of the lowest level."""
        return self.levels[-1][1] if self.levels else "root"

    def get(self, rank: str) -> str | None:
        """The name at ``rank``, or ``None`` when the lineage does not resolve it."""
        for level_rank, name in self.levels:
            if level_rank == rank:
                return name
        return None

    def truncate(self, rank: str) -> Lineage:
        """The ancestor lineage ending at ``rank`` (levels below it removed)."""
        limit = _RANK_INDEX[rank]
        return Lineage(tuple(lv for lv in self.levels if _RANK_INDEX[lv[0]] <= limit))

    def renamed(self, rename: Mapping[tuple[str, str], str]) -> Lineage:
        """Return a copy with names replaced where ``rename[(rank, name)]`` gives a new one."""
        if not any(level in rename for level in self.levels):
            return self
        return Lineage(tuple((r, rename.get((r, n), n)) for r, n in self.levels))

    def __str__(self) -> str:
        return "|".join(f"{RANK_CODES[r]}__{n.replace(' ', '_')}" for r, n in self.levels)

    def __len__(self) -> int:
        return len(self.levels)


def _split_levels(text: str) -> list[str]:
    if "|" in text:
        return text.split("|")
    if ";" in text:
        return text.split(";")
    return [text]


def parse_lineage(text: str | Iterable[str], *, ranks: Iterable[str] | None = None) -> Lineage:
    """Parse a lineage written in any of the prefixed or positional styles producers use.

    Recognised styles:

    * MetaPhlAn 2/3/4: ``k__Bacteria|p__Firmicutes|...|s__Genus_species|t__SGB4933``
    * QIIME 2 / SILVA 138 / GTDB: ``d__Bacteria; p__Firmicutes_A; ...; g__Faecalibacterium``
    * Greengenes: ``k__Bacteria; p__Bacteroidetes; ...; g__; s__`` (empty levels skipped)
    * SILVA <=132: ``D_0__Bacteria;D_1__Firmicutes;...``
    * Positional (DADA2 assignTaxonomy FASTA headers, RDP): ``Bacteria;Firmicutes;...;Genus;``,
      mapped onto ``ranks`` (kingdom..genus by default); a lone genus epithet at species rank
      (DADA2 ``addSpecies``) is joined to the genus.

    Parameters
    ----------
    text : str or iterable of str
        The lineage string, or its levels already split (BIOM ``taxonomy`` metadata lists).
    ranks : iterable of str, optional
        Rank names for positional (unprefixed) levels.

    Returns
    -------
    Lineage

    Raises
    ------
    ValueError
        If a level has an unknown prefix or the ranks are out of order.
    """
    parts = _split_levels(text) if isinstance(text, str) else list(text)
    parts = [p.strip() for p in parts]
    while parts and parts[-1] == "":
        parts.pop()
    levels: dict[str, str] = {}
    positional = list(ranks) if ranks is not None else list(RANKS)
    last = -1
    for position, part in enumerate(parts):
        silva = _SILVA_LEVEL.match(part)
        prefixed = _PREFIXED.match(part)
        if silva:
            rank = RANKS[int(silva.group(1))] if int(silva.group(1)) < len(RANKS) else None
            name = silva.group(2)
        elif prefixed:
            rank = _CODE_TO_RANK[prefixed.group(1)]
            name = prefixed.group(2)
        else:
            if position >= len(positional):
                msg = f"lineage {text!r} has more levels than the {len(positional)} ranks known"
                raise ValueError(msg)
            rank = normalise_rank(positional[position])
            name = part
        if rank is None or _is_empty(name):
            continue
        if _RANK_INDEX[rank] <= last:
            msg = f"ranks out of order in lineage {text!r}"
            raise ValueError(msg)
        last = _RANK_INDEX[rank]
        display = clean_name(name, rank=rank)
        if not display:
            continue
        if rank == "species":
            display = _species_display(display, levels.get("genus"))
        levels[rank] = display
    return Lineage(tuple((rank, levels[rank]) for rank in RANKS if rank in levels))


def _species_display(name: str, genus: str | None) -> str:
    """Join a bare epithet to its genus (DADA2 addSpecies writes only ``prausnitzii``)."""
    if genus and " " not in name and name[:1].islower():
        return f"{genus} {name}"
    return name
