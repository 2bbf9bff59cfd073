"""Reading a person-supplied YAML or JSON file into a dict, with errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gutlens.knowledge._errors import InputFileError

__all__ = ["raise_validation", "read_mapping"]


def read_mapping(path: str | Path, error: type[InputFileError]) -> dict[str, Any]:
    """Parse ``path`` (``.json``, else YAML) into a mapping; raise ``error`` naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise error("file not found", path=path) from err
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"cannot read the file as UTF-8 text ({err})", path=path) from err
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as err:
        raise error(f"not valid JSON at line {err.lineno}: {err.msg}", path=path) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise error(f"not valid YAML{where}: {getattr(err, 'problem', err)}", path=path) from err
    if not isinstance(data, dict):
        raise error(
            f"expected a mapping of field: value at the top level, found {type(data).__name__}",
            path=path,
        )
    return data


def raise_validation(
    err: ValidationError, path: str | Path | None, error: type[InputFileError]
) -> None:
    """Turn the first pydantic error into ``error`` naming the file and the dotted field."""
    first = err.errors()[0]
    field = ".".join(str(x) for x in first["loc"]) or None
    given = first.get("input")
    shown = "" if isinstance(given, dict | list) or given is None else f" (found {given!r})"
    extra = f"; {err.error_count() - 1} more problem(s)" if err.error_count() > 1 else ""
    raise error(f"{first['msg']}{shown}{extra}", path=path, field=field) from err
