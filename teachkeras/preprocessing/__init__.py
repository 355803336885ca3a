"""`teachkeras.preprocessing`: Keras's `keras.preprocessing`, getting data into a model.

    sequence    pad_sequences                     lists of ids of different lengths -> one array
    image       load_img, img_to_array, ...       image files -> arrays, and back
    text        Tokenizer, text_to_word_sequence  Keras 2 only (warned): TextVectorization today
    text_dataset_from_directory, image_dataset_from_directory, timeseries_dataset_from_array
                                                  folders and arrays -> batches that fit() reads

Everything here but `text` is also in `teachkeras.utils`, as in Keras 3.
"""

from ..utils.image_dataset_utils import image_dataset_from_directory
from ..utils.text_dataset_utils import text_dataset_from_directory
from ..utils.timeseries_dataset_utils import timeseries_dataset_from_array
from . import image, sequence, text

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
