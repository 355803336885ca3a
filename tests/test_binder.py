"""The Binder files install what the notebooks need (checked statically: no network in tests)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# import name -> the distribution that provides it, where the two differ
DISTRIBUTION_OF = {
    "yaml": "pyyaml",
    "IPython": "ipykernel",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
}


def notebook_imports() -> set[str]:
    names = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            source = "\n".join(
                line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
            )
            tree = ast.parse(source)
            optional = {
                id(n)
                for t in ast.walk(tree)
                if isinstance(t, ast.Try) and _catches_import_error(t)
                for n in ast.walk(t)
            }
            for node in ast.walk(tree):
                if id(node) in optional:
                    continue  # `try: import keras / except ImportError:` is optional on purpose
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names


def _catches_import_error(node: ast.Try) -> bool:
    names = {getattr(h.type, "id", None) for h in node.handlers}
    return bool(names & {"ImportError", "ModuleNotFoundError", "Exception"})


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-e"):
            requirements.append(line)
    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_binder_installs_teachkeras_itself():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "-e ." in [line.strip() for line in lines]


def test_every_notebook_import_is_installed_by_binder():
    available = declared_distributions() | {"teachkeras"}
    missing = []
    for name in sorted(notebook_imports()):
        if name in sys.stdlib_module_names:
            continue
        if DISTRIBUTION_OF.get(name, name).lower() not in available:
            missing.append(name)
    assert not missing, f"notebooks import {missing}, which binder/ does not install"


def test_binder_system_packages_and_python():
    apt = (ROOT / "binder" / "apt.txt").read_text().split()
    assert "graphviz" in apt  # the `dot` program behind plot_model
    assert "fonts-nanum" in apt  # Hangul labels in plots
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    major, minor = map(int, runtime.removeprefix("python-").split("."))
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert (major, minor) >= tuple(map(int, required.removeprefix(">=").split(".")))


def _threads_after_start(**env_vars) -> tuple[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CPU_LIMIT", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    env.update(env_vars)
    out = subprocess.run(
        ["bash", str(ROOT / "binder" / "start"), "sh", "-c", 'echo "$OPENBLAS_NUM_THREADS $OMP_NUM_THREADS"'],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return tuple(out.stdout.split())


def test_binder_start_hands_over_to_jupyter():
    start = ROOT / "binder" / "start"
    lines = start.read_text().strip().splitlines()
    assert lines[0] == "#!/bin/bash" and lines[-1] == 'exec "$@"'
    assert start.stat().st_mode & 0o111, "binder/start must be executable"


def test_binder_start_gives_openblas_one_thread_per_granted_cpu():
    assert _threads_after_start(CPU_LIMIT="1.0") == ("1", "1")
    assert _threads_after_start(CPU_LIMIT="4") == ("4", "4")
    assert _threads_after_start(CPU_LIMIT="0.5") == ("1", "1")
    assert _threads_after_start(CPU_LIMIT="not a number") == ("1", "1")
    assert _threads_after_start() == ("2", "2")  # no grant stated
    assert _threads_after_start(CPU_LIMIT="1", OPENBLAS_NUM_THREADS="3") == (
        "3",
        "1",
    )  # the learner's
