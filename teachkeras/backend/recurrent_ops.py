"""Recurrent networks: one step of each cell with its gradient beside it, and the loop over time.

A recurrent layer reads a sequence x_1 … x_T, shape (batch, time, features), one step at
a time, carrying a state h from each step to the next:

    h_t = step(x_t, h_{t-1})            h_0 given (zeros unless the learner passes one)

Each built-in cell has its step here as ONE fused op, forward and VJP side by side:
`simple_rnn_step`, `lstm_step`, `gru_step`. The input's matrix product x_t W + b does not
depend on the state, so the cell computes it first with `ops.matmul` (its gradient is
matmul's); a step op starts from that projection and does the rest: the recurrent
product h_{t-1} U, the gates, the new state. Written with primitive ops an LSTM step
records a dozen ops and keeps as many arrays; fused, it is one node that keeps its four
gates, and its backward is the few lines derived in its docstring.

The loop over time is `rnn()`, at the end of this file (Keras's `backend.rnn`): it cuts
the sequence into its steps, calls the step function on each, applies the mask, and
stacks the outputs. It needs no backward of its own. Every step is recorded like any
other op, so `gradients` walks the steps backwards, from the last to the first, and
that walk IS backpropagation through time (BPTT). Along the way two sums appear:

    ∂L/∂h_{t-1} = ∂L/∂y_{t-1}  +  ∂L/∂h_t · ∂h_t/∂h_{t-1}
                  (from above)     (from the next step: the step op's VJP for h_prev)
    ∂L/∂U = Σ_t h_{t-1}ᵀ ∂L/∂z_t    (U is used at every step; the engine adds the T shares)

A learner's own cell (any layer with `state_size` and `call(inputs, states)`) runs in the
same loop: its step is recorded op by op, and BPTT is the same walk.

Activations: a fused step knows the activations whose derivative is a function of their
output, so that the VJP needs nothing but the value it kept (`ACTIVATIONS`: tanh' = 1 - tanh²,
σ' = σ(1 - σ), hard_sigmoid, relu, linear); a cell with another activation computes its
step with plain ops.

Shapes: u is the number of units (the width of the state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .array_ops import stack
from .math_ops import where
from .tensor import Tensor, as_array, as_tensor, record


# --- activations a fused step can differentiate from its output --------------------------
def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # e^{-x} = inf for x < -88 (float32): then σ = 1/inf = 0
        return 1 / (1 + np.exp(-x))


def _hard_sigmoid(x: np.ndarray) -> np.ndarray:
    return np.clip(x + 3, 0, 6) / 6  # relu6(x + 3) / 6, as Keras 3 writes it


# name: (f(x), f'(x) written with y = f(x)): the VJP needs only the output it kept.
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "tanh": (np.tanh, lambda y: 1 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1 - y)),
    "hard_sigmoid": (_hard_sigmoid, lambda y: ((y > 0) & (y < 1)).astype(y.dtype) / 6),
    "relu": (lambda x: np.maximum(x, 0), lambda y: (y > 0).astype(y.dtype)),
    "linear": (lambda x: x, lambda y: np.ones_like(y)),
}


def _activation(name: str) -> tuple[Callable, Callable]:
    if name not in ACTIVATIONS:
        raise ValueError(
            f"A fused recurrent step knows the activations {sorted(ACTIVATIONS)}; got {name!r}. "
            "A cell with another activation computes its step with ops instead."
        )
    return ACTIVATIONS[name]


def _cached(backward: Callable) -> Callable:
    """`backward(g)` computed once per upstream gradient `g`: the engine calls one VJP per
    input with the same `g`, and each takes its part of the same computation."""
    cache: dict = {}

    def once(g: np.ndarray):
        if cache.get("g") is not g:
            cache["g"], cache["result"] = g, backward(g)
        return cache["result"]

    return once


# --- SimpleRNN ----------------------------------------------------------------------------
def simple_rnn_step(x_proj, h_prev, recurrent_kernel, activation: str = "tanh") -> Tensor:
    """One step of a simple (Elman) RNN: $h_t = f(x_{proj} + h_{t-1} U)$.

    Formula:
        a = x_proj + h_{t-1} U          x_proj = x_t W + b, (batch, u); U is (u, u)
        h_t = f(a)                      f = activation (tanh)

    Backward, for g = ∂L/∂h_t and da = g ⊙ f'(a), f' read off h_t (tanh' = 1 - h_t²):

        ∂L/∂x_proj = da      ∂L/∂h_{t-1} = da Uᵀ      ∂L/∂U = h_{t-1}ᵀ da

    Args:
        x_proj: the projected input x_t W + b, shape (batch, u).
        h_prev: the previous state, (batch, u).
        recurrent_kernel: U, (u, u).
        activation: a name in `ACTIVATIONS`.

    Returns:
        h_t, shape (batch, u): the output and the new state.
    """
    x_proj, h_prev, kernel = as_tensor(x_proj), as_tensor(h_prev), as_tensor(recurrent_kernel)
    f, f_prime = _activation(activation)
    h_data, u_data = h_prev.data, kernel.data
    h = f(x_proj.data + h_data @ u_data)  # (batch, u)

    @_cached
    def da(g):
        return g * f_prime(h)  # ∂L/∂a, (batch, u)

    return record(
        h,
        (x_proj, h_prev, kernel),
        (da, lambda g: da(g) @ u_data.T, lambda g: h_data.T @ da(g)),
    )


# --- LSTM -----------------------------------------------------------------------------------
def lstm_step(
    x_proj,
    h_prev,
    c_prev,
    recurrent_kernel,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
) -> tuple[Tensor, Tensor]:
    """One LSTM step: the new output $h_t$ and carry $c_t$ from the projected input.

    Formula (the gates in Keras's order i, f, c, o along the last axis, u wide each):
        z = x_proj + h_{t-1} U                   x_proj = x_t W + b, (batch, 4u); U is (u, 4u)
        i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)
        c_t = f ⊙ c_{t-1} + i ⊙ g                the carry: forget some, write some
        h_t = o ⊙ tanh(c_t)                      the output: read some
    (σ is `recurrent_activation`, tanh is `activation`.)

    Backward. Two gradients arrive, dh = ∂L/∂h_t and dc = ∂L/∂c_t (from the next step's
    carry). The carry collects both paths to c_t, then each gate takes its share:

        dc' = dc + dh ⊙ o ⊙ tanh'(c_t)           everything that reaches c_t
        do  = dh ⊙ tanh(c_t)
        di  = dc' ⊙ g      dg = dc' ⊙ i      df = dc' ⊙ c_{t-1}
        dz  = [di ⊙ σ'(i), df ⊙ σ'(f), dg ⊙ tanh'(g), do ⊙ σ'(o)]     (batch, 4u)

    each derivative read off the gate's own value (σ' = σ(1 - σ), tanh' = 1 - tanh²).
    Then, as for any affine map z = x_proj + h_{t-1} U:

        ∂L/∂x_proj = dz    ∂L/∂h_{t-1} = dz Uᵀ    ∂L/∂U = h_{t-1}ᵀ dz    ∂L/∂c_{t-1} = dc' ⊙ f

    The op records one tensor, [h_t, c_t] side by side (batch, 2u), so that one backward
    sees dh and dc together; h_t and c_t are its two halves.

    Returns:
        (h_t, c_t), each (batch, u).
    """
    x_proj, h_prev, c_prev = as_tensor(x_proj), as_tensor(h_prev), as_tensor(c_prev)
    kernel = as_tensor(recurrent_kernel)
    act, act_prime = _activation(activation)
    gate, gate_prime = _activation(recurrent_activation)
    h_data, c_data, u_data = h_prev.data, c_prev.data, kernel.data
    units = h_data.shape[-1]

    z = x_proj.data + h_data @ u_data  # (batch, 4u)
    gates = np.empty_like(z)  # i, f, g, o after their activations
    gates[:, : 2 * units] = gate(z[:, : 2 * units])  # i, f
    gates[:, 2 * units : 3 * units] = act(z[:, 2 * units : 3 * units])  # g
    gates[:, 3 * units :] = gate(z[:, 3 * units :])  # o
    i, f, g, o = (gates[:, k * units : (k + 1) * units] for k in range(4))  # views, (batch, u)
    c = f * c_data + i * g  # (batch, u)
    # The backward keeps the gates and [h_t, c_t] only (it recomputes tanh(c_t)).
    out = np.concatenate([o * act(c), c], axis=1)  # [h_t, c_t], (batch, 2u)

    @_cached
    def backward(grad):
        dh, dc = grad[:, :units], grad[:, units:]
        tanh_c = act(out[:, units:])  # tanh(c_t), (batch, u)
        dc_total = dc + dh * o * act_prime(tanh_c)  # dc'
        dz = np.empty_like(gates)  # (batch, 4u)
        dz[:, :units] = dc_total * g * gate_prime(i)  # di ⊙ σ'
        dz[:, units : 2 * units] = dc_total * c_data * gate_prime(f)  # df ⊙ σ'
        dz[:, 2 * units : 3 * units] = dc_total * i * act_prime(g)  # dg ⊙ tanh'
        dz[:, 3 * units :] = dh * tanh_c * gate_prime(o)  # do ⊙ σ'
        return dz, dc_total * f

    state = record(
        out,
        (x_proj, h_prev, c_prev, kernel),
        (
            lambda grad: backward(grad)[0],  # ∂L/∂x_proj = dz
            lambda grad: backward(grad)[0] @ u_data.T,  # ∂L/∂h_{t-1} = dz Uᵀ
            lambda grad: backward(grad)[1],  # ∂L/∂c_{t-1} = dc' ⊙ f
            lambda grad: h_data.T @ backward(grad)[0],  # ∂L/∂U = h_{t-1}ᵀ dz
        ),
    )
    return _halves(state, units)


def _halves(state: Tensor, units: int) -> tuple[Tensor, Tensor]:
    """[h, c] (batch, 2u) -> h, c: two slices whose VJPs put g back in its half."""
    full_shape, dtype = state.shape, state.dtype

    def into(columns: slice) -> Callable:
        def vjp(g):
            full = np.zeros(full_shape, dtype=dtype)
            full[:, columns] = g
            return full

        return vjp

    first, second = slice(0, units), slice(units, 2 * units)
    return (
        record(state.data[:, first], (state,), (into(first),)),
        record(state.data[:, second], (state,), (into(second),)),
    )


# --- GRU --------------------------------------------------------------------------------------
def gru_step(
    x_proj,
    h_prev,
    recurrent_kernel,
    recurrent_bias=None,
    reset_after: bool = True,
    activation: str = "tanh",
    recurrent_activation: str = "sigmoid",
) -> Tensor:
    """One GRU step: $h_t = z ⊙ h_{t-1} + (1 - z) ⊙ n$.

    Formula (the gates in Keras's order z, r, h along the last axis, u wide each;
    x_proj = x_t W + b_in, (batch, 3u); U is (u, 3u)):

        reset_after=True (Keras 3's default, cuDNN's form):
            r_h = h_{t-1} U + b_rec                  (batch, 3u), b_rec the recurrent bias or 0
            z = σ(x_z + r_z)    r = σ(x_r + r_r)    n = tanh(x_n + r ⊙ r_n)
        reset_after=False (the original GRU, Keras 2.0's default; no recurrent bias):
            z = σ(x_z + h_{t-1} U_z)    r = σ(x_r + h_{t-1} U_r)
            n = tanh(x_n + (r ⊙ h_{t-1}) U_n)
        h_t = z ⊙ h_{t-1} + (1 - z) ⊙ n              keep some of the old state, take some new

    Backward, for dh = ∂L/∂h_t. The blend first:

        dn = dh ⊙ (1 - z)      dz = dh ⊙ (h_{t-1} - n)      ∂L/∂h_{t-1} ∋ dh ⊙ z
        a_n = dn ⊙ tanh'(n)    a_z = dz ⊙ σ'(z)            (gradients of the pre-activations)

    reset_after=True:  dr = a_n ⊙ r_n, a_r = dr ⊙ σ'(r), and the recurrent product gets
        d(r_h) = [a_z, a_r, a_n ⊙ r]:
            ∂L/∂U = h_{t-1}ᵀ d(r_h)    ∂L/∂b_rec = Σ_batch d(r_h)    ∂L/∂h_{t-1} ∋ d(r_h) Uᵀ
    reset_after=False: with s = r ⊙ h_{t-1}, ds = a_n U_nᵀ, dr = ds ⊙ h_{t-1},
        a_r = dr ⊙ σ'(r):
            ∂L/∂U = [h_{t-1}ᵀ a_z, h_{t-1}ᵀ a_r, sᵀ a_n]
            ∂L/∂h_{t-1} ∋ [a_z, a_r] U_{zr}ᵀ + ds ⊙ r
    and in both ∂L/∂x_proj = [a_z, a_r, a_n].

    Args:
        x_proj: x_t W + b_in, (batch, 3u).
        h_prev: (batch, u).
        recurrent_kernel: U, (u, 3u).
        recurrent_bias: b_rec, (3u,), only with reset_after=True (None: no bias).
        reset_after: where the reset gate acts, as above.

    Returns:
        h_t, shape (batch, u).
    """
    if recurrent_bias is not None and not reset_after:
        raise ValueError("gru_step: a recurrent bias exists only with reset_after=True.")
    x_proj, h_prev, kernel = as_tensor(x_proj), as_tensor(h_prev), as_tensor(recurrent_kernel)
    act, act_prime = _activation(activation)
    gate, gate_prime = _activation(recurrent_activation)
    x_data, h_data, u_data = x_proj.data, h_prev.data, kernel.data
    units = h_data.shape[-1]
    zr, n_part = slice(0, 2 * units), slice(2 * units, 3 * units)

    # z, r: the update and reset gates, (batch, u) each (views of zr_gates)
    if reset_after:
        r_h = h_data @ u_data  # (batch, 3u)
        if recurrent_bias is not None:
            recurrent_bias = as_tensor(recurrent_bias)
            r_h += recurrent_bias.data
        zr_gates = gate(x_data[:, zr] + r_h[:, zr])  # [z, r], (batch, 2u)
        z, r = zr_gates[:, :units], zr_gates[:, units:]
        r_n = r_h[:, n_part].copy()  # h_{t-1} U_n + b_n: the backward keeps only this part
        n = act(x_data[:, n_part] + r * r_n)
    else:
        zr_gates = gate(x_data[:, zr] + h_data @ u_data[:, zr])  # [z, r], (batch, 2u)
        z, r = zr_gates[:, :units], zr_gates[:, units:]
        reset_h = r * h_data  # s = r ⊙ h_{t-1}, (batch, u)
        n = act(x_data[:, n_part] + reset_h @ u_data[:, n_part])
    h = z * h_data + (1 - z) * n  # (batch, u)

    @_cached
    def backward(dh):
        a_n = dh * (1 - z) * act_prime(n)  # (batch, u)
        a_z = dh * (h_data - n) * gate_prime(z)
        if reset_after:
            a_r = a_n * r_n * gate_prime(r)
            d_rh = np.concatenate([a_z, a_r, a_n * r], axis=1)  # d(r_h), (batch, 3u)
            dh_prev = dh * z + d_rh @ u_data.T
            d_kernel = h_data.T @ d_rh
        else:
            d_reset_h = a_n @ u_data[:, n_part].T  # ds, (batch, u)
            a_r = d_reset_h * h_data * gate_prime(r)
            a_zr = np.concatenate([a_z, a_r], axis=1)  # (batch, 2u)
            dh_prev = dh * z + a_zr @ u_data[:, zr].T + d_reset_h * r
            d_kernel = np.concatenate([h_data.T @ a_zr, reset_h.T @ a_n], axis=1)
            d_rh = None
        dx_proj = np.concatenate([a_z, a_r, a_n], axis=1)  # (batch, 3u)
        return dx_proj, dh_prev, d_kernel, d_rh

    parents = [x_proj, h_prev, kernel]
    vjps = [
        lambda dh: backward(dh)[0],
        lambda dh: backward(dh)[1],
        lambda dh: backward(dh)[2],
    ]
    if recurrent_bias is not None:
        parents.append(recurrent_bias)
        vjps.append(lambda dh: backward(dh)[3].sum(axis=0))
    return record(h, parents, vjps)


# --- the loop over time -----------------------------------------------------------------------
class _Gathered:
    """Where the gradients of `unstack`'s slices meet, to be handed back as one array."""

    def __init__(self, shape: tuple[int, ...], dtype) -> None:
        self.shape, self.dtype = shape, dtype
        self.array: np.ndarray | None = None

    def put(self, index: tuple, g: np.ndarray) -> np.ndarray:
        if self.array is None:
            self.array = np.zeros(self.shape, dtype=self.dtype)
        self.array[index] = g
        return np.zeros((), dtype=self.dtype)  # what the slice passes on: nothing

    def take(self) -> np.ndarray:
        array = np.zeros(self.shape, self.dtype) if self.array is None else self.array
        self.array = None  # the next backward pass gathers afresh
        return array


def unstack(x, num: int | None = None, axis: int = 0) -> list[Tensor]:
    """The slices of `x` along `axis`, as a list (`keras.ops.unstack`).

    VJP: each slice's gradient goes back to its place in one array of x's shape.

    Cutting a sequence into T steps with `x[:, t]` would cost T² in the backward pass:
    each slice's VJP would return a whole array of zeros with one step filled in. This is
    one op with T outputs instead. The engine records one output per op, so the T slices
    hang from one node (`whole`): a slice's VJP writes its gradient into a shared array
    and passes nothing on, and `whole`, which the engine visits after all of them (it is
    their parent), hands the gathered array to x. The work is one array of x's size.
    """
    x = as_tensor(x)
    axis = axis % x.ndim
    count = x.shape[axis]
    if num is not None and num != count:
        raise ValueError(f"unstack: axis {axis} has {count} entries, not num={num}.")
    gathered = _Gathered(x.shape, x.dtype)
    whole = record(np.zeros((), dtype=x.dtype), (x,), (lambda g: gathered.take(),))
    before = (slice(None),) * axis

    def slice_at(t: int) -> Tensor:
        index = (*before, t)
        return record(x.data[index], (whole,), (lambda g: gathered.put(index, g),))

    return [slice_at(t) for t in range(count)]


def rnn(
    step_function: Callable,
    inputs,
    initial_states: Sequence,
    go_backwards: bool = False,
    mask=None,
    constants: Sequence | None = None,
    unroll: bool = False,
    input_length: int | None = None,
    time_major: bool = False,
    zero_output_for_mask: bool = False,
    return_all_outputs: bool = True,
) -> tuple[Tensor, Tensor, list]:
    """Run `step_function` over the time axis of `inputs` (Keras 3's `backend.rnn`).

    For t = 1 … T (T … 1 with `go_backwards`):

        output_t, states = step_function(x_t, states + constants)

    With a `mask` (batch, T), a masked step changes nothing: the states keep their values, and
    the output repeats the previous step's output (zeros before any, or always zeros with
    `zero_output_for_mask`). So padding at the end of a sequence leaves its last state as
    it was after the last real step.

    The gradient is the engine's: each step's ops are recorded, and walking them backwards
    is backpropagation through time (module docstring).

    Args:
        step_function: `(x_t, states) -> (output_t, new_states)`; x_t is (batch, features...),
            `new_states` has the structure of `states` (a list, possibly nested).
        inputs: (batch, T, features...), or (T, b, ...) with `time_major`.
        initial_states: the states before the first step (a list).
        go_backwards: read the sequence from its end; the outputs come in that order too.
        mask: booleans (batch, T), True for the steps that count.
        constants: extra tensors given to every step after the states.
        unroll: accepted for Keras's signature: the loop here is always a Python loop,
            which is what unrolling means.
        input_length: accepted for Keras's signature (the length is the input's).
        zero_output_for_mask: a masked step outputs zeros instead of the previous output.
        return_all_outputs: False keeps only the last output (`outputs` is then (batch, 1, ...)).

    Returns:
        `(last_output, outputs, new_states)`: the last output (batch, ...), all outputs
        (batch, T, ...) in the order they were computed, and the final states.
    """
    inputs = as_tensor(inputs)
    time_axis = 0 if time_major else 1
    if inputs.ndim < 3:
        raise ValueError(
            f"rnn: inputs must be (batch, timesteps, features); received shape {inputs.shape}."
        )
    steps = unstack(inputs, axis=time_axis)  # T tensors (batch, features...)
    if not steps:
        raise ValueError(f"rnn: the sequence has no time steps (shape {inputs.shape}).")
    keeps = None
    if mask is not None:
        keeps = list(np.moveaxis(as_array(mask).astype(bool), 1 if not time_major else 0, 0))
    if go_backwards:
        steps.reverse()
        keeps = None if keeps is None else keeps[::-1]
    constants = list(constants or [])
    states = list(initial_states)

    outputs: list[Tensor] = []
    previous = None  # the output of the step before, for masked steps
    for t, x_t in enumerate(steps):
        output, new_states = step_function(x_t, [*states, *constants])
        new_states = _flatten(new_states)
        if keeps is not None:
            keep = keeps[t]  # (batch,)
            if previous is None or zero_output_for_mask:
                previous = Tensor(np.zeros(output.shape, dtype=output.dtype))
            output = where(_along_batch(keep, output), output, previous)
            new_states = [
                where(_along_batch(keep, new), new, old)  # a masked step keeps the state
                for new, old in zip(new_states, _flatten(states), strict=True)
            ]
            previous = output
        states = _pack_like(states, new_states)  # nested as the initial states (stacked cells)
        if return_all_outputs:
            outputs.append(output)
        else:
            outputs = [output]
    return outputs[-1], stack(outputs, axis=time_axis), states


def _along_batch(keep: np.ndarray, like: Tensor) -> np.ndarray:
    """A (batch,) mask shaped to broadcast against `like`: (batch, 1, ...)."""
    return keep.reshape(keep.shape + (1,) * (like.ndim - 1))


def _flatten(structure) -> list:
    if isinstance(structure, list | tuple):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _pack_like(structure, leaves: list):
    """`leaves` (a flat list) in the nesting of `structure`."""
    leaves = iter(leaves)

    def pack(item):
        if isinstance(item, list | tuple):
            return [pack(part) for part in item]
        return next(leaves)

    return pack(structure)
