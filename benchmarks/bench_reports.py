"""Report benchmark: time to build the meeting report (PDF and workbook) for a 40-office Kanwil over 12
months on the large synthetic store, next to the time to render the Ringkasan page in the same run.

    python benchmarks/bench_reports.py [--respondents 1000000] [--offices 900] [--months 24]
                                       [--scope-offices 40] [--report-months 12] [--repeats 3]
                                       [--big-db PATH]

The store is built through the real import path (benchmarks/synthetic.build_store) or reused with
--big-db. Its Kanwil hold 300 offices each, so the report's scope is the first `--scope-offices`
offices of the first Kanwil (as a Kanwil of that size; the queries still run over the whole store).
Measured, each as the median of `--repeats` runs after one unmeasured run (the first PDF of a process
is reported apart), wall clock and this process's CPU time (the machine is shared: CPU time shows what
the build itself costs when the wall clock waits for other work):
  * collect   — report.collect: every query and page frame both formats show
  * workbook  — collect + xlsx.build_xlsx                           aim < 1 s
  * PDF       — collect + pdf.build_pdf (SVG small multiples from a template, WeasyPrint)   aim < 5 s
  * baseline  — the Ringkasan page (AppTest script run, as benchmarks/bench_pages.py): cold and warm
Prints a Markdown table and writes it to benchmarks/out/reports.md. All data is synthetic.
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import re
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

from benchmarks import bench_pages, synthetic  # noqa: E402
from benchmarks.bench_core import machine_load  # noqa: E402

OUT = HERE / "out" / "reports.md"
AIM_PDF_S, AIM_XLSX_S = 5.0, 1.0


def scope_request(db: Path, scope_offices: int, report_months: int):
    from analytics import store
    from analytics.domain import periods
    from analytics.report import content
    from analytics.store import offices, queries

    con = store.connect(db, read_only=True)
    try:
        frame = offices.list_offices(con)
        kanwil = sorted(frame["kanwil"].dropna().unique())[0]
        scope = tuple(int(i) for i in sorted(frame[frame["kanwil"] == kanwil]["office_id"])[:scope_offices])
        end = queries.months_with_data(con, scope)[-1]
        start = periods.add_months(end, -(report_months - 1))
    finally:
        con.close()
    return content.Request(scope=scope, pooled_scope=scope, start=start, end=end, granularity="month",
                           rules="zi-2019", lang="id", kanwil=kanwil, office=None), kanwil


def page_count(document: bytes) -> int | str:
    """Pages of a PDF (pdfinfo, poppler-utils; '?' without it)."""
    import subprocess

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(document)
        file.flush()
        try:
            info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return "?"
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else "?"


def time_reports(db: Path, request, repeats: int) -> dict:
    from analytics import store
    from analytics.report import content, pdf, xlsx

    con = store.connect(db, read_only=True)
    runs = {k: [] for k in ("collect", "collect_plain", "xlsx", "pdf", "svg", "html_pdf")}
    plain = replace(request, integrity=False)           # as office users and guests get it
    cpu = {k: [] for k in runs}

    def timed(name, call):
        wall, used = time.perf_counter(), time.process_time()
        result = call()
        runs[name].append(time.perf_counter() - wall)
        cpu[name].append(time.process_time() - used)
        return result

    try:
        started = time.perf_counter()
        report = content.collect(con, request)
        first_collect = time.perf_counter() - started
        started = time.perf_counter()
        pdf.build_pdf(report)
        first_pdf = time.perf_counter() - started
        xlsx.build_xlsx(report)
        for name in runs:
            runs[name].clear()
            cpu[name].clear()
        sizes = {}
        for _ in range(repeats):
            timed("collect_plain", lambda: content.collect(con, plain))
            report = timed("collect", lambda: content.collect(con, request))
            book = timed("xlsx", lambda: xlsx.build_xlsx(report))
            timed("svg", lambda: pdf._trend_pages(report, True))      # the SVGs alone, for the breakdown
            document = timed("pdf", lambda: pdf.build_pdf(report))
            timed("html_pdf", lambda: pdf.build_pdf(report, charts_on=False))
            sizes = {"pdf": len(document), "xlsx": len(book), "offices": len(report.offices),
                     "figures": len(pdf._trend_pages(report, False)), "pages": page_count(document)}
    finally:
        con.close()
    median = {k: statistics.median(v) for k, v in runs.items()}
    median_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    return {"first_collect": first_collect, "first_pdf": first_pdf, "median": median, "cpu": median_cpu,
            "sizes": sizes}


def time_ringkasan(db: Path, repeats: int) -> tuple[float, float]:
    """(cold, median warm) seconds of the Ringkasan page, the way bench_pages measures it."""
    import os

    from streamlit.testing.v1 import AppTest

    bench_pages.warm_up(db)
    os.environ["DASBOR_DB"] = str(db)
    bench_pages._clear_caches()
    at = AppTest.from_file(bench_pages.APP, default_timeout=600)
    cold = bench_pages._run(at, "ringkasan")
    warm = statistics.median(bench_pages._run(at, "ringkasan") for _ in range(repeats))
    bench_pages._clear_caches()
    return cold, warm


def report_text(label, kanwil, request, result, ringkasan, load_before, load_after) -> str:
    m, c, sizes = result["median"], result["cpu"], result["sizes"]
    pdf_total, xlsx_total = m["collect"] + m["pdf"], m["collect"] + m["xlsx"]
    pdf_cpu, xlsx_cpu = c["collect"] + c["pdf"], c["collect"] + c["xlsx"]
    ok = lambda value, aim: "✓" if value < aim else "✗"
    lines = [
        "# Report build times", "",
        f"Store: **{label}** respondents. Scope: {sizes['offices']} offices of {kanwil}, "
        f"{request.start:%Y-%m} – {request.end:%Y-%m} monthly, zi-2019, IKM/IPK. "
        f"PDF {sizes['pdf'] / 1024:.0f} KB ({sizes['figures']} chart figures), workbook {sizes['xlsx'] / 1024:.0f} KB.",
        f"Machine load: before {load_before[0]}; after {load_after[0]}.", "",
        "| measure | seconds (median, wall) | CPU s | aim |", "|---|---:|---:|---|",
        f"| report.collect (queries + page frames) | {m['collect']:.2f} | {c['collect']:.2f} | — |",
        f"| report.collect without the integrity section (office users, guests) | {m['collect_plain']:.2f} | "
        f"{c['collect_plain']:.2f} | — |",
        f"| **workbook** (collect + xlsxwriter) | **{xlsx_total:.2f}** | {xlsx_cpu:.2f} | "
        f"< {AIM_XLSX_S:.0f} s {ok(xlsx_total, AIM_XLSX_S)} |",
        f"| **PDF** (collect + SVG + WeasyPrint, {sizes.get('pages', '?')} pages) | **{pdf_total:.2f}** | {pdf_cpu:.2f} | "
        f"< {AIM_PDF_S:.0f} s {ok(pdf_total, AIM_PDF_S)} |",
        f"| of which chart SVGs (template) | {m['svg']:.2f} | {c['svg']:.2f} | — |",
        f"| of which HTML → PDF without charts | {m['html_pdf']:.2f} | {c['html_pdf']:.2f} | — |",
        f"| first collect / first PDF of the process | {result['first_collect']:.2f} / {result['first_pdf']:.2f} | — | — |",
        f"| baseline: Ringkasan page, cold / warm | {ringkasan[0]:.2f} / {ringkasan[1]:.2f} | — | — |", "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=900)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--scope-offices", type=int, default=40)
    parser.add_argument("--report-months", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-db", type=Path, help="reuse (or create) the large store at this path")
    args = parser.parse_args(argv)
    load_before = machine_load()
    with tempfile.TemporaryDirectory(prefix="bench_reports_") as tmp:
        big = args.big_db or Path(tmp) / "big" / "big.duckdb"
        if not big.exists():
            print(f"building a {args.respondents:,}-respondent store …", flush=True)
            bench_pages.build_big(big, args.respondents, args.offices, args.months)
        respondents, _ = bench_pages.store_size(big)
        label = f"{respondents / 1e6:g}M"
        request, kanwil = scope_request(big, args.scope_offices, args.report_months)
        print("reports …", flush=True)
        result = time_reports(big, request, args.repeats)
        print("Ringkasan page …", flush=True)
        ringkasan = time_ringkasan(big, args.repeats)
    text = report_text(label, kanwil, request, result, ringkasan, load_before, machine_load())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
