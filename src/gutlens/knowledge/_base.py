"""Load, validate and query the versioned knowledge base shipped in ``gutlens/knowledge/data``.

Two ways in, giving equal objects (a test checks this on the shipped data):

* :func:`read_knowledge_base` / :func:`validate_knowledge_base` read everything eagerly
  (``json`` then pydantic validation of every record); ``gutlens kb validate`` uses this.
* :func:`load_knowledge_base` (the shipped base, cached) is the fast path for reports. Every
  record is still validated by the same pydantic models before it is handed out, but straight
  from the JSON bytes (pydantic-core's parser, no intermediate dicts), and the USDA food tables
  (8.8k foods, 15k portions) are parsed only when first used (meal plan, ``kb show``), each
  record validated when it is first looked up. The cyclic garbage collector is paused while
  records are built: they hold no reference cycles, and with pandas and scipy in memory each
  collection would scan every object again.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from gutlens.knowledge._errors import KnowledgeBaseError
from gutlens.knowledge.schema import (
    BiomarkerReference,
    Citation,
    DataSource,
    Fact,
    Food,
    FoodPortion,
    GuildMember,
    Manifest,
)

__all__ = [
    "ACTIONABLE_KINDS",
    "PAYLOAD",
    "Evidence",
    "KnowledgeBase",
    "load_knowledge_base",
    "read_knowledge_base",
    "validate_knowledge_base",
]

#: Files whose bytes make up the content checksum, in this order.
PAYLOAD = (
    "citations.json",
    "facts.jsonl",
    "guild_members.json",
    "biomarkers.json",
    "data_sources.json",
    "foods.json.gz",
    "area_keywords.tsv",
    "meal_pool.tsv",
)
_INCREASING = ("increase", "improves")
_LOW_ASSOC = ("lower_in_condition", "health_associated")
#: intervention kinds ``evidence_for`` offers by default
ACTIONABLE_KINDS = ("food", "fibre", "prebiotic", "probiotic_strain", "lifestyle")
_HIGH_ASSOC = ("higher_in_condition", "disease_associated")


@dataclass(frozen=True)
class Evidence:
    """What the base holds for one finding ("taxon or guild X is low/high"), for ``interpret``.

    Attributes
    ----------
    subject : str
        The taxon or guild asked about (canonical name or guild id).
    level : {"low", "high"}
    guilds : tuple of str
        Guilds the taxon belongs to (empty for a guild).
    associations : tuple of Fact
        Facts in which the same direction was reported with a condition or health status
        (for ``low``: lower in a condition or health-associated; for ``high``: the reverse).
    interventions : tuple of Fact
        Interventions reported to move the subject (or a guild member) the other way, each
        with kind (food, fibre, prebiotic, probiotic_strain, ...), strain and evidence grade.
    """

    subject: str
    level: str
    guilds: tuple[str, ...]
    associations: tuple[Fact, ...]
    interventions: tuple[Fact, ...]

    def citation_keys(self) -> tuple[str, ...]:
        """Every citation key behind the associations and interventions (unique, ordered)."""
        keys = [k for f in (*self.associations, *self.interventions) for k in f.citations]
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class KnowledgeBase:
    """The knowledge base in memory, with lookups.

    Attributes
    ----------
    manifest : Manifest
        Version string, content checksum and counts.
    citations : dict
        Citation key -> :class:`Citation`.
    facts : tuple of Fact
    """

    manifest: Manifest
    citations: Mapping[str, Citation]
    facts: tuple[Fact, ...]
    members: tuple[GuildMember, ...]
    biomarkers: Mapping[str, BiomarkerReference]
    data_sources: Mapping[str, DataSource]
    foods: Mapping[str, Food]
    portions: Mapping[str, tuple[FoodPortion, ...]]
    _by_name: Mapping[str, tuple[int, ...]] = field(repr=False, default_factory=dict)

    @property
    def version(self) -> str:
        """Version string of the base, e.g. ``2026.11.0``."""
        return self.manifest.version

    def citation(self, key: str) -> Citation:
        """The citation with ``key`` (``doi:...`` or ``pmid:...``)."""
        try:
            return self.citations[key]
        except KeyError:
            raise KnowledgeBaseError(
                f"no citation with key {key!r} in the knowledge base"
            ) from None

    def facts_about(self, name: str, subject_type: str | None = None) -> list[Fact]:
        """Facts whose subject, or whose targets, is ``name`` (case-insensitive)."""
        hits = [self.facts[i] for i in self._by_name.get(name.casefold(), ())]
        return [f for f in hits if subject_type is None or f.subject_type == subject_type]

    def facts_in_area(self, area: str) -> list[Fact]:
        """Facts tagged ``area`` (one of ``schema.AREAS``)."""
        return [f for f in self.facts if area in f.areas]

    def guilds(self) -> list[str]:
        """Names of the curated guilds."""
        return sorted({m.guild for m in self.members})

    def guild_members(self, guild: str) -> list[GuildMember]:
        """Membership rows of ``guild`` (one per taxon x supporting paper)."""
        return [m for m in self.members if m.guild == guild]

    def guilds_of(self, taxon: str) -> list[str]:
        """Guilds ``taxon`` belongs to (matched on current or former names)."""
        key = taxon.casefold()
        return sorted(
            {
                m.guild
                for m in self.members
                if m.taxon.casefold() == key or key in (n.casefold() for n in m.former_names)
            }
        )

    def interventions_for(self, target: str, directions: Iterable[str] = _INCREASING) -> list[Fact]:
        """Intervention facts that move ``target`` (a taxon or guild) in ``directions``.

        For a guild, any intervention targeting one of its members counts, and for a
        ``<metabolite>_producer`` guild so does one reported to raise that metabolite
        (target ``metabolite:<name>``, e.g. faecal butyrate). This is the hook
        the interpretation layer uses for a low (``increase``) or high (``decrease``) finding.
        """
        wanted = set(directions)
        names = {target.casefold()}
        names |= {m.taxon.casefold() for m in self.guild_members(target)}
        if target.endswith("_producer") and self.guild_members(target):
            names.add(f"metabolite:{target.removesuffix('_producer')}")
        out = []
        for fact in self.facts:
            if fact.subject_type != "intervention" or fact.direction not in wanted:
                continue
            if names & {t.casefold() for t in fact.targets}:
                out.append(fact)
        return out

    def evidence_for(
        self, subject: str, level: str, kinds: Iterable[str] = ACTIONABLE_KINDS
    ) -> Evidence:
        """Associations and interventions for "``subject`` is ``level``" (``low`` or ``high``).

        ``subject`` is a taxon name (current or former) or a guild id. Interventions are those
        reported to raise (for ``low``) or lower (for ``high``) the subject or a guild member,
        restricted to ``kinds`` (default: food, fibre, prebiotic, probiotic_strain, lifestyle;
        medications and procedures are context, never advice).
        """
        if level not in ("low", "high"):
            raise KnowledgeBaseError(f"level must be 'low' or 'high', not {level!r}")
        is_guild = subject in {m.guild for m in self.members}
        assoc_dirs = _LOW_ASSOC if level == "low" else _HIGH_ASSOC
        associations = tuple(
            f
            for f in self.facts_about(subject)
            if f.subject_type == "taxon" and f.direction in assoc_dirs
        )
        moves = _INCREASING if level == "low" else ("decrease",)
        return Evidence(
            subject=subject,
            level=level,
            guilds=() if is_guild else tuple(self.guilds_of(subject)),
            associations=associations,
            interventions=tuple(
                f for f in self.interventions_for(subject, moves) if f.kind in set(kinds)
            ),
        )

    def food(self, ndb_no: str) -> Food:
        """The USDA SR28 food with ``ndb_no``."""
        try:
            return self.foods[ndb_no]
        except KeyError:
            raise KnowledgeBaseError(f"no USDA SR28 food with NDB number {ndb_no!r}") from None

    def find_foods(self, text: str, limit: int = 20) -> list[Food]:
        """Foods whose description contains every word of ``text`` (case-insensitive)."""
        words = text.casefold().split()
        hits = [f for f in self.foods.values() if all(w in f.description.casefold() for w in words)]
        return sorted(hits, key=lambda f: len(f.description))[:limit]


def _index(facts: Iterable[Fact]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(facts):
        for name in {fact.subject.casefold(), *(t.casefold() for t in fact.targets)}:
            index[name].append(i)
    return {k: tuple(v) for k, v in index.items()}


_V = TypeVar("_V")


class _Deferred(Mapping[str, _V]):
    """A read-only mapping filled by ``load()`` on first use (then kept)."""

    def __init__(self, load: Callable[[], Mapping[str, _V]]) -> None:
        self._load = load
        self._data: Mapping[str, _V] | None = None
        self._lock = threading.Lock()

    def _mapping(self) -> Mapping[str, _V]:
        if self._data is None:
            with self._lock:
                if self._data is None:
                    self._data = self._load()
        return self._data

    def __getitem__(self, key: str) -> _V:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __contains__(self, key: object) -> bool:
        return key in self._mapping()

    def __repr__(self) -> str:
        state = "not read yet" if self._data is None else f"{len(self._data)} entries"
        return f"<{type(self).__name__} ({state})>"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic records are created."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(root: Traversable | Path, name: str) -> bytes:
    try:
        return root.joinpath(name).read_bytes()
    except FileNotFoundError as err:
        raise KnowledgeBaseError(f"knowledge base file missing: {name}") from err


def _raw(root: Traversable | Path) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name in ("citations", "guild_members", "biomarkers", "data_sources"):
        raw[name] = json.loads(_read(root, f"{name}.json"))
    raw["facts"] = [json.loads(line) for line in _read(root, "facts.jsonl").splitlines() if line]
    raw["foods"] = json.loads(gzip.decompress(_read(root, "foods.json.gz")))
    raw["manifest"] = json.loads(_read(root, "MANIFEST.json"))
    return raw


def _checksum(root: Traversable | Path) -> str:
    digest = hashlib.sha256()
    for name in PAYLOAD:
        digest.update(name.encode())
        digest.update(_read(root, name))
    return digest.hexdigest()


def read_knowledge_base(root: Traversable | Path) -> KnowledgeBase:
    """Read and schema-validate the knowledge base in directory ``root``.

    Raises
    ------
    KnowledgeBaseError
        If a file is missing or a record does not follow :mod:`gutlens.knowledge.schema`.
    """
    with _gc_paused():
        return _build(_raw(root))


def _schema_error(err: ValidationError) -> KnowledgeBaseError:
    first = err.errors()[0]
    where = ".".join(str(x) for x in first["loc"])
    return KnowledgeBaseError(
        f"knowledge base does not follow the schema ({err.error_count()} problem(s)); "
        f"first: {err.title} {where}: {first['msg']}"
    )


def _build(raw: dict[str, Any]) -> KnowledgeBase:
    try:
        citations = TypeAdapter(list[Citation]).validate_python(raw["citations"])
        facts = TypeAdapter(tuple[Fact, ...]).validate_python(raw["facts"])
        members = TypeAdapter(tuple[GuildMember, ...]).validate_python(raw["guild_members"])
        markers = TypeAdapter(list[BiomarkerReference]).validate_python(raw["biomarkers"])
        sources = TypeAdapter(list[DataSource]).validate_python(raw["data_sources"])
        foods = TypeAdapter(list[Food]).validate_python(raw["foods"]["foods"])
        portions = TypeAdapter(list[FoodPortion]).validate_python(raw["foods"]["portions"])
        manifest = Manifest.model_validate(raw["manifest"])
    except ValidationError as err:
        raise _schema_error(err) from err
    except (ValueError, KeyError, OSError) as err:
        raise KnowledgeBaseError(f"knowledge base unreadable: {err}") from err
    return _assemble(
        (manifest, citations, facts, members, markers, sources),
        {f.ndb_no: f for f in foods},
        _by_food(portions),
        _index(facts),
    )


_Parts = tuple[
    Manifest,
    list[Citation],
    tuple[Fact, ...],
    tuple[GuildMember, ...],
    list[BiomarkerReference],
    list[DataSource],
]


def _assemble(parts: _Parts, foods: Any, portions: Any, by_name: Any) -> KnowledgeBase:
    """A :class:`KnowledgeBase` from its validated parts (shared by both loading paths)."""
    manifest, citations, facts, members, markers, sources = parts
    return KnowledgeBase(
        manifest=manifest,
        citations={c.key: c for c in citations},
        facts=facts,
        members=members,
        biomarkers={b.marker: b for b in markers},
        data_sources={s.key: s for s in sources},
        foods=foods,
        portions=portions,
        _by_name=by_name,
    )


def _by_food(portions: Iterable[FoodPortion]) -> dict[str, tuple[FoodPortion, ...]]:
    by_food: dict[str, list[FoodPortion]] = defaultdict(list)
    for portion in portions:
        by_food[portion.ndb_no].append(portion)
    return {k: tuple(v) for k, v in by_food.items()}


_CITATIONS = TypeAdapter(list[Citation])
_FACTS = TypeAdapter(tuple[Fact, ...])
_MEMBERS = TypeAdapter(tuple[GuildMember, ...])
_MARKERS = TypeAdapter(list[BiomarkerReference])
_SOURCES = TypeAdapter(list[DataSource])


def _json_lines(data: bytes) -> bytes:
    """JSON Lines as one JSON array (for one validate_json call)."""
    return b"[" + b",".join(line for line in data.splitlines() if line.strip()) + b"]"


def _load(root: Traversable | Path) -> KnowledgeBase:
    """The fast path (see the module docstring); equal to :func:`read_knowledge_base`."""
    try:
        with _gc_paused():
            citations = _CITATIONS.validate_json(_read(root, "citations.json"))
            facts = _FACTS.validate_json(_json_lines(_read(root, "facts.jsonl")))
            members = _MEMBERS.validate_json(_read(root, "guild_members.json"))
            markers = _MARKERS.validate_json(_read(root, "biomarkers.json"))
            sources = _SOURCES.validate_json(_read(root, "data_sources.json"))
            manifest = Manifest.model_validate_json(_read(root, "MANIFEST.json"))
            by_name = _index(facts)
    except ValidationError as err:
        raise _schema_error(err) from err
    except (ValueError, OSError) as err:
        raise KnowledgeBaseError(f"knowledge base unreadable: {err}") from err
    tables = _food_tables(root)
    return _assemble(
        (manifest, citations, facts, members, markers, sources),
        _Deferred(lambda: tables()[0]),
        _Deferred(lambda: tables()[1]),
        by_name,
    )


class _Records(Mapping[str, _V]):
    """NDB number -> record; each record is validated by ``adapter`` when first asked for."""

    def __init__(self, raw: Mapping[str, Any], adapter: TypeAdapter[_V]) -> None:
        self._raw = raw
        self._adapter = adapter
        self._done: dict[str, _V] = {}

    def __getitem__(self, key: str) -> _V:
        try:
            return self._done[key]
        except KeyError:
            pass
        record = self._raw[key]
        try:
            value = self._adapter.validate_python(record)
        except ValidationError as err:
            raise _schema_error(err) from err
        self._done[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw


_FOOD = TypeAdapter(Food)
_PORTIONS = TypeAdapter(tuple[FoodPortion, ...])
_FoodTables = tuple[_Records[Food], _Records[tuple[FoodPortion, ...]]]


def _food_tables(root: Traversable | Path) -> Callable[[], _FoodTables]:
    """A loader of (foods, portions by NDB number), read once when first called.

    The file is parsed once (pydantic-core's JSON parser); a record is validated when it is
    first used, so the meal plan pays for its ~200 foods, not for all 8.8k foods and 15k
    portions.
    """

    @lru_cache(maxsize=1)
    def tables() -> _FoodTables:
        try:
            with _gc_paused():
                data = from_json(gzip.decompress(_read(root, "foods.json.gz")))
                foods = {str(f["ndb_no"]): f for f in data["foods"]}
                portions: dict[str, list[Any]] = defaultdict(list)
                for portion in data["portions"]:
                    portions[str(portion["ndb_no"])].append(portion)
        except (ValueError, KeyError, TypeError, OSError, EOFError) as err:
            raise KnowledgeBaseError(f"knowledge base food tables unreadable: {err!r}") from err
        return _Records(foods, _FOOD), _Records(dict(portions), _PORTIONS)

    return tables


def _data_root() -> Traversable:
    return files("gutlens.knowledge").joinpath("data")


@lru_cache(maxsize=1)
def _shipped() -> KnowledgeBase:
    return _load(_data_root())


def load_knowledge_base(version: str | None = None) -> KnowledgeBase:
    """The shipped knowledge base (read and validated once, then cached).

    The USDA food tables (``foods``, ``portions``) are read on first use; a damaged food file
    raises :class:`KnowledgeBaseError` then.

    Parameters
    ----------
    version : str, optional
        Require this version; a :class:`KnowledgeBaseError` names the shipped one otherwise.
    """
    base = _shipped()
    if version is not None and version != base.version:
        raise KnowledgeBaseError(
            f"knowledge base version {version!r} requested, this gutlens ships {base.version!r}"
        )
    return base


def validate_knowledge_base(
    root: Traversable | Path | None = None,
) -> tuple[KnowledgeBase, list[str]]:
    """Check integrity beyond the schema; return the base and the list of problems (empty = ok).

    Checks: unique citation keys and fact ids; every fact cites existing citations; every
    citation is used; every citation has a DOI or PMID (also enforced by the schema); guild
    rows cite existing citations; biomarker references cite existing citations; the content
    checksum matches ``MANIFEST.json``.
    """
    root = _data_root() if root is None else root
    with _gc_paused():
        raw = _raw(root)
        base = _build(raw)
    problems: list[str] = []
    keys = [c["key"] for c in raw["citations"]]
    problems += [
        f"duplicate citation key {k}" for k in sorted({k for k in keys if keys.count(k) > 1})
    ]
    ids = [f["id"] for f in raw["facts"]]
    seen: set[str] = set()
    for fid in ids:
        if fid in seen:
            problems.append(f"duplicate fact id {fid}")
        seen.add(fid)
    used: set[str] = set()
    for fact in base.facts:
        for key in fact.citations:
            used.add(key)
            if key not in base.citations:
                problems.append(f"fact {fact.id} cites unknown citation {key}")
    for member in base.members:
        used.add(member.citation)
        if member.citation not in base.citations:
            problems.append(
                f"guild row {member.guild}/{member.taxon} cites unknown {member.citation}"
            )
    for ref in base.biomarkers.values():
        for key in ref.citations:
            used.add(key)
            if key not in base.citations:
                problems.append(f"biomarker {ref.marker} cites unknown citation {key}")
    for key, cit in base.citations.items():
        if key not in used:
            problems.append(f"citation {key} is not used by any fact")
        if not (cit.doi or cit.pmid):
            problems.append(f"citation {key} has neither DOI nor PMID")
    checksum = _checksum(root)
    if checksum != base.manifest.checksum:
        problems.append(
            f"content checksum {checksum[:12]} does not match MANIFEST.json "
            f"{base.manifest.checksum[:12]} (data changed without a rebuild)"
        )
    return base, problems
