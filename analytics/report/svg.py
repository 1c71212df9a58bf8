"""Plotly figures → SVG through kaleido 1.x and Debian's chromium (../shared/engineering.md).

One kaleido server per process, started on first use (a browser start takes seconds; later figures
~0,2 s) and stopped at exit. MathJax is off: it would be fetched from a CDN, and no figure uses it.
Calls are serialised: the sync server handles one figure at a time.
"""
from __future__ import annotations

import atexit
import re
import threading

_LOCK = threading.Lock()
_STARTED = False


def _ensure_server() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido

    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    atexit.register(stop)
    _STARTED = True


def stop() -> None:
    """Stop the process's kaleido server (also registered to run at exit)."""
    global _STARTED
    with _LOCK:
        if _STARTED:
            import kaleido

            try:
                kaleido.stop_sync_server(silence_warnings=True)
            finally:
                _STARTED = False


def figure_svg(fig) -> str:
    """The figure as SVG text, at the width and height set in its layout."""
    with _LOCK:
        _ensure_server()
        import kaleido

        data = kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": fig.layout.width,
                                                "height": fig.layout.height})
    return slim(data.decode("utf-8") if isinstance(data, bytes) else str(data))


_EMPTY_GROUP = re.compile(r"<g\b[^>]*/>|<g\b[^>]*>\s*</g>")
_CLIP = re.compile(r'<clipPath\b[^>]*\bid="([\w-]+)"[^>]*>.*?</clipPath>', re.S)
_REFERENCE = re.compile(r"url\([\"']?#([\w-]+)")


def slim(text: str) -> str:
    """Plotly's SVG without what draws nothing: clip paths no element refers to (one per x × y axis
    pair: hundreds in a grid of small multiples) and empty groups. The PDF renderer walks every node,
    so fewer nodes is a faster PDF; the picture is unchanged."""
    used = set(_REFERENCE.findall(text))
    text = _CLIP.sub(lambda m: m.group(0) if m.group(1) in used else "", text)
    while True:
        shorter = _EMPTY_GROUP.sub("", text)
        if shorter == text:
            return text
        text = shorter
