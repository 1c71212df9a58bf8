"""Starting and stopping the app (`streamlit run server.py`) as a separate process: the one command the
browser tests (tests/e2e/conftest.py), the replica test (tests/e2e/test_e2e_replicas.py) and the load
benchmark (benchmarks/bench_load.py) all use, so they run the app exactly as `make run` does.
Plain functions that raise ServerError with the end of the log; pytest fixtures turn that into a failure."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
SHIPPED = ("127.0.0.1:8670", "127.0.0.1:8671", "127.0.0.1:8672")      # proxy, app1, app2 in that file
START_S = 90          # a first start on the loaded 2-core machine (imports, migrations) takes 10–30 s


class ServerError(RuntimeError):
    """A process that exited or never became healthy; the message carries the end of its log."""


def free_port() -> int:
    """A port nobody listens on now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, chars: int = 4000) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def spawn(cmd: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """A process in its own group (stop() ends its children too), output into `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env or dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float = START_S) -> None:
    """Poll `url` until it answers 200; a process that exits or a deadline passed is a ServerError
    (and the process is stopped)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise ServerError(f"{proc.args[:4]} exited with code {proc.returncode} before {url} answered:\n"
                              f"{log_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            stop(proc)
            raise ServerError(f"{url} not healthy after {timeout:.0f} s:\n{log_tail(log)}")
        time.sleep(0.25)          # polling interval of the health check, not a wait for the app


def spawn_app(db, port: int, log: Path) -> subprocess.Popen:
    """`streamlit run server.py` on 127.0.0.1:`port` with DASBOR_DB=`db` (a DuckDB file or a
    postgresql:// URL), not waited for (several replicas start at once)."""
    env = {**os.environ, "DASBOR_DB": str(db), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    return spawn(cmd, log, env)


def start_app(db, port: int, log: Path, timeout: float = START_S) -> subprocess.Popen:
    """spawn_app, returned once /_stcore/health answers."""
    proc = spawn_app(db, port, log)
    wait_healthy(proc, f"http://127.0.0.1:{port}/_stcore/health", log, timeout)
    return proc


def stop(proc: subprocess.Popen) -> None:
    """Stop the process's whole group: TERM, then KILL; always reap it (no zombies)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def haproxy_config(proxy: int, app1: int, app2: int) -> str:
    """deploy/haproxy.cfg with its three addresses moved to these ports, everything else as shipped
    (so what is tested and measured is the file people deploy)."""
    text = HAPROXY_CONFIG.read_text(encoding="utf-8")
    for address, port in zip(SHIPPED, (proxy, app1, app2)):
        if text.count(address) != 1:
            raise ServerError(f"{HAPROXY_CONFIG}: expected {address} exactly once (it is substituted)")
        text = text.replace(address, f"127.0.0.1:{port}")
    return text


def start_haproxy(proxy: int, app1: int, app2: int, folder: Path, timeout: float = 30) -> subprocess.Popen:
    """Debian's haproxy in the foreground with haproxy_config(…) written to `folder`, returned once the
    proxy answers the apps' health check."""
    config, log = folder / "haproxy.cfg", folder / "haproxy.log"
    config.write_text(haproxy_config(proxy, app1, app2), encoding="utf-8")
    proc = spawn(["haproxy", "-db", "-f", str(config)], log)
    wait_healthy(proc, f"http://127.0.0.1:{proxy}/_stcore/health", log, timeout)
    return proc
