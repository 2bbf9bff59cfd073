"""Write gutlens/report/schema/report-v<N>.schema.json from the pydantic ``Report`` model.

Run from the repository root after changing ``gutlens/report/model.py``::

    python scripts/build_report_schema.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gutlens.report.json_schema import SCHEMA_FILE, schema_text


def main() -> None:
    out = Path("src/gutlens/report") / SCHEMA_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
