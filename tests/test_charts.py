"""Plotly figures (analytics/charts.py): bands, threshold lines, hover with n, grade colours."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.domain import readiness
from analytics.domain.grades import grade_of
from analytics import settings
from analytics.present import charts, views
from analytics.domain.instruments import load_registry

REG = load_registry()
COLORS = {g.grade: g.color for g in REG.grades}


def trend_frame(values, ns, periods=None):
    periods = periods or [f"2026-{m:02d}" for m in range(1, len(values) + 1)]
    frame = pd.DataFrame({"period": periods, "instrument": "ikm", "n": ns, "converted": values,
                          "percent": values, "grade": [grade_of(v, REG.grades).grade for v in values]})
    return views.trend(frame, REG.get("ikm"))


@pytest.fixture
def ikm_figure() -> go.Figure:
    trend = trend_frame([78.5, 81.25, 91.0], [120, 24, 300])
    return charts.trend_figure(trend, REG.get("ikm"), REG.grades,
                               readiness.threshold_on_scale(REG.rule_set("zi-2019"), REG.get("ikm")), "id")


def _shapes(fig, kind):
    return [s for s in fig.layout.shapes if s.type == kind]


def test_trend_has_grade_bands_in_the_grade_colours(ikm_figure):
    bands = {(s.y0, s.y1): s.fillcolor for s in _shapes(ikm_figure, "rect")}
    assert bands == {(25.0, 65.0): COLORS["D"], (65.0, 76.61): COLORS["C"], (76.61, 88.31): COLORS["B"],
                     (88.31, 100.0): COLORS["A"]}


def test_trend_has_the_wbk_and_wbbm_lines_on_the_converted_scale(ikm_figure):
    lines = [s for s in _shapes(ikm_figure, "line") if s.yref == "y"]
    assert sorted(s.y0 for s in lines) == [80.0, 90.0]
    labels = {a.text for a in ikm_figure.layout.annotations}
    assert {"WBK 80,00", "WBBM 90,00"} <= labels
    assert {"A", "B", "C", "D"} <= labels                   # band letters


def test_ipk_thresholds_share_one_line():
    trend = trend_frame([92.0, 93.0], [40, 40])
    fig = charts.trend_figure(trend, REG.get("ipk"), REG.grades,
                              readiness.threshold_on_scale(REG.rule_set("zi-2019"), REG.get("ipk")), "id")
    assert [s.y0 for s in _shapes(fig, "line") if s.yref == "y"] == [90.0]
    assert "WBK/WBBM 90,00" in {a.text for a in fig.layout.annotations}


def test_trend_hover_shows_value_n_change_and_small_sample(ikm_figure):
    line, bars = ikm_figure.data
    assert "n = %{customdata[0]:,}" in line.hovertemplate and "%{y:.2f}" in line.hovertemplate
    assert [int(row[0]) for row in line.customdata] == [120, 24, 300]
    assert [row[1] for row in line.customdata] == ["—", "+2,75", "+9,75"]
    assert "sampel kecil" in line.customdata[1][2] and line.customdata[0][2] == ""
    assert list(line.marker.symbol) == ["circle", "circle-open", "circle"]
    assert list(line.marker.color) == [COLORS["B"], COLORS["B"], COLORS["A"]]
    assert list(bars.y) == [120, 24, 300] and bars.marker.color[1] == settings.get("small_color")
    assert "n = %{y:,}" in bars.hovertemplate


def test_trend_speaks_the_chosen_language(ikm_figure):
    assert ikm_figure.layout.separators == ",."
    english = charts.trend_figure(trend_frame([80.0], [40]), REG.get("ikm"), REG.grades,
                                  readiness.threshold_on_scale(REG.rule_set("zi-2019"), REG.get("ikm")), "en")
    assert english.layout.separators == ".,"
    assert english.layout.yaxis.title.text == "Value (25–100)"
    assert ikm_figure.layout.yaxis.title.text == "Nilai (25–100)"


def test_trend_fits_a_phone(ikm_figure):
    legend = ikm_figure.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.yref == "container"
    assert ikm_figure.layout.width is None          # the page gives it the container's width


def test_percent_instrument_has_thresholds_but_no_grade_bands():
    frame = pd.DataFrame({"period": ["2026-09", "2026-10"], "instrument": "spkp", "n": [40, 40],
                          "converted": [None, None], "percent": [85.0, 91.0], "grade": [None, None]})
    trend = views.trend(frame, REG.get("spkp"))
    fig = charts.trend_figure(trend, REG.get("spkp"), REG.grades,
                              readiness.threshold_on_scale(REG.rule_set("zi-2021"), REG.get("spkp")), "id")
    assert _shapes(fig, "rect") == []
    assert sorted(s.y0 for s in _shapes(fig, "line") if s.yref == "y") == [80.0, 90.0]
    assert list(fig.data[0].y) == [85.0, 91.0]


def _items(periods=("2026-09", "2026-10")):
    inst = REG.get("ikm")
    rows = [{"period": p, "item_no": no, "code": inst.item(no).code, "statement": inst.item(no).statement,
             "aspect": inst.item(no).aspect, "n": 40 + no, "nrr": 3.0 + no / 100}
            for p in periods for no in (18, 1, 2)]
    return pd.DataFrame(rows)


def test_item_heatmap_in_questionnaire_order_with_nrr_and_n_in_the_hover():
    fig = charts.item_heatmap(_items(), REG.get("ikm"), REG.grades, "id")
    heat = fig.data[0]
    assert list(heat.y) == ["IKM1", "IKM2", "IKM18"] and list(heat.x) == ["2026-09", "2026-10"]
    assert heat.z[0][0] == pytest.approx(3.01 * 25)          # coloured on the 25–100 scale
    assert heat.text[2][0] == "3,18"
    assert "n_i = %{customdata[0]" in heat.hovertemplate and heat.customdata[2][0][0] == 58
    assert heat.customdata[2][0][1].startswith("Tersedia ruang kunjungan")


def test_office_item_heatmap_puts_the_weakest_office_first():
    per_office = pd.concat([_items(("all",)).assign(office_id=1, nrr=3.9),
                            _items(("all",)).assign(office_id=2, nrr=2.9)])
    matrix, total = views.office_item_matrix(per_office, pd.DataFrame({"office_id": [1, 2], "name": ["Kuat", "Lemah"]}))
    assert total == 2
    fig = charts.office_item_heatmap(matrix, REG.get("ikm"), REG.grades, "id")
    assert list(fig.data[0].y) == ["Lemah", "Kuat"] and list(fig.data[0].x) == ["IKM1", "IKM2", "IKM18"]


def test_grade_colorscale_gives_a_grade_minimum_exactly_its_colour():
    scale = charts.grade_colorscale(REG.grades)
    positions = {color: pos for pos, color in scale}
    assert positions[COLORS["D"]] == 0.0
    for grade in REG.grades[:-1]:
        assert positions[grade.color] == pytest.approx((float(grade.min) - 25) / 75)


def test_items_bar_weakest_on_top_with_n_i():
    items = _items(("all",)).drop(columns="period")
    fig = charts.items_bar(items, REG.get("ikm"), REG.grades, "id")
    bar = fig.data[0]
    assert list(bar.y) == ["IKM1", "IKM2", "IKM18"] and fig.layout.yaxis.autorange == "reversed"
    assert bar.text[0] == "3,01 · n_i 41"
    few = charts.items_bar(items.assign(n=12), REG.get("ikm"), REG.grades, "id")
    assert few.data[0].text[0] == "3,01 · n_i 12 *"                # small sample marked
    assert "n_i = %{customdata[0]:,}" in bar.hovertemplate


def test_aspects_bar():
    aspects = views.aspects(_items(("all",)))
    fig = charts.aspects_bar(aspects, REG.get("ikm"), REG.grades, "en")
    assert list(fig.data[0].y) == ["Persyaratan", "Sarana"] and fig.data[0].text[1] == "3.18"


def test_no_template_braces_leak_into_the_hover_text(ikm_figure):
    for trace in ikm_figure.data:
        assert "{{" not in trace.hovertemplate and "%{x}" in trace.hovertemplate
