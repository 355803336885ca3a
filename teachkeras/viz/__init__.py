"""`teachkeras.viz`: the pictures a teacher draws. Every function returns its Figure.

matplotlib is imported inside the functions, so `import teachkeras` stays fast.
"""

from .history import plot_history

__all__ = ["plot_history"]
