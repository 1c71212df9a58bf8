"""Page benchmark: time to render each dashboard page (a full AppTest script run: sidebar, queries,
figures, serialisation) on the demo store and on a large synthetic store.

    python benchmarks/bench_pages.py [--respondents 1000000] [--offices 900] [--months 24]
                                     [--repeats 3] [--big-db PATH] [--skip-big]

For every store and page (after one unmeasured pass over all pages, as a running server has imported
everything): `cold` = the first run of the page in a fresh session with Streamlit's caches cleared
(every query runs); `warm` = the median of further reruns of the same page (cached
queries, the figures and tables still built and serialised). The large store is built through the
real import path by benchmarks/synthetic.build_store (or reused with --big-db). Aim: < 1 s per page on
the 1-million-respondent store. Prints a Markdown table and writes it to benchmarks/out/pages.md.
All data is synthetic (DATA DEMO SINTETIS / DATA UJI SINTETIS).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = HERE / "out" / "pages.md"
APP = str(ROOT / "app.py")
PAGES = ["ringkasan", "tren", "unsur", "kesiapan", "integritas", "laporan", "unggah", "metode"]
AIM_S = 1.0
DEMO_TODAY = date(2026, 11, 21)


def build_demo(path: Path) -> None:
    from analytics import demo, store

    con = store.connect(path)
    try:
        demo.load_demo(con, today=DEMO_TODAY)
    finally:
        con.close()


def build_big(path: Path, respondents: int, offices: int, months: int) -> None:
    from benchmarks import synthetic

    synthetic.build_store(path, respondents, offices, months, work_dir=path.parent / "exports",
                          progress=lambda message: print(f"  {message}", flush=True))


def _clear_caches() -> None:
    import gc

    import streamlit as st

    from ui import state

    _settle()                 # a background computation of the previous page must not run into the next
    state.invalidate()        # st.cache_data and the shared page data
    st.cache_resource.clear()
    gc.collect()              # closes the app's cached store connection


def _settle() -> None:
    """Wait until the app's background worker (Ringkasan's integrity signals) is idle."""
    from ui import state

    state._BACKGROUND.submit(lambda: None).result()


def _run(at, page: str) -> float:
    if page != "ringkasan":
        at.switch_page(f"ui/pages/{page}.py")
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception or at.error:
        problems = [e.message for e in at.exception] + [e.value for e in at.error]
        raise RuntimeError(f"{page}: {problems}")
    return seconds


def sign_in(db: Path) -> None:
    """An admin session made with the real account code (tests/access_support.py); AppTest cannot send
    cookies, so ui.session.cookie is pointed at it, as the app tests do. Without it every page would
    measure the sign-in notice."""
    from tests import access_support
    from ui import session, state

    os.environ["DASBOR_DB"] = str(db)
    with state.writer() as cur:
        token = access_support.user_session(cur, "admin", username=f"bench{os.getpid()}_{time.time_ns()}")[0]
    session.cookie = lambda: token


def warm_up(db: Path) -> None:
    """Render every page once, unmeasured: module imports and first-call costs belong to the server's
    start, not to a page view."""
    from streamlit.testing.v1 import AppTest

    sign_in(db)
    at = AppTest.from_file(APP, default_timeout=600)
    for page in PAGES:
        _run(at, page)
    _clear_caches()


def time_pages(db: Path, repeats: int) -> dict[str, tuple[float, float, float]]:
    """page → (cold seconds, median warm seconds, seconds from the cold run's start until the
    background work it started is done: Ringkasan's integrity column is filled in then)."""
    from streamlit.testing.v1 import AppTest

    results = {}
    for page in PAGES:
        _clear_caches()
        sign_in(db)
        at = AppTest.from_file(APP, default_timeout=600)
        started = time.perf_counter()
        cold = _run(at, page)
        _settle()
        complete = time.perf_counter() - started
        warm = statistics.median(_run(at, page) for _ in range(repeats))
        results[page] = (cold, warm, complete)
        print(f"  {page:10s} cold {cold:6.2f} s   warm {warm:6.2f} s   complete {complete:6.2f} s", flush=True)
    _clear_caches()
    return results


def store_size(db: Path) -> tuple[int, int]:
    from analytics import store

    con = store.connect(db, read_only=True)
    try:
        respondents = store.fetch_one(con, "SELECT count(*) FROM respondents")[0]
        offices = store.fetch_one(con, "SELECT count(*) FROM offices")[0]
    finally:
        con.close()
    return respondents, offices


def report(stores: dict[str, tuple[tuple[int, int], dict]]) -> str:
    names = list(stores)
    head = "| page | " + " | ".join(f"{n}: cold | {n}: warm" for n in names) + " |"
    lines = ["# Page render times (AppTest script run)", "",
             "; ".join(f"**{n}**: {r:_} respondents, {o} offices".replace("_", ".")
                       for n, ((r, o), _) in stores.items()), "",
             head, "|" + "---|" * (1 + 2 * len(names))]
    for page in PAGES:
        cells = []
        for name in names:
            cold, warm, _ = stores[name][1][page]
            cells += [f"{cold:.2f} s", f"{warm:.2f} s"]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += ["", f"Aim: < {AIM_S:.0f} s per page on the large store. cold = first run in a fresh session "
              "with Streamlit's caches cleared; warm = median rerun (queries cached). Default view: all "
              "Kanwil, all offices, IKM/IPK, monthly, the last 12 months with data.",
              ]
    if "ringkasan" in PAGES:
        lines += ["", "Ringkasan's integrity column is computed in the background after the cold run; "
                  "filled in after: " + "; ".join(f"{n} {stores[n][1]['ringkasan'][2]:.2f} s" for n in names) + "."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)     # AppTest's bare-mode warnings
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=900)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-db", type=Path, help="reuse (or create) the large store at this path")
    parser.add_argument("--skip-big", action="store_true", help="only the demo store")
    parser.add_argument("--pages", nargs="+", choices=PAGES,
                        help="only these pages (e.g. tren integritas: a page and a baseline page in one run)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.pages:
        PAGES[:] = [p for p in PAGES if p in args.pages]
    from benchmarks.bench_core import machine_load
    load_before = machine_load()[0]

    with tempfile.TemporaryDirectory(prefix="bench_pages_") as tmp:
        stores = {}
        demo_db = Path(tmp) / "demo.duckdb"
        print("building the demo store …", flush=True)
        build_demo(demo_db)
        warm_up(demo_db)
        print("demo store:", flush=True)
        stores["demo"] = (store_size(demo_db), time_pages(demo_db, args.repeats))
        if not args.skip_big:
            big = args.big_db or Path(tmp) / "big" / "big.duckdb"
            if not big.exists():
                print(f"building a {args.respondents:,}-respondent store …", flush=True)
                build_big(big, args.respondents, args.offices, args.months)
            label = f"{store_size(big)[0] / 1e6:g}M"
            print(f"{label} store:", flush=True)
            stores[label] = (store_size(big), time_pages(big, args.repeats))
    import resource
    text = report(stores) + (f"\nPeak RSS of this process (AppTest and the app in one): "
                             f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.\n"
                             f"Machine load before: {load_before}; after: {machine_load()[0]}.\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
