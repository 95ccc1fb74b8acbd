"""Charts as server-rendered SVG: the geometry is computed here and drawn by
the templates in ``adoption/charts/``.

No JavaScript and nothing to install: the charts work offline, without a
front-end build, with JavaScript off, in e-mail previews and in screenshots,
and every point carries a ``<title>`` a screen reader or a tooltip can read.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = [
    "#0b5fff",
    "#e8710a",
    "#137333",
    "#a142f4",
    "#d01884",
    "#129eaf",
    "#9a6700",
    "#b3261e",
    "#5b6576",
    "#1a73e8",
    "#34a853",
]
WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 16, 40


def compact(value: float) -> str:
    """1234 → 1.2K, 5_600_000 → 5.6M: numbers that fit on an axis."""
    value = float(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= threshold:
            text = f"{value / threshold:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


@dataclass
class Point:
    x: float
    y: float
    title: str


@dataclass
class Series:
    name: str
    color: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    color: str

    @property
    def text_x(self) -> float:
        return self.x + self.width + 6


def with_unit(value: float, unit: str) -> str:
    """ "1 startup", "3 startups", "12,000 tokens"."""
    text = f"{value:,.0f}"
    if not unit:
        return text
    return f"{text} {unit[:-1] if value == 1 and unit.endswith('s') else unit}"


@dataclass
class Chart:
    title: str
    slug: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_right: float = WIDTH - RIGHT
    plot_bottom: float = HEIGHT - BOTTOM
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    x_axis_label: str = ""
    y_axis_label: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.series and not self.bars


def nice_step(value: float) -> float:
    """A round tick step at or above ``value``: 1, 2, 2.5 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _y_scale(maximum: float, height: int) -> tuple[float, list[tuple[float, str]], float]:
    top = 4 * nice_step(maximum / 4)
    plot_height = height - TOP - BOTTOM
    ticks = [(height - BOTTOM - plot_height * i / 4, compact(top * i / 4)) for i in range(5)]
    return top, ticks, plot_height


def line_chart(*, title: str, slug: str, labels: Sequence[str], series: dict[str, list[int]], unit: str) -> Chart:
    """One line per series over the same labelled x positions (e.g. months)."""
    chart = Chart(title=title, slug=slug)
    if not labels or not series:
        return chart
    top, chart.y_ticks, plot_height = _y_scale(max(max(values) for values in series.values()), chart.height)
    plot_width = chart.plot_right - chart.left
    step = plot_width / max(len(labels) - 1, 1)
    xs = [chart.left + (step * i if len(labels) > 1 else plot_width / 2) for i in range(len(labels))]
    every = max(1, math.ceil(len(labels) / 8))
    chart.x_labels = [(x, label) for i, (x, label) in enumerate(zip(xs, labels, strict=True)) if i % every == 0]
    for index, (name, values) in enumerate(series.items()):
        line = Series(name=name, color=PALETTE[index % len(PALETTE)])
        for x, label, value in zip(xs, labels, values, strict=True):
            y = chart.plot_bottom - plot_height * value / top
            line.points.append(Point(x, y, f"{name}, {label}: {value:,} {unit}"))
        chart.series.append(line)
    return chart


def bar_chart(*, title: str, slug: str, items: Sequence[tuple[str, float]], unit: str) -> Chart:
    """Horizontal bars, one per item, labelled on the left."""
    bar_height, gap, label_width = 22, 8, 170
    chart = Chart(title=title, slug=slug, left=label_width, height=TOP + len(items) * (bar_height + gap) + 8)
    if not items:
        return chart
    top = nice_ceiling(max(value for _, value in items))
    plot_width = chart.plot_right - chart.left - 70
    for index, (label, value) in enumerate(items):
        width = plot_width * value / top if top else 0
        chart.bars.append(
            Bar(
                label=label,
                value_text=with_unit(value, unit),
                x=chart.left,
                y=TOP + index * (bar_height + gap),
                width=max(width, 1 if value else 0),
                height=bar_height,
                color=PALETTE[index % len(PALETTE)],
            )
        )
    return chart


def column_chart(*, title: str, slug: str, items: Sequence[tuple[str, float]], unit: str) -> Chart:
    """Vertical columns over labelled x positions (e.g. months)."""
    chart = Chart(title=title, slug=slug)
    if not items:
        return chart
    top, chart.y_ticks, plot_height = _y_scale(max(value for _, value in items), chart.height)
    slot = (chart.plot_right - chart.left) / len(items)
    every = max(1, math.ceil(len(items) / 8))
    for index, (label, value) in enumerate(items):
        height = plot_height * value / top
        x = chart.left + slot * index + slot * 0.15
        chart.bars.append(
            Bar(
                label=label,
                value_text=f"{label}: {with_unit(value, unit)}",
                x=x,
                y=chart.plot_bottom - height,
                width=slot * 0.7,
                height=height,
                color=PALETTE[0],
            )
        )
        if index % every == 0:
            chart.x_labels.append((x + slot * 0.35, label))
    return chart


def scatter_chart(
    *, title: str, slug: str, points: Sequence[tuple[float, float, str]], x_label: str, y_label: str
) -> Chart:
    """One dot per (x, y, label); x from 0 to its nice maximum, likewise y."""
    chart = Chart(title=title, slug=slug, x_axis_label=x_label, y_axis_label=y_label)
    if not points:
        return chart
    top, chart.y_ticks, plot_height = _y_scale(max(y for _, y, _ in points), chart.height)
    right = nice_ceiling(max(x for x, _, _ in points))
    plot_width = chart.plot_right - chart.left
    chart.x_labels = [(chart.left + plot_width * i / 4, compact(right * i / 4)) for i in range(5)]
    dots = Series(name=title, color=PALETTE[0])
    for x, y, label in points:
        dots.points.append(
            Point(
                chart.left + plot_width * x / right,
                chart.plot_bottom - plot_height * y / top,
                f"{label}: {x_label} {x:g}, {y_label} {compact(y)}",
            )
        )
    chart.series.append(dots)
    return chart
