"""Speed and memory of a CNN training step: teachkeras against Keras 3.

    python benchmarks/cnn.py          # also run by `python benchmarks/run.py`

The model is keras.io's "simple MNIST convnet" (28×28×1 → Conv2D 32 → MaxPool →
Conv2D 64 → MaxPool → Flatten → Dropout → Dense 10), Adam, batch 128, synthetic data.
Prints seconds per epoch for both and their ratio (goal: <= 1.5), and the peak memory
one training step allocates, against the activations it must keep for the backward
pass (goal: <= 2x).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests.zoo.tutorial_models import simple_mnist_convnet

BATCH = 128


def synthetic_mnist(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)


def seconds_per_epoch(lib, x, y, epochs: int) -> float:
    model = simple_mnist_convnet(lib)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)  # warm-up
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def step_memory(lib) -> tuple[float, float]:
    """(peak MB allocated during one training step, MB of activations kept for backward).

    NumPy reports its allocations to `tracemalloc`, so the peak counts every array the
    step creates: activations, patch matrices, gradients and optimizer temporaries.
    """
    model = simple_mnist_convnet(lib)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = synthetic_mnist(BATCH)
    model.train_on_batch(x, y)  # builds the optimizer's slots before we measure
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    model.train_on_batch(x, y)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    # what backward needs: every layer's input and output for this batch (float32)
    kept = sum(np.prod((BATCH, *layer.output.shape[1:])) for layer in model.layers) * 4
    kept += x.nbytes
    return peak / 2**20, kept / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2560)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    import teachkeras

    x, y = synthetic_mnist(args.samples)
    ours = seconds_per_epoch(teachkeras, x, y, args.epochs)
    print(f"MNIST convnet, Adam, batch {BATCH}, {args.samples} samples")
    print(f"teachkeras : {ours:7.3f} s/epoch")
    peak, kept = step_memory(teachkeras)
    print(f"one training step: peak {peak:6.1f} MB allocated; activations kept {kept:5.1f} MB "
          f"-> {peak / kept:.2f}x (goal <= 2.00)")  # fmt: skip
    try:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
    except ImportError:
        print("Keras 3 not installed (pip install -e .[parity]): no comparison.")
        return
    theirs = seconds_per_epoch(keras, x, y, args.epochs)
    print(f"Keras {keras.__version__} ({keras.backend.backend()}): {theirs:7.3f} s/epoch")
    print(f"ratio teachkeras / Keras 3 = {ours / theirs:.2f} (goal <= 1.50)")


if __name__ == "__main__":
    main()
