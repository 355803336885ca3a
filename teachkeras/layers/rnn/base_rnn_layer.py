"""`BaseRNNLayer`: SimpleRNN, LSTM and GRU are `RNN` around their own cell.

`LSTM(32)` is `RNN(LSTMCell(32))` with the cell's arguments in the layer's constructor.
The cell keeps them: the layer reads them back (`layer.units` is `layer.cell.units`)
and writes them into its config, flat, as Keras 3 does.
"""

from __future__ import annotations

from ... import regularizers
from ..input_spec import InputSpec
from .rnn import RNN


def _from_cell(name: str) -> property:
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


# Arguments of RNN itself; every other argument of SimpleRNN/LSTM/GRU belongs to the cell.
RNN_ARGUMENTS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")


class BaseRNNLayer(RNN):
    """An `RNN` whose cell is made from the layer's own arguments.

    Subclasses set `cell_class`, declare Keras 3's signature, and hand every argument on
    with `arguments_of(locals())` (see `convolutional/base_conv.py`).
    """

    cell_class: type = None
    cell_name: str = ""

    def __init__(self, *, activity_regularizer=None, **arguments) -> None:
        rnn_kwargs = {k: arguments.pop(k) for k in RNN_ARGUMENTS if k in arguments}
        base_kwargs = {k: arguments.pop(k) for k in list(arguments) if k not in _cell_keys(self)}
        cell = self.cell_class(
            **arguments,
            dtype=base_kwargs.get("dtype"),
            trainable=base_kwargs.get("trainable", True),
            name=self.cell_name,
        )
        super().__init__(
            cell, activity_regularizer=activity_regularizer, **rnn_kwargs, **base_kwargs
        )
        self.input_spec = InputSpec(ndim=3)

    units = _from_cell("units")
    activation = _from_cell("activation")
    use_bias = _from_cell("use_bias")
    kernel_initializer = _from_cell("kernel_initializer")
    recurrent_initializer = _from_cell("recurrent_initializer")
    bias_initializer = _from_cell("bias_initializer")
    kernel_regularizer = _from_cell("kernel_regularizer")
    recurrent_regularizer = _from_cell("recurrent_regularizer")
    bias_regularizer = _from_cell("bias_regularizer")
    kernel_constraint = _from_cell("kernel_constraint")
    recurrent_constraint = _from_cell("recurrent_constraint")
    bias_constraint = _from_cell("bias_constraint")
    dropout = _from_cell("dropout")
    recurrent_dropout = _from_cell("recurrent_dropout")
    seed = _from_cell("seed")

    def get_config(self) -> dict:
        config = super().get_config()
        cell_config = config.pop("cell")["config"]
        for key in ("name", "trainable", "dtype"):  # the layer's own
            cell_config.pop(key, None)
        return {
            **config,
            **cell_config,
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
        }

    @classmethod
    def from_config(cls, config: dict) -> BaseRNNLayer:
        return super(RNN, cls).from_config(config)  # Layer's: no cell to deserialize


def _cell_keys(layer) -> set[str]:
    import inspect

    parameters = set(inspect.signature(layer.cell_class.__init__).parameters)
    return parameters - {"self", "kwargs"} | {"implementation"}  # the last: see BaseRNNCell


def checked_use_cudnn(use_cudnn):
    """LSTM and GRU take Keras's `use_cudnn` (a GPU kernel; there is none here)."""
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            "Invalid valid received for argument `use_cudnn`. Expected one of "
            f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}"
        )
    return use_cudnn
