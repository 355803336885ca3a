"""nbval starts one kernel per notebook; give those kernels the float settings the
saved outputs were computed with (see `scripts/execute_notebooks.py` for why)."""

from scripts.execute_notebooks import use_portable_floats

use_portable_floats()
