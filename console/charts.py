"""Charts drawn on the server as SVG shapes (no script, nothing from another origin: the CSP holds).

Each function returns plain geometry for console/templates/console/reports.html to draw.
"""
from __future__ import annotations

import math

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 200, 36, 28, 10


def nice_max(value: float) -> int:
    """A round top for an axis (1, 2, 5, 10, 20, 50…), at least the value."""
    if value <= 0:
        return 1
    step = 10 ** math.floor(math.log10(value))
    return next(int(m * step) for m in (1, 2, 5, 10) if m * step >= value)


def stacked_bars(labels: list[str], series: list[tuple[str, str, list[int]]]) -> dict:
    """Vertical bars per label, each the sum of the series stacked (name, css class, values)."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(labels), 1)
    bars = []
    for i, label in enumerate(labels):
        y = TOP + plot_h
        for name, css, values in series:
            h = plot_h * values[i] / top
            y -= h
            if values[i]:
                bars.append({"x": round(LEFT + i * slot + slot * 0.15, 1), "y": round(y, 1),
                             "w": round(slot * 0.7, 1), "h": round(h, 1), "css": css,
                             "title": f"{label}: {values[i]} {name}"})
    every = max(1, math.ceil(len(labels) / 10))  # at most ten labels under the axis
    ticks = [{"x": round(LEFT + i * slot + slot / 2, 1), "text": label[5:] if len(label) == 10 else label}
             for i, label in enumerate(labels) if i % every == 0]
    grid = [{"y": round(TOP + plot_h - plot_h * f, 1), "text": _num(top * f)} for f in (0, 0.5, 1)]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "ticks": ticks, "grid": grid, "left": LEFT,
            "right": WIDTH - 8, "axis_y": TOP + plot_h, "legend": [(name, css) for name, css, _ in series]}


def horizontal_bars(rows: list[tuple[str, float, str]], unit: str = "") -> dict:
    """One bar per row (label, value, css class), longest to the axis' round top."""
    top = nice_max(max((v for _, v, _ in rows), default=0))
    label_w, row_h = 190, 22
    plot_w = WIDTH - label_w - 60
    bars = [{"y": 6 + i * row_h, "label": label, "w": round(plot_w * value / top, 1), "css": css,
             "text": f"{_num(value)}{unit}", "x": label_w, "text_x": round(label_w + plot_w * value / top + 6, 1)}
            for i, (label, value, css) in enumerate(rows)]
    return {"width": WIDTH, "height": 12 + len(rows) * row_h, "bars": bars, "label_x": label_w - 8}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
