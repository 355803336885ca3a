"""Copy the README's pictures out of the executed notebooks.

A notebook cell tagged `readme-figure:<name>` gives `docs/images/<name>.png`: its last
PNG output, exactly as saved in the notebook. So the README always shows what the
notebooks draw; `tests/test_readme.py` checks the copies are current.

    python scripts/readme_figures.py
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "readme-figure:"


def tagged_figures(notebooks_dir: Path = ROOT / "notebooks") -> dict[str, bytes]:
    """`{name: png bytes}` for every tagged cell of every notebook."""
    figures = {}
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for tag in cell.get("metadata", {}).get("tags", []):
                if tag.startswith(TAG):
                    pngs = [o["data"]["image/png"] for o in cell.get("outputs", [])
                            if "image/png" in o.get("data", {})]  # fmt: skip
                    if not pngs:
                        raise ValueError(f"{path.name}: cell tagged {tag!r} has no PNG output")
                    figures[tag[len(TAG) :]] = base64.b64decode(pngs[-1])
    return figures


def main() -> None:
    out = ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    for name, png in tagged_figures().items():
        (out / f"{name}.png").write_bytes(png)
        print(f"docs/images/{name}.png ({len(png) // 1024} KB)")


if __name__ == "__main__":
    main()
