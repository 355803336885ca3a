"""`keras.ops.image`: resize images to any size, and move, rotate or zoom them.

    ops.image.resize(images, (224, 224))                         # bilinear, as Keras 3
    ops.image.affine_transform(images, [[1, 0, -5, 0, 1, 0, 0, 0]])   # 5 pixels to the right

Both are written from the engine's primitives (`backend/image_ops.py`), so gradients
flow through them back to the pixels.
"""

from ..backend.image_ops import affine_transform, resize

__all__ = ["affine_transform", "resize"]
