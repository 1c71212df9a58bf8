"""Read an uploaded workbook in a child process with resource limits (issue 13).

A reader can abort the whole process on a hostile file (calamine: a Rust allocation failure, exit −6,
not catchable in Python), and every viewer's session lives in the app process. So workbooks (xlsx,
xls, ods) are read by a child with RLIMIT_AS = `worker_memory_mb` and RLIMIT_CPU =
`worker_cpu_seconds`; when the child dies, the file is refused with a message naming the limit and the
app carries on.

The model: one small server process per app process (`python -m analytics.ingest.worker`, started on
first use, single-threaded, the readers imported once) forks one child per file, so a child starts in
milliseconds without copying the app's threads. Requests go one at a time (a lock): a second upload
waits for the first. CSV text is parsed in the calling process: pandas' parser raises Python errors,
its memory is linear in a file that `max_upload_mb` bounds, and sending a million parsed rows through
a pipe would double the import time.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time

from analytics import settings
from analytics.domain.instruments import Registry
from analytics.errors import Message

_MB = 1024 * 1024
_lock = threading.Lock()
_server: subprocess.Popen | None = None


def read_file(content: bytes, file_name: str, registry: Registry | None = None):
    """readers.read_file, with workbooks read in a limited child process. Raises ReadError."""
    from analytics.ingest import readers

    if readers.sniff(content) not in ("zip", "ole"):
        return readers.read_file(content, file_name, registry)
    sheets, _ = read_isolated(content, file_name, registry)
    return sheets


def read_isolated(content: bytes, file_name: str, registry: Registry | None = None):
    """(sheets, peak resident memory of the child in MB). Raises ReadError."""
    from analytics.ingest import readers

    memory, cpu = settings.get("worker_memory_mb"), settings.get("worker_cpu_seconds")
    environment = {k: v for k, v in os.environ.items() if k.startswith("DASBOR_")}   # settings in force now
    request = pickle.dumps((content, file_name, registry, memory, cpu, environment),
                           protocol=pickle.HIGHEST_PROTOCOL)
    with _lock:
        exitcode, timed_out, payload = _ask(request)
    if payload is None:
        raise readers.ReadError(_death(exitcode, timed_out, memory, cpu).at(file_name))
    kind, value, peak_mb = pickle.loads(payload)
    if kind == "refused":
        raise readers.ReadError(value)
    if kind == "memory":
        raise readers.ReadError(Message("worker_memory", limit=memory, resave=Message("resave")).at(file_name))
    return value, peak_mb


def _ask(request: bytes):
    """Send one request to the server (starting it when needed): (exit code, timed out, payload)."""
    global _server
    for attempt in (1, 2):                # a server that died (killed by hand) is started again once
        if _server is None or _server.poll() is not None:
            _server = subprocess.Popen([sys.executable, "-m", "analytics.ingest.worker"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, cwd=settings.ROOT, close_fds=True)
        try:
            _write(_server.stdin, request)
            header = _read_exact(_server.stdout, 9)
            exitcode, timed_out = struct.unpack("<q?", header)
            size = struct.unpack("<q", _read_exact(_server.stdout, 8))[0]
            return exitcode, timed_out, (_read_exact(_server.stdout, size) if size >= 0 else None)
        except (BrokenPipeError, EOFError, OSError):
            _server.kill()
            _server = None
            if attempt == 2:
                raise
    return 0, False, None      # not reached: the second attempt returns or raises


def _write(stream, data: bytes) -> None:
    stream.write(struct.pack("<q", len(data)) + data)
    stream.flush()


def _read_exact(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("worker closed its pipe")
    return data


def _death(exitcode, timed_out: bool, memory: int, cpu: int) -> Message:
    """Why the child died. Under RLIMIT_AS a failed allocation aborts native code (SIGABRT, or SIGSEGV
    on an unchecked one); SIGKILL without our timeout is the kernel's OOM killer."""
    if timed_out or exitcode == -signal.SIGXCPU:
        return Message("worker_time", limit=cpu)
    if exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL):
        return Message("worker_memory", limit=memory, resave=Message("resave"))
    return Message("worker_crashed", code=exitcode, resave=Message("resave"))


# --- the server side (python -m analytics.ingest.worker) --------------------------------------------

def _child(content, file_name, registry, memory_mb, cpu_seconds) -> bytes:
    from analytics.ingest import readers

    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * _MB, memory_mb * _MB))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    try:
        result = ("ok", readers.read_file(content, file_name, registry))
    except readers.ReadError as exc:
        result = ("refused", exc.message)
    except MemoryError:
        result = ("memory", None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        return pickle.dumps((*result, peak_mb), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("memory", None, peak_mb))


def _serve_one(request: bytes) -> tuple[int, bool, bytes | None]:
    content, file_name, registry, memory_mb, cpu_seconds, environment = pickle.loads(request)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                  # the child: read, answer, exit without cleanup
        os.close(read_end)
        for name in [k for k in os.environ if k.startswith("DASBOR_")]:
            del os.environ[name]
        os.environ.update(environment)
        code = 0
        try:
            payload = _child(content, file_name, registry, memory_mb, cpu_seconds)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:                     # noqa: BLE001 — the parent reports the exit code
            code = 1
        os._exit(code)
    os.close(write_end)
    chunks, deadline, timed_out = [], time.monotonic() + cpu_seconds * 2 + 30, False
    with os.fdopen(read_end, "rb", buffering=0) as source:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([source], [], [], left)[0]:
                timed_out = True                  # blocked without using CPU: wall-clock limit
                os.kill(pid, signal.SIGKILL)
                break
            chunk = source.read(_MB)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    exitcode = os.waitstatus_to_exitcode(status)
    return exitcode, timed_out, (b"".join(chunks) if exitcode == 0 and not timed_out else None)


def serve() -> None:
    """Answer requests on stdin/stdout until stdin closes (the app process ended)."""
    from analytics.ingest import readers  # noqa: F401 — imported once, shared by every fork

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(8)
        if len(header) < 8:
            return
        request = _read_exact(source, struct.unpack("<q", header)[0])
        exitcode, timed_out, payload = _serve_one(request)
        sink.write(struct.pack("<q?", exitcode, timed_out))
        sink.write(struct.pack("<q", len(payload) if payload is not None else -1) + (payload or b""))
        sink.flush()


if __name__ == "__main__":
    serve()
