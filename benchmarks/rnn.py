"""Speed and memory of recurrent training: teachkeras against Keras 3, one CPU thread each.

    python benchmarks/rnn.py          # also run by `make bench`

The model is the IMDB sentiment tutorial's: word ids (batch 64, 100 steps) -> Embedding
10000×32 -> LSTM 32 (then GRU 32) -> Dense 1 (sigmoid), Adam, binary cross-entropy, on
synthetic ids. Both libraries train in this same process, one epoch of each in turn, on
one thread (OMP/OpenBLAS/MKL set to 1 before NumPy loads, `torch.set_num_threads(1)`), and
the CPU time of each epoch is taken (`time.process_time`); the figure is the median.
Goal: teachkeras <= 1.0 × Keras 3 (PyTorch CPU backend) for each layer.

Then the peak memory of one LSTM training step (`tracemalloc`, as `cnn.py` measures it),
against the activations backpropagation through time must keep: at every step the state
h_t, the carry c_t and the four gates i, f, g, o, each (batch, units), plus the Dense's
output. Goal: <= 2×. It is measured on the LSTM and Dense alone, fed embedded sequences;
the IMDB model's step is shown too, where the embedding table's gradient (a dense
10000×32 array, as in Keras) and Adam's update of it come on top.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # before NumPy (and PyTorch) load their BLAS

import numpy as np  # noqa: E402  (after the thread settings, on purpose)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

BATCH, STEPS, VOCABULARY, EMBEDDING, UNITS = 64, 100, 10000, 32, 32


def synthetic_imdb(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(1, VOCABULARY, (n, STEPS)), rng.integers(0, 2, n).astype("float32")


def embedding(lib):
    """`Embedding(10000, 32)`, or, where the library has none yet, the same lookup as a
    small layer (`ops.take` of the table's rows)."""
    if hasattr(lib.layers, "Embedding"):
        return lib.layers.Embedding(VOCABULARY, EMBEDDING)

    class TakeEmbedding(lib.layers.Layer):
        def build(self, input_shape):
            self.embeddings = self.add_weight(
                shape=(VOCABULARY, EMBEDDING), initializer="uniform", name="embeddings"
            )

        def call(self, ids):
            return lib.ops.take(self.embeddings, lib.ops.cast(ids, "int64"), axis=0)

        def compute_output_shape(self, input_shape):
            return (*input_shape, EMBEDDING)

    return TakeEmbedding()


def imdb_model(lib, recurrent: str):
    model = lib.Sequential(
        [
            lib.Input((STEPS,), dtype="int32"),
            embedding(lib),
            getattr(lib.layers, recurrent)(UNITS),
            lib.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def epoch_cpu_seconds(model, x, y) -> float:
    start = time.process_time()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.process_time() - start


def side_by_side(libs: dict, recurrent: str, x, y, epochs: int) -> dict[str, float]:
    """Median epoch CPU time per library, their epochs taking turns (a shared machine's
    speed drifts over minutes; taking turns lets both see the same drift)."""
    models = {name: imdb_model(lib, recurrent) for name, lib in libs.items()}
    for model in models.values():
        model.fit(x[: 2 * BATCH], y[: 2 * BATCH], batch_size=BATCH, epochs=1, verbose=0)
    times: dict[str, list[float]] = {name: [] for name in libs}
    for _ in range(epochs):
        for name, model in models.items():
            times[name].append(epoch_cpu_seconds(model, x, y))
    return {name: float(np.median(t)) for name, t in times.items()}


def step_memory(model, x, y, kept_bytes: int) -> tuple[float, float]:
    """(peak MB one training step allocates, MB of activations BPTT keeps)."""
    model.train_on_batch(x, y)  # builds the optimizer's slots before we measure
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    model.train_on_batch(x, y)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return peak / 2**20, kept_bytes / 2**20


def lstm_activation_bytes(batch: int) -> int:
    """h_t, c_t and the gates i, f, g, o at every step, and the Dense's output (float32)."""
    return (STEPS * 6 * batch * UNITS + batch) * 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2560)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    import teachkeras

    libs = {"teachkeras": teachkeras}
    try:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
        import torch

        torch.set_num_threads(1)
        libs[f"Keras {keras.__version__} ({keras.backend.backend()})"] = keras
    except ImportError:
        print("Keras 3 not installed (pip install -e .[parity]): teachkeras alone.")

    x, y = synthetic_imdb(args.samples)
    steps = args.samples // BATCH
    print(
        f"IMDB-shaped: batch {BATCH}, {STEPS} steps, Embedding {VOCABULARY}x{EMBEDDING}, "
        f"recurrent {UNITS}, Dense 1; {args.samples} samples ({steps} steps/epoch), one thread"
    )
    for recurrent in ("LSTM", "GRU"):
        seconds = side_by_side(libs, recurrent, x, y, args.epochs)
        for name, value in seconds.items():
            print(f"  {recurrent:4s} {name:24s}: {value:6.2f} s CPU/epoch")
        if len(seconds) == 2:
            ours, theirs = seconds.values()
            print(
                f"  {recurrent:4s} ratio teachkeras / Keras 3 = {ours / theirs:.2f} (goal <= 1.00)"
            )

    rng = np.random.default_rng(1)
    embedded = rng.standard_normal((BATCH, STEPS, EMBEDDING)).astype("float32")
    lstm_alone = teachkeras.Sequential(
        [
            teachkeras.Input((STEPS, EMBEDDING)),
            teachkeras.layers.LSTM(UNITS),
            teachkeras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    lstm_alone.compile(optimizer="adam", loss="binary_crossentropy")
    peak, kept = step_memory(lstm_alone, embedded, y[:BATCH], lstm_activation_bytes(BATCH))
    print(f"one LSTM training step: peak {peak:5.2f} MB allocated; activations kept {kept:5.2f} MB "
          f"-> {peak / kept:.2f}x (goal <= 2.00)")  # fmt: skip
    imdb = imdb_model(teachkeras, "LSTM")
    table = VOCABULARY * EMBEDDING * 4
    kept_imdb = lstm_activation_bytes(BATCH) + BATCH * STEPS * EMBEDDING * 4  # + embedded
    peak, kept = step_memory(imdb, x[:BATCH], y[:BATCH], kept_imdb)
    print(f"  the IMDB model's step: peak {peak:5.2f} MB; activations {kept:5.2f} MB, and the "
          f"embedding table's gradient {table / 2**20:.2f} MB on top")  # fmt: skip


if __name__ == "__main__":
    main()
