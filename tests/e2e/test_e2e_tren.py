"""Tren draws its trend chart (Plotly) with data in it."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e_support import assert_no_errors, open_page, screenshot


def test_tren_shows_a_plotly_chart(page, server):
    open_page(page, server.page_url("tren", kanwil="Kanwil Kemenkumham Jawa Barat"))
    assert_no_errors(page)
    charts = page.locator("[data-testid='stPlotlyChart']")
    expect(charts.first).to_be_visible()
    plot = charts.first.locator(".js-plotly-plot")
    expect(plot).to_be_visible()
    # Drawn, not just mounted: the SVG holds traces, and the graph div carries its data.
    expect(plot.locator(".main-svg").first).to_be_visible()
    expect(plot.locator("g.trace").first).to_be_attached()
    traces = plot.evaluate("el => (el.data || []).map(t => (t.x || []).length)")
    assert traces and max(traces) > 1, f"the trend chart has no series with points: {traces}"
    screenshot(page, "tren_chart")
