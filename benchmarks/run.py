"""Speed of training in teachkeras, against Keras 3 and against NumPy's own GEMM.

    python benchmarks/run.py            # or: make bench

Trains a 784-256-256-10 MLP (ReLU, softmax, Adam, batch 128) on synthetic data, one
warm-up epoch then timed epochs, in teachkeras and (when installed) in Keras 3 with
the PyTorch CPU backend, in this same process. Prints:

- seconds per epoch for each, and their ratio (goal: teachkeras <= 1.0 x Keras 3);
- the GEMM throughput a training step reaches, as a fraction of what NumPy's own
  matrix product reaches on the same shapes (goal: >= 0.5).

Each timed epoch is followed at once by the same epoch's matrix products in plain
NumPy, and the fraction is the median of these pairs: a shared machine's speed drifts
by 10-20 % over minutes (clock, neighbours), and both halves of a pair drift together.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import time

import numpy as np

LAYERS = [784, 256, 256, 10]
BATCH = 128


def synthetic_data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, LAYERS[0]), dtype=np.float32)
    y = rng.integers(0, LAYERS[-1], size=n)
    return x, y


def build(lib):
    return lib.Sequential(
        [
            lib.Input((LAYERS[0],)),
            lib.layers.Dense(LAYERS[1], activation="relu"),
            lib.layers.Dense(LAYERS[2], activation="relu"),
            lib.layers.Dense(LAYERS[3], activation="softmax"),
        ]
    )


def time_epochs(lib, x, y, epochs: int, optimizer: str = "adam", between=None) -> list[float]:
    """Seconds of each epoch, after one warm-up epoch; `between()` runs after each one."""
    model = build(lib)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
        if between is not None:
            between()
    return times


def gemm_fraction(lib, x, y, epochs: int, optimizer: str) -> tuple[float, float]:
    """(median s/epoch, median fraction of NumPy's GEMM throughput), from paired timings."""
    steps = int(np.ceil(len(x) / BATCH))
    gemm_epochs = []
    times = time_epochs(
        lib,
        x,
        y,
        epochs,
        optimizer,
        between=lambda: gemm_epochs.append(steps * numpy_gemm_seconds()),
    )
    fractions = [g / t for g, t in zip(gemm_epochs, times, strict=True)]
    return float(np.median(times)), float(np.median(fractions))


def step_flops() -> float:
    """Multiply-adds of one training step, counted as 2 flops each.

    Forward: one (batch x in) @ (in x out) product per layer. Backward: two more
    (gradient of the input and of the kernel), except that the first layer's input
    gradient is not needed.
    """
    flops = 0.0
    for i, (n_in, n_out) in enumerate(itertools.pairwise(LAYERS)):
        products = 3 if i > 0 else 2
        flops += products * 2 * BATCH * n_in * n_out
    return flops


def numpy_gemm_seconds(repeats: int = 50) -> float:
    """Seconds NumPy needs for the GEMMs of one step, done back to back (best of 3)."""
    rng = np.random.default_rng(0)
    shapes = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(LAYERS)):
        shapes.append(((BATCH, n_in), (n_in, n_out)))  # forward
        shapes.append(((n_in, BATCH), (BATCH, n_out)))  # kernel gradient
        if i > 0:
            shapes.append(((BATCH, n_out), (n_out, n_in)))  # input gradient
    pairs = [(rng.random(a, dtype=np.float32), rng.random(b, dtype=np.float32)) for a, b in shapes]
    for a, b in pairs:
        a @ b
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeats):
            for a, b in pairs:
                a @ b
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def import_seconds(runs: int = 5) -> float:
    """Best wall time of `python -c "import teachkeras"` in a fresh interpreter (goal < 0.3 s).

    Measured as a user's machine runs it: with compiled bytecode (`__pycache__`, which pip
    writes on install). Some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every start
    compile every module again (here that costs about 0.25 s more); it is unset for the
    child, whose first run then writes the cache.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for _ in range(runs + 1):  # the first run may write the bytecode cache
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import teachkeras"], check=True, env=env)
        times.append(time.perf_counter() - start)
    return min(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12800)
    parser.add_argument("--epochs", type=int, default=7)
    args = parser.parse_args()

    print(f"python -c 'import teachkeras': {import_seconds():.3f} s (goal < 0.300)")
    import teachkeras

    x, y = synthetic_data(args.samples)
    steps = int(np.ceil(args.samples / BATCH))
    ours, fraction = gemm_fraction(teachkeras, x, y, args.epochs, "adam")
    print(
        f"MLP {'-'.join(map(str, LAYERS))}, Adam, batch {BATCH}, {args.samples} samples ({steps} steps/epoch)"
    )
    print(f"teachkeras : {ours:7.3f} s/epoch")

    print(f"GEMM throughput: teachkeras {step_flops() * steps / ours / 1e9:6.1f} GFLOP/s "
          f"-> fraction of NumPy's GEMM {fraction:.2f} (goal >= 0.50)")  # fmt: skip
    # The same with plain SGD shows how much of the gap is Adam's elementwise update
    # (single-threaded NumPy passes over 269k parameters) rather than the framework.
    sgd, sgd_fraction = gemm_fraction(teachkeras, x, y, args.epochs, "sgd")
    print(f"  with SGD instead of Adam: {sgd:7.3f} s/epoch -> fraction {sgd_fraction:.2f}")

    try:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
    except ImportError:
        print("Keras 3 not installed (pip install -e .[parity]): no comparison.")
        return
    theirs = float(np.median(time_epochs(keras, x, y, args.epochs)))
    print(f"Keras {keras.__version__} ({keras.backend.backend()}): {theirs:7.3f} s/epoch")
    print(f"ratio teachkeras / Keras 3 = {ours / theirs:.2f} (goal <= 1.00)")


if __name__ == "__main__":
    main()
    print()
    import cnn  # the CNN benchmark, in the same command

    sys.argv = sys.argv[:1]
    cnn.main()
    print()
    # The attention block runs on one thread, in a process of its own: the thread count
    # must be set before NumPy loads its BLAS, which this process has done long ago.
    attention = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attention.py")
    subprocess.run([sys.executable, attention], check=True)
