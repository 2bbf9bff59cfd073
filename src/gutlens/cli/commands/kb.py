"""``gutlens kb validate`` and ``gutlens kb show NAME``: inspect the cited knowledge base."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gutlens.cli._app import app, out_console
from gutlens.taxonomy import RANKS, canonical_name

if TYPE_CHECKING:
    from gutlens.knowledge import KnowledgeBase
    from gutlens.knowledge.schema import Fact, Food

# the knowledge base (pydantic, YAML) is imported when a command runs, not when the CLI starts

kb_app = typer.Typer(help="Inspect the cited knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


@kb_app.command("validate")
def validate_command(
    data: Path | None = typer.Option(
        None, "--data", help="Validate this knowledge-base directory instead of the shipped one."
    ),
) -> None:
    """Check schema, unique keys, citations (exist, used, DOI/PMID) and the checksum."""
    from gutlens.knowledge import KnowledgeBaseError, validate_knowledge_base

    base, problems = validate_knowledge_base(data)
    if problems:
        for problem in problems:
            out_console.print(f"problem: {problem}")
        raise KnowledgeBaseError(f"knowledge base invalid: {len(problems)} problem(s)")
    counts = base.manifest.counts
    out_console.print(f"knowledge base {base.version} ok (checksum {base.manifest.checksum[:12]})")
    out_console.print(
        f"citations {len(base.citations)}, facts {len(base.facts)}, guild rows "
        f"{len(base.members)}, biomarkers {len(base.biomarkers)}, foods {counts['foods']}, "
        f"portions {counts['portions']}"
    )
    areas = Counter(a for f in base.facts for a in f.areas)
    out_console.print("facts per area: " + ", ".join(f"{a} {n}" for a, n in sorted(areas.items())))
    grades = Counter(f.evidence_grade for f in base.facts)
    out_console.print(
        "facts per evidence grade: " + ", ".join(f"{g} {n}" for g, n in grades.most_common())
    )


def _cites(base: KnowledgeBase, fact: Fact) -> str:
    return "; ".join(base.citation(k).label() for k in fact.citations)


def _taxon_names(name: str) -> list[str]:
    names = [name]
    for rank in RANKS:
        canon = canonical_name(name, rank)
        if canon not in names:
            names.append(canon)
    return names


@kb_app.command("show")
def show_command(
    name: str = typer.Argument(..., help="A taxon, guild or food (words of its description)."),
    limit: int = typer.Option(25, "--limit", help="Most facts listed per kind."),
) -> None:
    """Print what the base knows about a taxon, guild or food, with sources."""
    from gutlens.knowledge import KnowledgeBaseError, load_knowledge_base

    base = load_knowledge_base()
    shown = False
    key = name.strip().replace(" ", "_").casefold()
    if key in base.guilds():
        shown = True
        out_console.rule(f"[bold]guild {key}")
        members = base.guild_members(key)
        out_console.print(
            f"{len({m.taxon for m in members})} taxa, {len(members)} rows "
            "(one per supporting paper)"
        )
        for m in members:
            out_console.print(
                f"- {m.taxon} ({m.rank}): {m.role} "
                f"[{m.evidence_grade}; {base.citation(m.citation).label()}]",
                markup=False,
            )
        _print_facts(base, base.interventions_for(key), "interventions that raise members", limit)
    for taxon in _taxon_names(name.strip()):
        facts = [f for f in base.facts_about(taxon) if f.subject_type != "guild"]
        guilds = base.guilds_of(taxon)
        if not facts and not guilds:
            continue
        shown = True
        out_console.rule(f"[bold]{taxon}")
        if taxon != name.strip():
            out_console.print(f"(current name of {name.strip()})")
        if guilds:
            out_console.print("guilds: " + ", ".join(guilds))
            for m in (m for m in base.members if m.taxon.casefold() == taxon.casefold()):
                out_console.print(
                    f"  {m.guild}: {m.role} "
                    f"[{m.evidence_grade}; {base.citation(m.citation).label()}]",
                    markup=False,
                )
        _print_facts(base, facts, "facts", limit)
        break
    if not shown:
        foods = base.find_foods(name)
        if foods:
            shown = True
            _print_foods(base, foods[:5])
    if not shown:
        raise KnowledgeBaseError(
            f"the knowledge base knows nothing about {name!r} "
            "(no taxon, guild or food of that name)"
        )


def _print_facts(base: KnowledgeBase, facts: list[Fact], title: str, limit: int) -> None:
    if not facts:
        return
    out_console.print(
        f"{title}: {len(facts)}" + (f" (first {limit})" if len(facts) > limit else "")
    )
    for fact in facts[:limit]:
        areas = f" [{', '.join(fact.areas)}]" if fact.areas else ""
        out_console.print(f"- {fact.summary} ({fact.evidence_grade}{areas})", markup=False)
        out_console.print(f"  source: {_cites(base, fact)}", markup=False)


def _print_foods(base: KnowledgeBase, foods: list[Food]) -> None:
    source = base.data_sources["usda_sr28"]
    for food in foods:
        out_console.rule(f"[bold]{food.description} (NDB {food.ndb_no})")
        out_console.print(f"group: {food.food_group}")
        values = [
            ("energy", food.energy_kcal, "kcal"),
            ("protein", food.protein_g, "g"),
            ("fat", food.fat_g, "g"),
            ("carbohydrate", food.carbohydrate_g, "g"),
            ("fibre", food.fiber_g, "g"),
            ("sugars", food.sugars_g, "g"),
        ]
        out_console.print(
            "per 100 g: "
            + ", ".join(
                f"{n} {v:g} {u}" if v is not None else f"{n} not analysed" for n, v, u in values
            )
        )
        if food.flavonoids_mg is not None:
            flav = base.data_sources["usda_flavonoid_r3_3"]
            out_console.print(
                f"total flavonoids {food.flavonoids_mg:g} mg/100 g ({flav.title}, doi:{flav.doi})"
            )
        portions = base.portions.get(food.ndb_no, ())
        if portions:
            out_console.print(
                "portions: "
                + "; ".join(f"{p.amount:g} {p.measure} = {p.grams:g} g" for p in portions[:4])
            )
        out_console.print(f"source: {source.title}, {source.publisher} ({source.url})")
