"""The floors of the package, as `pyproject.toml`'s import-linter contracts state them.

Each floor imports only the floors below it (backend at the ground, then ops, the
objects layers take, losses and metrics, layers, models, saving, callbacks and viz), with
the few doors written down beside the contract; and no core module imports Keras 2's `K`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_are_kept():
    lint_imports = shutil.which("lint-imports")
    assert lint_imports, "import-linter is part of the test extra: pip install -e .[test]"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
