"""The Typer application, global options and error handling."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console

from gutlens.errors import GutlensError

__all__ = ["app", "err_console", "out_console", "progress_bar", "run", "state"]

app = typer.Typer(
    name="gutlens",
    help="Gut microbiome profiles in, evidence-cited reports out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out_console = Console(highlight=False, soft_wrap=True, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
state: dict[str, bool] = {"verbose": False}


def progress_bar(width: int = 12) -> Any:
    """A transient rich progress bar on stderr (stage text, bar, elapsed time)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn(f"{{task.description:<{width}}}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


@app.callback()
def _main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show full tracebacks on errors."),
) -> None:
    """Gut microbiome profiles in, evidence-cited reports out."""
    state["verbose"] = verbose


def _load_commands() -> None:
    from gutlens.cli import commands

    for module in pkgutil.iter_modules(commands.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"gutlens.cli.commands.{module.name}")


def run(argv: Sequence[str]) -> int:
    """Run the CLI with ``argv``; return the exit status (errors become status 1)."""
    _load_commands()
    verbose = "--verbose" in argv or "-v" in argv
    try:
        app(list(argv), standalone_mode=False)
    except GutlensError as err:
        if verbose:
            err_console.print_exception()
        err_console.print(f"[bold red]error:[/] {err}", markup=True, highlight=False)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        return 130
    except typer.TyperException as exc:  # usage errors: wrong option, bad parameter value
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[bold red]error:[/] {exc}")
        return int(getattr(exc, "exit_code", 2))
    return 0
