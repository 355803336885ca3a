"""Re-execute notebooks in place, with the float arithmetic nbval will check them with.

    python scripts/execute_notebooks.py                      # every notebook
    python scripts/execute_notebooks.py notebooks/04_*.ipynb # some of them

Why the environment: NumPy and OpenBLAS pick their vector code for the CPU they run
on (AVX2 or AVX-512 on x86). Different vector widths add float32 numbers in a
different order, so a loss printed after 150 epochs can differ in its 4th decimal
between two machines. Pinning both libraries to the AVX2 code paths makes every x86
machine compute the same bits, so outputs saved here match CI's re-run.
`notebooks/conftest.py` applies the same settings to the kernels nbval starts.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# OpenBLAS: use the Haswell (AVX2) kernels whatever the CPU. NumPy: do not dispatch to
# its AVX-512 loops (unknown names are ignored on CPUs that lack them).
PORTABLE_FLOAT_ENV = (
    {
        "OPENBLAS_CORETYPE": "Haswell",
        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR AVX512F AVX512CD AVX512_SKX",
    }
    if platform.machine().lower() in ("x86_64", "amd64")
    else {}
)


def use_portable_floats() -> None:
    """Set the environment for processes started from now on (notebook kernels)."""
    os.environ.update(PORTABLE_FLOAT_ENV)


def execute(notebook: Path) -> float:
    """Run `notebook` top to bottom, saving its outputs; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", "--ExecutePreprocessor.timeout=600",
         "--ExecutePreprocessor.record_timing=False", str(notebook)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main(arguments: list[str]) -> None:
    use_portable_floats()
    root = Path(__file__).resolve().parent.parent
    notebooks = [Path(a) for a in arguments] or sorted((root / "notebooks").glob("*.ipynb"))
    for notebook in notebooks:
        print(f"{notebook.name}: {execute(notebook):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
