"""`SpectralNormalization`: keep a layer's kernel at spectral norm 1 (Miyato et al., 2018)."""

from __future__ import annotations

from ... import initializers, ops
from ..core.wrapper import Wrapper
from ..input_spec import InputSpec


class SpectralNormalization(Wrapper):
    """Wrap a layer with a `kernel` (Dense, Conv...) or `embeddings` and divide it by σ(W).

    σ(W), the largest singular value of W (reshaped to (rows, units)), is estimated by
    power iteration with a vector u kept between steps (`vector_u`, not trained):

        v ← normalize(u Wᵀ),   u ← normalize(v W)      `power_iterations` times
        σ = v W uᵀ,            W ← W / σ

    As in Keras 3, this runs at each training call *before* the wrapped layer, and the
    normalized kernel is assigned to the layer's own kernel (so the gradient is the
    wrapped layer's, taken at W / σ); at inference the layer runs as it is. Used for
    the discriminator of a GAN: no layer can stretch its input by more than 1, so the
    network is 1-Lipschitz.

    Weights, in Keras's order: the wrapped kernel, `vector_u`, then the rest of the
    wrapped layer's weights (Keras 3 tracks the kernel as the wrapper's weight too).

    Args:
        layer: the layer to wrap, e.g. `Dense(8)` or `Conv2D(16, 3)`.
        power_iterations: power-iteration steps per training call (default 1).

    Example:
        >>> SpectralNormalization(Dense(8))(np.ones((2, 4)), training=True).shape
        (2, 8)
    """

    def __init__(self, layer, power_iterations: int = 1, **kwargs) -> None:
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: tuple(input_shape)[-1]})
        if hasattr(self.layer, "kernel"):
            self._kernel_name = "kernel"
        elif hasattr(self.layer, "embeddings"):
            self._kernel_name = "embeddings"
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings': "
                "SpectralNormalization wraps a layer with one weight matrix, such as Dense, "
                "Conv2D or Embedding."
            )
        # Keras 3's attribute tracking makes the wrapped kernel the wrapper's own weight as
        # well: weights [kernel, vector_u, bias], and the .keras file stores it twice. So here.
        self._trainable_variables.append(self.kernel)
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, self.kernel.shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=self.kernel.dtype,
        )

    @property
    def kernel(self):
        """The wrapped layer's weight matrix (its `kernel`, or an Embedding's `embeddings`)."""
        return getattr(self.layer, self._kernel_name)

    def _own_variables(self) -> list:
        """The kernel is the wrapped layer's: its penalty (a kernel_regularizer) counts there."""
        return [self.vector_u]

    def call(self, inputs, training=False):
        if training and ops.any(ops.not_equal(self.kernel, 0)):  # Keras skips an all-zero kernel
            vector_u, kernel = self.normalized_weights()
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return self.layer(inputs)

    def normalized_weights(self):
        """(u, W / σ) after `power_iterations` steps, computed without a gradient."""
        kernel = ops.stop_gradient(self.kernel)
        weights = ops.reshape(kernel, (-1, kernel.shape[-1]))  # (rows, units)
        vector_u = ops.stop_gradient(self.vector_u)  # (1, units)
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))  # (1, 1)
        return vector_u, ops.reshape(kernel / sigma, kernel.shape)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}
