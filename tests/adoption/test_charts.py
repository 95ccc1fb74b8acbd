import pytest

from adoption.charts import bar_chart, compact, line_chart, scatter_chart


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (2.5, "2.5"), (999, "999"), (1234, "1.2K"), (5_600_000, "5.6M"), (2e9, "2B")]
)
def test_compact_numbers(value, text):
    assert compact(value) == text


def test_line_chart_puts_the_largest_value_at_or_below_the_top_tick():
    chart = line_chart(title="t", slug="s", labels=["Jan", "Feb"], series={"A": [10, 30]}, unit="tokens")

    top_tick_y = min(y for y, _ in chart.y_ticks)
    assert chart.series[0].points[1].y >= top_tick_y
    assert chart.series[0].points[1].title == "A, Feb: 30 tokens"


def test_line_chart_without_data_is_empty():
    assert line_chart(title="t", slug="s", labels=[], series={}, unit="").is_empty


def test_bar_chart_bars_are_proportional():
    chart = bar_chart(title="t", slug="s", items=[("a", 10), ("b", 5)], unit="startups")

    assert chart.bars[0].width == pytest.approx(2 * chart.bars[1].width)
    assert chart.bars[1].value_text == "5 startups"


def test_scatter_chart_places_one_dot_per_point():
    chart = scatter_chart(
        title="t", slug="s", points=[(3.5, 100, "A"), (4.0, 900, "B")], x_label="score", y_label="tokens"
    )

    assert [point.title for point in chart.series[0].points] == ["A: score 3.5, tokens 100", "B: score 4, tokens 900"]
