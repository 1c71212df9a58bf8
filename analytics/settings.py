"""Every setting of the dashboard, declared once, and every path the project uses.

A setting has a name, a default, a type and a help text; the environment variable DASBOR_NAME (the
name in capitals) overrides the default, and one that Streamlit must also know names its option. Read one with
`settings.get("small_sample")`: the environment is read, parsed and validated on every call (parsed
values are cached per raw text), so a bad value raises SettingError naming the variable, and tests can
monkeypatch the environment. README's "Settings" table is `readme_table()` (tests/test_docs.py keeps
them equal); `python -m analytics.settings` prints the values in force, `… NAME` one value and
`… --streamlit` the Streamlit flags that `make run` passes (.streamlit/config.toml holds the defaults).

Not settings: the data files below (instruments, label sets, grade table with its colours, ZI rule
sets: edit the files), and the synthetic demo's shape (analytics/demo/generator.py).
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analytics.errors import BadValue

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RULES_DIR = DATA_DIR / "rules"
# Indonesia's three time zones (no daylight saving): name → hours ahead of UTC.
TIME_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


class SettingError(BadValue):
    """An environment variable holds a value its setting cannot use; the detail names the variable
    (input the operator fixes: the CLI exits 2)."""

    def __init__(self, detail: str):
        super().__init__("bad_setting", detail=detail)


def _between(low, high) -> Callable[[object], str | None]:
    def check(value):
        return None if low <= value <= high else f"a value from {low} to {high}"
    return check


def _colour(value: str) -> str | None:
    return None if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "a colour as #rrggbb"


def _rule_set(value: str) -> str | None:
    known = sorted(p.stem for p in RULES_DIR.glob("zi-*.yaml"))
    return None if value in known else "one of " + ", ".join(known)


def _frame_ancestors(value: str) -> str | None:
    ok = value and re.fullmatch(r"[A-Za-z0-9'*:/._ -]+", value) and ";" not in value
    return None if ok else "CSP sources such as 'self' or 'none' or https://intranet.example"


def _time_zone(value: str) -> str | None:
    return None if value in TIME_ZONES else "one of " + ", ".join(TIME_ZONES)
def _zone(value: str) -> str | None:
    return None if value in ("UTC", "WIB", "WITA", "WIT") else "one of UTC, WIB, WITA, WIT"


def _path(value: Path) -> str | None:
    return "a file path, not a folder" if isinstance(value, Path) and value.is_dir() else None


def path_or_url(text: str) -> Path | str:
    """A DuckDB file path, or a postgresql:// URL kept as text (Path would fold its `//`)."""
    return str(text) if str(text).startswith(("postgresql://", "postgres://")) else Path(text)


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    type: type                      # int, float, str or Path
    help: str
    streamlit: str | None = None    # the Streamlit config option that must carry the same value
    check: Callable[[object], str | None] | None = None    # what is expected, or None when fine

    @property
    def env(self) -> str:
        """The environment variable that overrides the default: DASBOR_ and the name in capitals."""
        return "DASBOR_" + self.name.upper()

    def parse(self, raw: str):
        """The value of the environment text `raw`; SettingError naming the variable when unusable."""
        text = raw.strip()
        try:
            value = self.type(text)
        except ValueError:
            value, problem = None, {int: "a whole number", float: "a number such as 0.5"}[self.type]
        else:
            problem = self.check(value) if self.check else None
        if problem:
            raise SettingError(f"{self.env}={raw!r} is not usable for {self.name}: expected {problem} "
                               f"(default {shown(self.default)})")
        return value


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("db", DATA_DIR / "dasbor.duckdb", path_or_url,
            "DuckDB file, or a `postgresql://user@host:port/db` URL (several app servers, docs/deploy.md), "
            "of the app and the CLI; the CLI's --db wins, `make run` takes DB=…", check=_path),
    Setting("log_dir", DATA_DIR / "logs", Path,
            "folder where the CLI writes the traceback of an unexpected error (cli.log)"),
    Setting("max_upload_mb", 200, int, "largest file the importer reads, in MB (each file of an upload)",
            streamlit="server.maxUploadSize", check=_between(1, 10_000)),
    Setting("worker_memory_mb", 2048, int, "address-space cap (RLIMIT_AS) of the child process that parses "
            "each uploaded workbook, in MB; a file needing more is refused, the app carries on",
            check=_between(512, 65_536)),
    Setting("worker_cpu_seconds", 120, int, "CPU-time cap (RLIMIT_CPU) of that child process, in seconds",
            check=_between(5, 3600)),
    Setting("max_unzipped_mb", 1024, int, "an xlsx/ods whose parts unpack to more than this many MB in all "
            "is refused before it is read", check=_between(1, 100_000)),
    Setting("max_zip_ratio", 200, int, "a part of an xlsx/ods over 1 MB unpacked that unpacks to more than "
            "this many times its packed size is refused (a zip bomb)", check=_between(10, 100_000)),
    Setting("max_sheet_cells", 10_000_000, int, "a sheet whose declared or actual extent (last row × last "
            "column) exceeds this many cells is refused before it is read", check=_between(1000, 10**11)),
    Setting("header_scan_rows", 30, int, "the header row is looked for among this many first rows of a sheet",
            check=_between(1, 1000)),
    Setting("footer_scan_rows", 200, int,
            "footer rows (Jumlah, NRR, signatures) are looked for this far up from the bottom of a sheet",
            check=_between(0, 100_000)),
    Setting("min_item_columns", 2, int, "a sheet with fewer item columns than this holds no survey rows",
            check=_between(1, 100)),
    Setting("fuzzy_min", 0.88, float, "similarity (0–1) a reworded statement needs to be matched to an item",
            check=_between(0.5, 1.0)),
    Setting("fuzzy_margin", 0.05, float, "how far the best item's similarity must lead the next best",
            check=_between(0.0, 0.5)),
    Setting("fuzzy_hint", 0.70, float,
            "below fuzzy_min but at least this: the message names the most similar item (at most fuzzy_min)",
            check=_between(0.0, 1.0)),
    Setting("small_sample", 30, int,
            "figures from fewer respondents are marked * (domain.md §6); the ZI minimum is "
            "min_respondents in data/rules/zi-*.yaml", check=_between(1, 100_000)),
    Setting("default_rules", "zi-2019", str,
            "ZI rule set until the user picks one (CLI: readiness --rules); a file data/rules/zi-*.yaml",
            check=_rule_set),
    Setting("default_months", 12, int, "months shown until the user picks from/to: the last this many with data",
            check=_between(1, 600)),
    Setting("heatmap_offices", 30, int, "the office × element heatmap shows at most this many (weakest) offices",
            check=_between(1, 10_000)),
    Setting("line_color", "#1f3b73", str,
            "trend line, and item bars of instruments without grades; grade colours are in "
            "data/rules/grades-14-2017.yaml", check=_colour),
    Setting("bar_color", "#9aa5b1", str, "respondent bars, and item bars without a value", check=_colour),
    Setting("small_color", "#d4a017", str, "respondent bars and the line marking n < small_sample",
            check=_colour),
    Setting("session_hours", 12, int, "a sign-in (or an opened share link) lasts this many hours; a guest "
            "session never outlives its link", check=_between(1, 24 * 30)),
    Setting("login_max_failures", 5, int, "failed logins in a row before an account is locked",
            check=_between(1, 100)),
    Setting("lockout_minutes", 1, int, "first lockout in minutes; it doubles with every further failure "
            "(at most a day)", check=_between(1, 24 * 60)),
    Setting("cookie_secure", 0, int, "1 when the app is served over HTTPS (behind a TLS proxy): the session "
            "cookie gets the Secure flag", check=_between(0, 1)),
    Setting("frame_ancestors", "'self'", str, "Content-Security-Policy frame-ancestors sent with every "
            "response (who may embed the dashboard in a frame)", check=_frame_ancestors),
    Setting("threshold_color", "#3d3d3d", str, "WBK/WBBM threshold lines and their labels", check=_colour),
    Setting("report_timezone", "WIB", str,
            "time zone of the generation time on reports: WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)",
            check=_time_zone),
    Setting("report_weakest", 5, int, "weakest elements listed per instrument in a report",
            check=_between(1, 50)),
    Setting("report_saran_rows", 1000, int,
            "at most this many saran (newest first) in a report workbook's Saran sheet",
            check=_between(0, 1_000_000)),
    Setting("export_tz", "WIB", str,
            "time zone of the times in survey exports (UTC, WIB = UTC+7, WITA = UTC+8, WIT = UTC+9); times are "
            "stored as exported and shifted to office_tz only for the out-of-hours signal", check=_zone),
    Setting("trash_days", 30, int, "a deleted batch stays in the trash, restorable, this many days; then it is "
            "deleted for good (an admin may empty the trash earlier)", check=_between(1, 3650)),
    Setting("rejects_days", 90, int, "rejected rows (for the download to fix and re-upload) are kept this many "
            "days after their import, then dropped (docs/privacy.md)", check=_between(1, 3650)),
    Setting("office_tz", "WIB", str,
            "time zone of the offices' opening hours, one for all offices (per-office zones: not yet)",
            check=_zone),
)}

_PARSED: dict[tuple[str, str], object] = {}


def get(name: str):
    """The value in force of setting `name`: its environment variable when set and not blank, else
    the default. KeyError for a name that is not declared."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None or not raw.strip():
        return setting.default
    key = (name, raw)
    if key not in _PARSED:
        _PARSED[key] = setting.parse(raw)
    return _PARSED[key]


def check() -> None:
    """Validate every environment override at once (app and CLI start): SettingError listing each."""
    problems = []
    for name in SETTINGS:
        try:
            get(name)
        except SettingError as exc:
            problems.append(str(exc))
    if not problems and get("fuzzy_hint") > get("fuzzy_min"):
        problems.append(f"DASBOR_FUZZY_HINT ({get('fuzzy_hint')}) must not exceed fuzzy_min ({get('fuzzy_min')})")
    if problems:
        raise SettingError("; ".join(problems))


def db_path(explicit: str | os.PathLike | None = None) -> Path | str:
    """The database file or PostgreSQL URL: an explicit --db wins, then env DASBOR_DB, then data/dasbor.duckdb."""
    return path_or_url(explicit) if explicit else get("db")


def shown(value) -> str:
    """A value as the README and `python -m analytics.settings` show it (paths relative to the project)."""
    if isinstance(value, Path):
        return value.relative_to(ROOT).as_posix() if value.is_relative_to(ROOT) else str(value)
    return str(value)


def readme_table() -> list[str]:
    """The rows of README's Settings table, header first."""
    rows = ["| setting | set by | type | default | help |", "|---|---|---|---|---|"]
    for s in SETTINGS.values():
        by = f"`{s.env}`" + (f", Streamlit `{s.streamlit}`" if s.streamlit else "")
        rows.append(f"| `{s.name}` | {by} | {s.type.__name__.lower()} | `{shown(s.default)}` | {s.help} |")
    return rows


def streamlit_flags() -> list[str]:
    """Command-line flags giving Streamlit the values in force of the settings it must know too."""
    return [part for s in SETTINGS.values() if s.streamlit for part in (f"--{s.streamlit}", shown(get(s.name)))]


def main(argv: list[str]) -> int:
    try:
        check()
        if argv == ["--streamlit"]:
            print(" ".join(streamlit_flags()))
        elif len(argv) == 1:
            if argv[0] not in SETTINGS:
                raise SettingError(f"no setting {argv[0]!r}; settings: {', '.join(SETTINGS)}")
            print(shown(get(argv[0])))
        elif not argv:
            for s in SETTINGS.values():
                print(f"{s.name:<18} {s.env:<26} {shown(get(s.name))}")
        else:
            raise SettingError("usage: python -m analytics.settings [NAME | --streamlit]")
    except SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
