"""Load benchmark: N simultaneous browser sessions (Streamlit websocket clients) against one app process
on 127.0.0.1, each signed in as its own user and opening the dashboard pages one after another.

    python benchmarks/bench_load.py [--sessions 10 20 50] [--seconds 30] [--respondents 1000000]
                                    [--months 24] [--role office|kanwil] [--port 8640]
                                    [--postgres] [--replicas 1 2]

The store is benchmarks/synthetic.cached_store (built once through the real import path), copied so
the accounts made here never reach the cache. One `streamlit run server.py` serves every level. Per
level, N clients connect at once (cookie `dasbor_session` of a real session, as a browser sends it)
and loop over PAGES for `--seconds` (levels × seconds stays within 2 minutes by default); a page run
is timed from the rerun request to Streamlit's `script_finished`. First a single session measures the
baseline in the same run; each level is reported as median / p90 per page run and ÷ that baseline,
with the load average before and after. role=office: every session is a different office's user
(no two share a scope: the cache's worst case); role=kanwil: sessions spread over the Kanwil users
(a monev meeting of one region). --postgres: the same rows in a throwaway PostgreSQL; --replicas 1 2:
the same sessions against one app process, then against two replicas behind HAProxy (deploy/haproxy.cfg,
tests/servers.py), each with its own baseline. Writes benchmarks/out/load.md (load-postgres.md with --postgres). All data is synthetic.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import synthetic  # noqa: E402
from benchmarks.bench_core import hardware, machine_load  # noqa: E402
from tests import servers  # noqa: E402 — the one way the app is started (tests/servers.py)

OUT = HERE / "out" / "load.md"
WORK = HERE / "out" / "load"
PAGES = ["ringkasan", "tren", "unsur", "kesiapan"]
PASSWORD = "beban-uji-12345"
RUN_TIMEOUT_S = 120


# --- accounts and the server ----------------------------------------------------------------------

def make_sessions(db: Path, n: int, role: str) -> list[str]:
    """n signed-in sessions (their ids, as the cookie holds them), made with the real account code."""
    from analytics import accounts, store
    from analytics.store import offices

    con = store.connect(db)
    try:
        frame = offices.list_offices(con).sort_values("office_id")
        kanwils = sorted(frame["kanwil"].dropna().unique())
        tokens = []
        for i in range(n):
            name = f"beban{role}{i:03d}"
            if role == "office":
                accounts.add_user(con, name, "office", PASSWORD, None, (), (frame["name"].iloc[i],), False,
                                  actor="bench")
            else:
                accounts.add_user(con, name, "kanwil", PASSWORD, None, (kanwils[i % len(kanwils)],), (), False,
                                  actor="bench")
            result = accounts.login(con, name, PASSWORD, accounts.now())
            if not result.ok:
                raise RuntimeError(f"{name}: {result}")
            tokens.append(result.token)
        return tokens
    finally:
        con.close()


def start_server(db, port: int, log: Path) -> subprocess.Popen:
    try:
        return servers.start_app(db, port, log, timeout=60)
    except servers.ServerError as exc:
        raise RuntimeError(str(exc)) from None


stop_server = servers.stop


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the server process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- one websocket session ------------------------------------------------------------------------

async def run_page(ws, page: str) -> tuple[float, bool]:
    """(seconds, ok) of one page run: rerun request → script_finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    name = "" if page == PAGES[0] else page        # the default page's address is the bare path
    await ws.send(BackMsg(rerun_script=ClientState(query_string="", page_name=name)).SerializeToString())
    ok = True
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S))
        kind = msg.WhichOneof("type")
        if kind == "page_not_found":
            ok = False
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "exception":
            ok = False
        elif kind == "script_finished":
            return time.perf_counter() - started, ok and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY


async def session(port: int, token: str, until: float, runs: list, first: int, min_runs: int) -> None:
    import websockets

    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    headers = {"Cookie": f"dasbor_session={token}", "Origin": f"http://127.0.0.1:{port}"}
    async with websockets.connect(url, additional_headers=headers, subprotocols=["streamlit"],
                                  max_size=None, open_timeout=RUN_TIMEOUT_S) as ws:
        i = first                 # sessions start on different pages, as people do
        while i - first < min_runs or time.perf_counter() < until:
            page = PAGES[i % len(PAGES)]
            seconds, ok = await run_page(ws, page)
            runs.append((page, seconds, ok))
            i += 1


async def level(port: int, tokens: list[str], seconds: float, min_runs: int = 1) -> list:
    runs: list = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(session(port, t, until, runs, i, min_runs) for i, t in enumerate(tokens)))
    return runs


# --- report ---------------------------------------------------------------------------------------

def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def row(label: str, runs: list, base: float, load: tuple[str, str], cpu: float) -> str:
    """One level: page runs, failed runs, median, p90, ÷ baseline, the app's CPU seconds per page run
    (less sensitive to other load on the machine than wall times), median per page, load before → after."""
    times = [s for _, s, _ in runs]
    failed = sum(not ok for *_, ok in runs)
    median = statistics.median(times)
    pages = " · ".join(f"{p} {statistics.median([s for q, s, _ in runs if q == p]):.2f}"
                       for p in PAGES if any(q == p for q, _, _ in runs))
    return (f"| {label} | {len(runs)} | {failed} | {median:.2f} s | {p90(times):.2f} s | {median / base:.1f}× | "
            f"{cpu / len(runs):.3f} s | {pages} | {load[0]} → {load[1]} |")


def measure(port: int, tokens: list[str], sessions: list[int], seconds: float, label: str,
            pids: list[int]) -> list[str]:
    """Baseline (one session) then each level, against whatever listens on `port`; table rows. `pids`:
    the app processes whose CPU time is counted."""
    cpu = lambda: sum(cpu_seconds(pid) for pid in pids)
    asyncio.run(level(port, tokens[:1], 0, len(PAGES)))        # one pass: imports, first queries
    load, before = machine_load()[0], cpu()
    base_runs = asyncio.run(level(port, tokens[:1], seconds / 2))
    base = statistics.median(s for _, s, _ in base_runs)
    lines = [row(f"{label}1 (baseline)", base_runs, base, (load, machine_load()[0]), cpu() - before)]
    print(lines[-1], flush=True)
    for n in sessions:
        load, before = machine_load()[0], cpu()
        runs = asyncio.run(level(port, tokens[:n], seconds))
        lines.append(row(f"{label}{n}", runs, base, (load, machine_load()[0]), cpu() - before))
        print(lines[-1], flush=True)
    return lines


def run_setup(db, replicas: int, port: int, tokens, args) -> tuple[list[str], float]:
    """One app process on `port`, or two on port+1, port+2 behind HAProxy (deploy/haproxy.cfg) on
    `port`; the rows of measure() and the largest peak RSS of an app process."""
    procs = []
    try:
        if replicas == 1:
            procs.append(start_server(db, port, WORK / "server.log"))
        else:
            apps = [servers.spawn_app(db, port + i, WORK / f"server{i}.log") for i in (1, 2)]
            procs += apps
            for i, proc in zip((1, 2), apps):
                servers.wait_healthy(proc, f"http://127.0.0.1:{port + i}/_stcore/health", WORK / f"server{i}.log", 60)
            procs.append(servers.start_haproxy(port, port + 1, port + 2, WORK))
        label = "" if len(args.replicas) == 1 else f"{replicas} replica{'s' if replicas > 1 else ''}: "
        lines = measure(port, tokens, args.sessions, args.seconds, label, [p.pid for p in procs[:replicas]])
        peak = max(rss_mb(p.pid) for p in procs[:replicas])
    finally:
        for proc in reversed(procs):
            stop_server(proc)
    return lines, peak


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20, 50])
    parser.add_argument("--seconds", type=float, default=30, help="per level (default: 3 levels + baseline "
                        "within 2 minutes)")
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--role", choices=["office", "kanwil"], default="office")
    parser.add_argument("--port", type=int, default=8640, help="where the clients connect (app or proxy); "
                        "replicas behind the proxy listen on the next ports")
    parser.add_argument("--postgres", action="store_true", help="the store in a throwaway PostgreSQL (a copy of "
                        "the cached DuckDB store, benchmarks/pg_copy.py) instead of the DuckDB file")
    parser.add_argument("--replicas", type=int, nargs="+", choices=[1, 2], default=[1],
                        help="1: one app process; 2: two behind HAProxy (needs --postgres); '1 2': both in turn")
    args = parser.parse_args(argv)
    if 2 in args.replicas and not args.postgres:
        parser.error("two replicas share one store: add --postgres (a DuckDB file has one writer)")
    if sum(args.sessions) and (len(args.sessions) + 1) * args.seconds * len(args.replicas) > 120:
        print("note: levels × seconds exceed 2 minutes", file=sys.stderr)

    cached, _ = synthetic.cached_store(args.respondents, months=args.months,
                                       progress=lambda m: print(f"  {m}", flush=True))
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    pg = None
    if args.postgres:
        from benchmarks import pg_copy
        from tests.pg_server import Server
        pg = Server()
        db = pg.new_database()
        pg_copy.copy_store(cached, db, progress=lambda m: print(f"  copy {m}", flush=True))
    else:
        db = WORK / "store.duckdb"
        shutil.copyfile(cached, db)
    lines, peaks = [], []
    try:
        tokens = make_sessions(db, max(args.sessions), args.role)
        for replicas in args.replicas:
            rows, peak = run_setup(db, replicas, args.port, tokens, args)
            lines += rows
            peaks.append(f"{replicas}: {peak:.0f} MB")
    finally:
        if pg:
            pg.stop()
    engine = "PostgreSQL (throwaway, 127.0.0.1)" if args.postgres else "the DuckDB file"
    setups = " vs ".join("one app process" if r == 1 else "two replicas behind HAProxy" for r in args.replicas)
    text = "\n".join([
        f"# Load: simultaneous sessions, {setups}, on {engine} ({args.respondents:_} respondents, role {args.role})"
        .replace("_", "."), "", hardware(), "",
        "| sessions | page runs | failed | median | p90 | median ÷ baseline | app CPU per run | median per page (s) "
        "| load avg |",
        "|---|---|---|---|---|---|---|---|---|", *lines, "",
        f"{args.seconds:g} s per level; pages {', '.join(PAGES)} in turn; peak RSS of an app process "
        f"({'; '.join(peaks)} replica setup).", ""])
    (OUT.with_name("load-postgres.md") if args.postgres else OUT).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
