"""Speed of a Transformer block's training: teachkeras against Keras 3, on one CPU thread.

    python benchmarks/attention.py        # also run by `python benchmarks/run.py` (make bench)

The model is one post-norm attention block on synthetic sequences: (batch 64, 100 steps,
64 features) -> MultiHeadAttention(4 heads of 16)(x, x) -> Add -> LayerNormalization ->
Dense(10, softmax) on every step, sparse categorical cross-entropy against a label per
step, Adam. Both libraries train it in this same process, on one thread (NumPy's BLAS
and PyTorch alike), an epoch of each in turn so that a shared machine's drift hits both.
Prints the CPU seconds per epoch (median) of each and their ratio (goal: <= 1.00).
"""

from __future__ import annotations

import argparse
import os
import time

# One thread for the BLAS under NumPy (set before NumPy loads it) and for PyTorch.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402

BATCH, STEPS, FEATURES, HEADS, CLASSES = 64, 100, 64, 4, 10


def synthetic_sequences(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, STEPS, FEATURES), dtype=np.float32)
    y = rng.integers(0, CLASSES, (n, STEPS))
    return x, y


def attention_block(lib):
    inputs = lib.Input((STEPS, FEATURES))
    attended = lib.layers.MultiHeadAttention(num_heads=HEADS, key_dim=FEATURES // HEADS)(
        inputs, inputs
    )
    h = lib.layers.LayerNormalization()(lib.layers.Add()([inputs, attended]))
    model = lib.Model(inputs, lib.layers.Dense(CLASSES, activation="softmax")(h))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def cpu_seconds_per_epoch(libraries: dict, x, y, epochs: int) -> dict[str, float]:
    """Median CPU seconds of an epoch for each library, their epochs taken in turn."""
    models = {name: attention_block(lib) for name, lib in libraries.items()}
    for model in models.values():
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(epochs):
        for name, model in models.items():
            start = time.process_time()
            model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
            times[name].append(time.process_time() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    import teachkeras

    libraries = {"teachkeras": teachkeras}
    try:
        import keras
        import torch

        torch.set_num_threads(1)
        libraries["keras"] = keras
    except ImportError:
        keras = None
    x, y = synthetic_sequences(args.samples)
    seconds = cpu_seconds_per_epoch(libraries, x, y, args.epochs)
    steps = int(np.ceil(args.samples / BATCH))
    print(
        f"Attention block: MultiHeadAttention({HEADS} heads of {FEATURES // HEADS}) + Add + "
        f"LayerNormalization + Dense({CLASSES}), batch {BATCH} x {STEPS} steps x {FEATURES} "
        f"features, Adam, {args.samples} samples ({steps} steps/epoch), one thread"
    )
    print(f"teachkeras : {seconds['teachkeras']:7.3f} CPU s/epoch")
    if keras is None:
        print("Keras 3 not installed (pip install -e .[parity]): no comparison.")
        return
    print(
        f"Keras {keras.__version__} ({keras.backend.backend()}): {seconds['keras']:7.3f} CPU s/epoch"
    )
    print(
        f"ratio teachkeras / Keras 3 = {seconds['teachkeras'] / seconds['keras']:.2f} (goal <= 1.00)"
    )


if __name__ == "__main__":
    main()
