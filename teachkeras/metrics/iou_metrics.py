"""IoU metrics: intersection over union, the score of segmentation (one class per pixel).

For each class c, with the pixels (or samples) that are c in truth and those predicted c:

    IoU_c = |truth ∩ prediction| / |truth ∪ prediction| = TP / (TP + FP + FN)

All of it comes from one running confusion matrix `total_confusion_matrix`, whose row i,
column j counts the values of true class i predicted as class j (Keras 3's state): TP is
its diagonal, TP + FN its row sums, TP + FP its column sums. The result averages IoU_c
over the chosen classes, leaving out a class that appears in neither truth nor prediction.

    metric          labels                      classes averaged
    IoU             class ids (or one-hot)      target_class_ids
    MeanIoU         class ids (or one-hot)      all num_classes
    BinaryIoU       0/1 labels, scores          target_class_ids of {0, 1}, score ≥ threshold is 1
    OneHotIoU       one-hot labels and scores   target_class_ids (argmax of each)
    OneHotMeanIoU   one-hot labels and scores   all

The matrix counts are integers (dtype int32, as Keras): float sample weights are cast
to int, so 0.5 counts as 0 (a warning says so; pass dtype="float32" to keep them).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..backend import config
from ..backend.tensor import Tensor, as_array
from .metric import Metric


def confusion_matrix(labels, predictions, num_classes: int, weights, dtype: str) -> np.ndarray:
    """The (num_classes, num_classes) matrix of weighted (label, prediction) pair counts.

    A 2-D histogram: pair (i, j) is bin i·num_classes + j.
    """
    bins = labels.astype(np.int64) * num_classes + predictions.astype(np.int64)  # (M,)
    counts = np.bincount(bins, weights=weights, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(dtype)


class _IoUBase(Metric):
    """The running confusion matrix, and `update_state` for class-id or one-hot labels."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), dtype=self.dtype, name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = np.asarray(as_array(y_true)), np.asarray(as_array(y_pred))
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)  # one-hot -> class ids
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)  # scores -> predicted class ids
        y_true = y_true.astype(self.dtype).ravel()  # (M,): every pixel of every sample
        y_pred = y_pred.astype(self.dtype).ravel()
        if sample_weight is None:
            sample_weight = 1
        elif _is_float(sample_weight) and np.issubdtype(np.dtype(self.dtype), np.integer):
            warnings.warn(
                f"{type(self).__name__}: you are passing weight as `float`, but dtype is "
                f"`{self.dtype}`. This may result in an incorrect weight due to type casting "
                "(0.5 becomes 0). Consider using integer weights, or dtype='float32'.",
                stacklevel=2,
            )
        sample_weight = np.asarray(as_array(sample_weight)).astype(self.dtype)
        if sample_weight.ndim > 1:
            sample_weight = sample_weight.ravel()
        if sample_weight.size not in (1, y_true.size):
            raise ValueError(
                f"{type(self).__name__}: sample_weight has {sample_weight.size} values for "
                f"{y_true.size} labels. Give one weight per label (per pixel): the labels' shape."
            )
        sample_weight = np.broadcast_to(sample_weight, y_true.shape)

        # Values outside [0, num_classes), and the ignored class, are counted nowhere.
        n = self.num_classes
        kept = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            kept &= y_true != self.ignore_class
        y_true, y_pred = np.where(kept, y_true, 0), np.where(kept, y_pred, 0)
        weights = np.where(kept, sample_weight, 0).astype(self.dtype)
        self.total_cm.assign_add(confusion_matrix(y_true, y_pred, n, weights, self.dtype))


def _is_float(x) -> bool:
    return np.issubdtype(np.asarray(as_array(x)).dtype, np.floating)


class IoU(_IoUBase):
    """Intersection over union of the classes `target_class_ids`, averaged.

    Formula: `iou = mean over c in target_class_ids of TP_c / (TP_c + FP_c + FN_c)`
    (a class with TP + FP + FN = 0, absent from truth and prediction, is left out).

    Args:
        num_classes: the number of classes, C.
        target_class_ids: the classes to average, e.g. [1] for "the object" only.
        ignore_class: a label id counted nowhere (e.g. 255 for "unlabelled" pixels).
        sparse_y_true: labels are class ids (True) or one-hot along `axis` (False).
        sparse_y_pred: predictions are class ids (True) or scores along `axis` (False).
        axis: the class axis of one-hot labels or scores. Defaults to -1.
        dtype: the matrix's dtype. Defaults to "int32".

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); float(m.result())  # 1 / 3
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self) -> Tensor:
        cm = self.total_cm.value  # (C, C): rows are true classes, columns predicted
        predicted, true, tp = cm.sum(axis=0), cm.sum(axis=1), np.diag(cm)  # TP+FP, TP+FN, TP
        union = (predicted + true - tp)[self.target_class_ids].astype("float32")
        tp = tp[self.target_class_ids].astype("float32")
        present = union > 1e-9  # classes seen in the truth or the predictions
        iou = np.where(present, tp / (union + config.epsilon()), 0.0)
        mean = np.sum(iou, axis=self.axis) / (np.sum(present) + config.epsilon())
        return Tensor(np.asarray(mean, "float32"))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU for 0/1 labels and scores: a score ≥ `threshold` predicts 1.

    Args:
        target_class_ids: which of {0, 1} to average. Defaults to (0, 1).
        threshold: scores at or above it are class 1. Defaults to 0.5.

    Example:
        >>> m = BinaryIoU(target_class_ids=[1])
        >>> m.update_state([0, 1, 1, 1], [0.2, 0.4, 0.6, 0.9]); float(m.result())  # 2/3
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = np.asarray(as_array(y_true)).astype(self.dtype)
        y_pred = (np.asarray(as_array(y_pred), "float32") >= self.threshold).astype(self.dtype)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """IoU averaged over all `num_classes` classes (the usual segmentation score).

    Example:
        >>> m = MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1]); float(m.result())  # (1/3 + 1/3) / 2
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and per-class scores (e.g. a softmax output)."""

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and per-class scores (e.g. a softmax output)."""

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
