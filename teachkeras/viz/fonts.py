"""Korean labels in plots: find a Hangul font and make matplotlib use it.

matplotlib's default font (DejaVu Sans) has no Hangul, so a title such as "학습 곡선"
comes out as empty boxes with a "Glyph ... missing from font(s) DejaVu Sans" warning.
The fix is a `font.family` list, `['DejaVu Sans', <Hangul font>]`: matplotlib takes
each glyph from the first font in the list that has it, so Latin letters, digits,
Greek (α, η, μ) and the minus sign still come from DejaVu Sans (plots look as they
always do) and only Hangul comes from the second font. DejaVu Sans goes first also
because math text (the `10⁻³` labels of a log axis) uses the first font only, and
Hangul fonts often lack the U+2212 minus sign it needs.

Where the font comes from:
  - Debian/Ubuntu `fonts-nanum` (CI's apt step and binder/apt.txt install it):
    NanumGothic in /usr/share/fonts/truetype/nanum/;
  - Windows ("Malgun Gothic") and macOS ("AppleGothic", "Apple SD Gothic Neo") ship one.

matplotlib keeps a cache of the fonts it saw when it was first imported, so a font
installed later is not in `font_manager.fontManager`: we look for the font files
ourselves and register them (`fontManager.addfont`) for this process.
"""

from __future__ import annotations

import functools
import os
import warnings

# Hangul fonts by family name, best first.
KOREAN_FONT_FAMILIES = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans KR",
    "UnDotum",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
)
# Parts of file names that hold those families (for fonts matplotlib's cache has not seen).
_KOREAN_FILE_HINTS = (
    "nanum",
    "notosanscjk",
    "notosanskr",
    "sourcehansans",
    "undotum",
    "malgun",
    "applegothic",
)
LATIN_FAMILY = "DejaVu Sans"  # matplotlib's own font: Latin, Greek, math symbols


@functools.lru_cache(maxsize=1)
def korean_font_name() -> str | None:
    """The family name of an installed Hangul font (e.g. `'NanumGothic'`), or None."""
    from matplotlib import font_manager

    def known() -> set[str]:
        return {entry.name for entry in font_manager.fontManager.ttflist}

    found = _first_of(KOREAN_FONT_FAMILIES, known())
    if found:
        return found
    # Not in matplotlib's cache: look at the font files on this system and register them.
    for path in font_manager.findSystemFonts():
        if any(hint in os.path.basename(path).lower() for hint in _KOREAN_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                continue
    return _first_of(KOREAN_FONT_FAMILIES, known())


def _first_of(names, available: set[str]) -> str | None:
    return next((name for name in names if name in available), None)


def use_korean_font(warn: bool = True) -> str | None:
    """Make every later figure able to show Korean text; returns the font used (or None).

    Sets `font.family` to `['DejaVu Sans', <Hangul font>]` (Hangul comes from the second,
    everything else from matplotlib's usual font) and `axes.unicode_minus = False`, so
    tick labels use "-", which every font has, even if you later put the Hangul font
    first (`plt.rc('font', family='NanumGothic')`, as many Korean tutorials do).

    With no Hangul font installed, nothing changes and (if `warn`) a warning says how
    to install one.

    Example:
        >>> use_korean_font()
        'NanumGothic'
        >>> plt.title("학습 곡선")    # renders
    """
    import matplotlib as mpl

    name = korean_font_name()
    if name is None:
        if warn:
            warnings.warn(
                "No Hangul font found, so Korean labels will show as boxes. Install one: "
                "`apt-get install fonts-nanum` (Debian/Ubuntu; binder/apt.txt does this), "
                "then restart the kernel.",
                stacklevel=2,
            )
        return None
    mpl.rcParams["font.family"] = [LATIN_FAMILY, name]
    mpl.rcParams["axes.unicode_minus"] = False
    return name


def auto_korean_font() -> None:
    """Called by every plot in `teachkeras.viz`: use the Hangul font unless you chose a font.

    It changes `font.family` only while it still has matplotlib's default value, so a
    font you set yourself (`plt.rc('font', family='serif')`) is left alone, and after
    `plt.rcdefaults()` the next plot sets it again.
    """
    import matplotlib as mpl

    family = list(mpl.rcParams["font.family"])
    if family == list(mpl.rcParamsDefault["font.family"]):
        use_korean_font(warn=False)
