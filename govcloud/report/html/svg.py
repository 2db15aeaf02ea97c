"""Matplotlib figures as inline SVG that is the same bytes on every machine.

Text stays text (``svg.fonttype: none``) so the browser draws Chinese with its own fonts and
the words can be found and copied; metrics come from DejaVu Sans, which matplotlib ships, so
layout does not depend on the fonts installed.  Element ids are salted with a constant and the
creation date is left out, so the same figure gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

#: matplotlib settings every chart is drawn with
RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "govcloud",
    # inventory text is never mathtext: "$" in a name stays a dollar sign
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.titlesize": 10.0,
}

#: colour-blind-safe colours (Okabe and Ito)
BLUE, ORANGE, GREEN, RED, SKY, PURPLE, YELLOW = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
)
GREY, LIGHT = "#6b7280", "#d1d5db"

_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


@contextlib.contextmanager
def drawing() -> Iterator[None]:
    """The chart settings, with the missing-glyph warnings of DejaVu (CJK text) silenced."""
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)
    try:
        with mpl.rc_context(RC), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
            yield
    finally:
        font_log.setLevel(level)


def figure(width_in: float, height_in: float) -> Figure:
    """A figure not tied to pyplot's global state (safe in a library and in threads)."""
    fig = Figure(figsize=(width_in, height_in), dpi=96)
    FigureCanvasSVG(fig)
    return fig


def to_svg(fig: Figure, title: str, css_class: str) -> str:
    """``fig`` as an ``<svg>`` element for inlining: scalable, with an accessible title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    root = _ROOT.search(text)
    if root is None:  # matplotlib always writes one
        raise ValueError("matplotlib wrote no <svg> element")
    tag = _SIZE.sub("", root.group(0))
    tag = tag.replace(
        "<svg", f'<svg class="{css_class}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}"', 1
    )
    return f"{tag}<title>{escape(title)}</title>{text[root.end() :]}".strip() + "\n"


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def label(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns (a Chinese character takes two) with an ellipsis,
    for labels in a chart."""
    if sum(_width(c) for c in text) <= limit:
        return text
    used = 0
    for i, char in enumerate(text):
        used += _width(char)
        if used > limit - 1:  # leave a column for the ellipsis
            return text[:i].rstrip() + "…"
    return text  # pragma: no cover - the loop always cuts a text wider than the limit
