"""Small server-rendered SVG charts for the writer dashboard (no JavaScript, no CDN).

Each function returns SVG markup as a string; every label goes through `escape`.
Colours come from CSS custom properties where the page defines them, so the charts
follow the stylesheet.
"""

from html import escape

from oversight.core.risk import trust_words

BAR = "var(--accent, #2f5bd3)"
BAD = "var(--bad, #c0392b)"
TRACK = "#e8e8e4"
MUTED = "#6b6b70"


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (f'<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>{body}</svg>')


def ratio_bar(value: float | None, *, label: str = "", width: int = 120, height: int = 12,
              colour: str = BAR) -> str:
    """Return a horizontal bar filled to `value` (0–1); an empty track when unknown."""
    title = f"{label}: {'n/a' if value is None else f'{value:.0%}'}"
    filled = 0 if value is None else round(max(0.0, min(1.0, value)) * width, 1)
    body = (f'<rect width="{width}" height="{height}" rx="3" fill="{TRACK}"/>'
            f'<rect width="{filled}" height="{height}" rx="3" fill="{colour}"/>')
    return _svg(width, height, body, title)


def score_bars(averages: dict, names: dict | None = None, *, width: int = 160) -> str:
    """Return one bar per rubric principle on a 1–5 scale, labelled with the average."""
    names = names or {}
    row, value_w = 16, 28
    bar_w = width - value_w
    parts = []
    for i, (key, value) in enumerate(averages.items()):
        y = i * row
        name = escape(names.get(key, key))
        # 1 is the floor of the scale: keep a sliver so a 1 reads as a score, not a gap.
        filled = 0 if value is None else max(2, round((value - 1) / 4 * bar_w, 1))
        text = "–" if value is None else f"{value:.1f}"
        parts.append(
            f'<g><title>{name}: {text} / 5</title>'
            f'<rect y="{y + 3}" width="{bar_w}" height="10" rx="2" fill="{TRACK}"/>'
            f'<rect y="{y + 3}" width="{filled}" height="10" rx="2" fill="{BAR}"/>'
            f'<text x="{width - 2}" y="{y + 12}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{text}</text></g>')
    height = max(row, row * len(averages))
    return _svg(width, height, "".join(parts), "Rubric averages (1–5)")


def weekly_flags(weeks: list[dict], *, width: int = 168, height: int = 36) -> str:
    """Return weekly bars: submitted tasks in grey, the flagged part of them in red."""
    if not weeks:
        return _svg(width, height, "", "No weeks")
    most = max(1, max(w["tasks"] for w in weeks))
    slot = width / len(weeks)
    bar = max(2.0, slot - 3)
    parts = []
    for i, week in enumerate(weeks):
        x = round(i * slot + (slot - bar) / 2, 1)
        total_h = round(week["tasks"] / most * (height - 2), 1)
        flagged_h = round(week["flagged"] / most * (height - 2), 1)
        when = week["week"].isoformat()
        parts.append(
            f'<g><title>week of {when}: {week["tasks"]} submitted, {week["flagged"]} flagged'
            f'</title><rect x="{x}" y="0" width="{bar}" height="{height}" fill="transparent"/>'
            f'<rect x="{x}" y="{height - total_h}" width="{bar}" height="{total_h}" '
            f'fill="{TRACK}"/>'
            f'<rect x="{x}" y="{height - flagged_h}" width="{bar}" height="{flagged_h}" '
            f'fill="{BAD}"/></g>')
    baseline = f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" stroke="#ccc"/>'
    return _svg(width, height, baseline + "".join(parts), "Flagged submissions per week")


def trust_trend(points: list[dict], *, width: int = 120, height: int = 36) -> str:
    """Return the weekly trust: its 90% interval as a band, its mean as a line (0–1 up)."""
    if not points:
        return _svg(width, height, "", "No verdicts")
    step = width / max(1, len(points) - 1)

    def y(value: float) -> float:
        return round((1 - value) * (height - 2) + 1, 1)

    xs = [round(i * step, 1) for i in range(len(points))]
    band = " ".join(f"{x},{y(p['high'])}" for x, p in zip(xs, points, strict=True))
    band += " " + " ".join(f"{x},{y(p['low'])}" for x, p in reversed(list(
        zip(xs, points, strict=True))))
    line = " ".join(f"{x},{y(p['mean'])}" for x, p in zip(xs, points, strict=True))
    last = points[-1]
    label = f"Trust by week: now {trust_words(last)}"
    body = (f'<polygon points="{band}" fill="{TRACK}"/>'
            f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="1.5"/>')
    return _svg(width, height, body, label)


def bar_chart(items: list[tuple[str, float | None]], *, title: str, width: int = 420,
              fmt: str = "{:.0%}", max_value: float = 1.0, colour: str = BAR) -> str:
    """Return a labelled horizontal bar chart, one bar per (label, value)."""
    row, label_w, value_w = 22, 110, 48
    bar_w = width - label_w - value_w
    parts = []
    for i, (label, value) in enumerate(items):
        y = i * row
        share = 0 if value is None else max(0.0, min(1.0, value / max_value))
        text = "n/a" if value is None else fmt.format(value)
        parts.append(
            f'<g><title>{escape(label)}: {text}</title>'
            f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f'{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" rx="3" fill="{TRACK}"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{round(share * bar_w, 1)}" height="14" '
            f'rx="3" fill="{colour}"/>'
            f'<text x="{width - 4}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="{MUTED}">{text}</text></g>')
    height = max(row, row * len(items))
    return _svg(width, height, "".join(parts), title)


def share_over_time(points: list[dict], *, key: str, title: str, width: int = 420,
                    height: int = 80) -> str:
    """Return a line of `point[key]` (a share, 0–1) per day, dots where it is defined."""
    defined = [(i, p[key]) for i, p in enumerate(points) if p.get(key) is not None]
    if not defined:
        return _svg(width, height, "", f"{title}: no data yet")
    step = width / max(1, len(points) - 1) if len(points) > 1 else 0
    xy = [(round(i * step if step else width / 2, 1), round((1 - v) * (height - 8) + 4, 1))
          for i, v in defined]
    line = " ".join(f"{x},{y}" for x, y in xy)
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="3" fill="{BAR}"><title>{escape(points[i]["day"])}: '
        f'{value:.0%} of {points[i]["pairs"]}</title></circle>'
        for (x, y), (i, value) in zip(xy, defined, strict=True))
    grid = "".join(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="{TRACK}"/>'
                   for y in (4, height / 2, height - 4))
    body = f'{grid}<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="2"/>{dots}'
    return _svg(width, height, body, title)
