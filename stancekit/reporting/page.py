"""The HTML shell shared by the article and corpus views: one self-contained file, CSS and JS inline."""

from __future__ import annotations

import html
from importlib import resources

#: Okabe-Ito colours per stance label (also told apart by underline style in the page).
LABEL_COLOURS = {"negative": "#D55E00", "neutral": "#7f7f7f", "positive": "#0072B2"}


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def asset(name: str) -> str:
    return resources.files("stancekit.reporting").joinpath(name).read_text("utf-8")


def page(title: str, body: str) -> str:
    """A complete HTML document; nothing in it is fetched from anywhere."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="stancekit">\n'
        f"<title>{esc(title)}</title>\n<style>\n{asset('report.css')}</style>\n</head>\n<body>\n"
        f"{body}\n<script>\n{asset('report.js')}</script>\n</body>\n</html>\n"
    )


def score_bar(score: float, low: float | None = None, high: float | None = None, width: int = 90) -> str:
    """An inline SVG bar for a score in [-1, 1] (centre line at 0), with an optional interval."""
    half = width / 2
    x = half + max(-1.0, min(1.0, score)) * half
    colour = LABEL_COLOURS["positive"] if score >= 0 else LABEL_COLOURS["negative"]
    left, w = (half, x - half) if score >= 0 else (x, half - x)
    parts = [
        f'<svg class="bar" width="{width}" height="12" viewBox="0 0 {width} 12" role="img" '
        f'aria-label="mean score {score:+.2f}">',
        f'<rect x="{left:.1f}" y="3" width="{max(w, 0.5):.1f}" height="6" fill="{colour}"/>',
        f'<line x1="{half}" y1="0" x2="{half}" y2="12" stroke="#555" stroke-width="1"/>',
    ]
    if low is not None and high is not None:
        lo = half + max(-1.0, min(1.0, low)) * half
        hi = half + max(-1.0, min(1.0, high)) * half
        parts.append(f'<line x1="{lo:.1f}" y1="6" x2="{hi:.1f}" y2="6" stroke="#111" stroke-width="1.5"/>')
        parts.append(f'<line x1="{lo:.1f}" y1="2" x2="{lo:.1f}" y2="10" stroke="#111"/>')
        parts.append(f'<line x1="{hi:.1f}" y1="2" x2="{hi:.1f}" y2="10" stroke="#111"/>')
    parts.append("</svg>")
    return "".join(parts)


def diverging(score: float) -> str:
    """Cell background for a mean score: vermillion (negative) to white to blue (positive)."""
    s = max(-1.0, min(1.0, score))
    base = (0xD5, 0x5E, 0x00) if s < 0 else (0x00, 0x72, 0xB2)
    a = abs(s) ** 0.7 * 0.85
    r, g, b = (round(255 + (c - 255) * a) for c in base)
    ink = "#fff" if a > 0.5 else "#111"
    return f"background:#{r:02x}{g:02x}{b:02x};color:{ink}"


LEGEND_STANCE = (
    '<span><span class="sw" style="background:none;border:0;border-bottom:3px solid #D55E00"></span>'
    "negative (solid underline)</span>"
    '<span><span class="sw" style="background:none;border:0;border-bottom:3px double #0072B2"></span>'
    "positive (double underline)</span>"
    '<span><span class="sw" style="background:none;border:0;border-bottom:3px dotted #7f7f7f"></span>'
    "neutral (dotted underline)</span>"
)
