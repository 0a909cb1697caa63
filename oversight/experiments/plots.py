"""The report's plot per metric: each variant's mean as a dot on its 95% interval (SVG).

Server-rendered like oversight.review.plots: no JavaScript, labels escaped, colours from
the stylesheet's custom properties. The axis spans every variant's interval, so the
plots of one metric are comparable at a glance; a dashed line marks the baseline's mean.
"""

from html import escape

DOT = "var(--accent, #2f5bd3)"
LINE = "#1f1f24"
TRACK = "#e8e8e4"
MUTED = "#6b6b70"
ROW, VALUE_W = 26, 96
LABEL_CHARS = 22  # longer variant names are cut, whole in the tooltip


def shown(value, unit: str, *, signed: bool = False) -> str:
    """A figure as people read it: 45.5%, 100 s, 3.85 (signed for differences)."""
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    if unit == "share":
        text = f"{value * 100:.1f}{' pts' if signed else '%'}"
    elif unit == "s":
        text = f"{value:.0f} s"
    else:
        text = f"{value:.2f}"
    return (sign + text).replace("-", "−")


def _fmt(value, unit: str) -> str:
    return shown(value, unit)


def _span(rows: list[dict]) -> tuple[float, float]:
    points = [v for r in rows for v in (r["low"], r["high"], r["mean"]) if v is not None]
    if not points:
        return 0.0, 1.0
    low, high = min(points), max(points)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    pad = (high - low) * 0.06
    return low - pad, high + pad


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"


def interval_plot(metric: dict, *, width: int = 460) -> str:
    """Return one metric's plot: a row per variant with n, mean and interval."""
    rows, unit = metric["variants"], metric["unit"]
    low, high = _span(rows)
    longest = max((min(len(r["variant"]), LABEL_CHARS) for r in rows), default=4)
    label_w = max(60, round(longest * 6.8) + 12)  # about 6.8 px a character at 12 px
    axis_w = width - label_w - VALUE_W

    def x(value: float) -> float:
        return round(label_w + (value - low) / (high - low) * axis_w, 1)

    height = ROW * len(rows) + 4
    parts = [f'<rect x="{label_w}" y="2" width="{axis_w}" height="{height - 4}" '
             f'fill="{TRACK}" opacity="0.5"/>']
    base = rows[0]["mean"] if rows else None
    if base is not None:
        parts.append(f'<line x1="{x(base)}" y1="2" x2="{x(base)}" y2="{height - 2}" '
                     f'stroke="{MUTED}" stroke-dasharray="3 3"/>')
    for i, row in enumerate(rows):
        y = i * ROW + ROW / 2 + 2
        name = escape(row["variant"])
        short = escape(_cut(row["variant"]))
        text = "no data" if not row["n"] else f'{_fmt(row["mean"], unit)} · n={row["n"]}'
        title = ("no data" if not row["n"] else f'{_fmt(row["mean"], unit)}, 95% interval '
                 f'{_fmt(row["low"], unit)} to {_fmt(row["high"], unit)}, n={row["n"]}')
        parts.append(f'<g><title>{name}: mean {escape(title)}</title>'
                     f'<text x="{label_w - 8}" y="{y + 4}" font-size="12" text-anchor="end">'
                     f'{short}</text>')
        if row["low"] is not None:
            parts.append(f'<line x1="{x(row["low"])}" y1="{y}" x2="{x(row["high"])}" y2="{y}" '
                         f'stroke="{LINE}" stroke-width="2"/>')
        if row["mean"] is not None:
            parts.append(f'<circle cx="{x(row["mean"])}" cy="{y}" r="5" fill="{DOT}"/>')
        parts.append(f'<text x="{width - 4}" y="{y + 4}" font-size="11" text-anchor="end" '
                     f'fill="{MUTED}">{escape(text)}</text></g>')
    label = f'{metric["label"]}: mean and 95% interval per variant'
    return (f'<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
            f'{"".join(parts)}</svg>')
