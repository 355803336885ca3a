"""Helpers shared by the test files, so that no test file writes them again (STYLE rule 4).

layer_testing.py  `run_layer_test`: every check a layer owes, in one call, and `layer_case`

Import them as `from tests.helpers.layer_testing import run_layer_test` (pytest puts the
repository root on `sys.path`: `pythonpath = ["."]` in pyproject.toml).
"""
