"""The README: its set-up lines, its Binder badge, its notebook list and its pictures."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from scripts.readme_figures import tagged_figures

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_lines_are_the_two_setup_commands():
    first, second = README.splitlines()[:2]
    assert (
        first.strip()
        == 'pip install -e ".[notebooks]" && jupyter lab notebooks/01_quickstart.ipynb'
    )
    assert second.strip() == 'pip install -e ".[test,parity]" && python -m pytest'
    assert (ROOT / "notebooks" / "01_quickstart.ipynb").exists()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'python -m pip install --quiet --disable-pip-version-check -e ".[test,parity]"' in ci
    assert "\npython -m pytest\n" in ci


def test_binder_badge_opens_jupyterlab_on_the_first_notebook_of_this_repository():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    owner_repo = project["urls"]["Repository"].removeprefix("https://github.com/")
    [link] = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+\)", README)
    assert (
        link
        == f"(https://mybinder.org/v2/gh/{owner_repo}/HEAD?urlpath=lab/tree/notebooks/01_quickstart.ipynb)"
    )
    assert (ROOT / "binder" / "requirements.txt").exists()


def test_every_notebook_is_listed_once_and_every_link_exists():
    listed = re.findall(r"\]\(notebooks/([\w-]+\.ipynb)\)", README)
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(listed) == on_disk


def test_readme_pictures_are_the_notebooks_current_figures():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/images/[\w-]+\.png)\)", README)
    assert len(pictures) == 2
    figures = tagged_figures()
    for picture in pictures:
        name = Path(picture).stem
        assert name in figures, f"no notebook cell is tagged readme-figure:{name}"
        assert (ROOT / picture).read_bytes() == figures[name], "run `make readme-figures`"


def test_notebook_kernels_get_the_portable_float_settings(monkeypatch):
    import platform

    from scripts import execute_notebooks

    for name in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES"):
        monkeypatch.delenv(name, raising=False)
    execute_notebooks.use_portable_floats()
    if platform.machine().lower() in ("x86_64", "amd64"):
        import os

        assert os.environ["OPENBLAS_CORETYPE"] == "Haswell"
        assert {"X86_V4", "AVX512_ICL", "AVX512_SPR"} <= set(
            os.environ["NPY_DISABLE_CPU_FEATURES"].split()
        )
    else:
        assert execute_notebooks.PORTABLE_FLOAT_ENV == {}
