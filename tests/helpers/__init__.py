"""Helpers shared by the test files, so that no test file writes them again (STYLE rule 4).

layer_testing.py  `run_layer_test`: every check a layer owes, in one call, and `layer_case`
callbacks.py      `FakeModel` and `play`: drive a callback through epochs with made-up logs;
                  `regression_data` and `regression_model` for the callback tests that fit
data.py           `rand`, and the (y_true, y_pred) pairs the loss and metric tests draw

Import them as `from tests.helpers.layer_testing import run_layer_test` (pytest puts the
repository root on `sys.path`: `pythonpath = ["."]` in pyproject.toml).
"""
