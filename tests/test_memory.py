"""backend/memory.py: freed arrays stay mapped, so a training step does not page-fault."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from teachkeras.backend import memory

# A training step's shape: several ~1 MB arrays alive at once, then all freed. Prints the
# page faults one such step costs, after a few to warm up.
PATTERN = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    if sys.argv[1] in ("import", "fit"):
        import teachkeras as keras
    if sys.argv[1] == "fit":
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.ones((4, 2)), np.ones(4), verbose=0)
    def step():
        arrays = [np.ones(2**18, dtype=np.float32) for _ in range(6)]
        del arrays
    for _ in range(5):
        step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(50):
        step()
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 50)
    """
)


def faults_per_step(what: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_TOP_PAD_"}
    out = subprocess.run(
        [sys.executable, "-c", PATTERN, what], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout)


@pytest.mark.skipif(not memory._is_glibc(), reason="mallopt is glibc's; elsewhere nothing is done")
def test_training_stops_the_page_faults_of_a_training_step():
    # The pattern is a real problem in plain NumPy (glibc trims the freed top of its heap,
    # and every array then faults fresh pages in), and training with teachkeras removes it.
    assert faults_per_step("numpy") > 500  # 6 MB a step in 4 KiB pages: ~1,500
    assert faults_per_step("fit") < 20


@pytest.mark.skipif(not memory._is_glibc(), reason="mallopt is glibc's; elsewhere nothing is done")
def test_importing_teachkeras_changes_nothing_in_the_process():
    assert faults_per_step("import") > 500  # malloc is as NumPy alone leaves it


def test_a_users_own_malloc_setting_is_kept(monkeypatch):
    monkeypatch.setenv("MALLOC_TOP_PAD_", "0")
    assert memory.keep_freed_memory() is False


def test_nothing_is_done_without_glibc(monkeypatch):
    monkeypatch.delenv("MALLOC_TOP_PAD_", raising=False)
    monkeypatch.setattr(memory, "_is_glibc", lambda: False)
    assert memory.keep_freed_memory() is False


@pytest.mark.skipif(not memory._is_glibc(), reason="mallopt is glibc's")
def test_glibc_accepts_the_setting(monkeypatch):
    monkeypatch.delenv("MALLOC_TOP_PAD_", raising=False)
    assert memory.keep_freed_memory() is True
