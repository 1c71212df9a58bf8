"""Command line: python -m analytics COMMAND … [--lang id|en]

Exit 0 ok; 2 unusable input, with a one-line reason on stderr; 1 a bug, with a short note on stderr
and the traceback in the log file (data/logs/cli.log, or $DASBOR_LOG_DIR/cli.log).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
import uuid
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analytics import export, settings, demo, store, i18n
from analytics.errors import BadValue, InputError, Message, UnknownName, render
from analytics.ingest import importer
from analytics.ingest import office_master
from analytics.store import integrity, offices, queries, trash
from analytics.store import access as access_store
from analytics.domain import periods
from analytics.present import integrity as integrity_view, views
from analytics.domain.instruments import load_registry


class UsageError(InputError):
    """Input the command cannot use; printed as one line, exit code 2."""


def log_dir() -> Path:
    """Where the CLI writes tracebacks: setting log_dir (env DASBOR_LOG_DIR), default data/logs."""
    return Path(settings.get("log_dir"))


def _write_traceback(argv, bug_id: str) -> Path:
    """Append the current exception's traceback to cli.log under `bug_id`; a temp folder when the log
    folder is not writable."""
    text = (f"--- {datetime.now():%Y-%m-%d %H:%M:%S} bug {bug_id}: python -m analytics {' '.join(map(str, argv))}\n"
            + traceback.format_exc())
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "dasbor-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "cli.log"
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return Path("-")      # nowhere to write: the note still says it is a bug


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics",
                                     description="Dasbor IKM–IPK: impor survei dan hitung indeks.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="file DuckDB atau URL postgresql://user@host:port/db "
                                     "(default: env DASBOR_DB atau data/dasbor.duckdb)")
        p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG,
                       help="bahasa pesan / language of messages (id, en)")
        return p

    p = command("ingest", "impor file ekspor survei (CSV/XLSX)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--instrument", help="instrumen bila kode kolom cocok untuk beberapa (mis. skm)")
    p.add_argument("--office", help="nama kantor bila file tidak punya kolom kantor")
    p.add_argument("--period", help="YYYY-MM bila file tidak punya kolom tanggal (YYYY: tahun untuk sheet per bulan)")
    p.add_argument("--date-order", choices=["dmy", "mdy"],
                   help="urutan hari/bulan bila nilai tanggal tidak memutuskannya (semua bagian ≤ 12)")
    p.add_argument("--ignore-column", action="append", default=[], metavar="NAME",
                   help="abaikan kolom ini dengan sengaja (boleh berulang), mis. kolom jawaban di luar instrumen")
    p.add_argument("--label", action="append", default=[], type=label_mapping, metavar="KOLOM=LABEL:SKOR",
                   help="skor untuk label jawaban yang tidak dikenal di kolom itu (boleh berulang), "
                        "mis. \"SPKP1=Kurang Setuju:3\"")
    p.add_argument("--strict", action="store_true", help="tolak seluruh file bila ada baris tidak valid")
    p.add_argument("--create-offices", action="store_true", help="buat kantor yang belum ada di daftar")
    p.add_argument("--json", action="store_true", help="satu objek JSON per file")

    fmt = dict(choices=["table", "csv", "json"], default="table")
    p = command("indices", "indeks per unit dan periode")
    p.add_argument("--instrument")
    p.add_argument("--by", choices=queries.GROUPINGS, default="office")
    p.add_argument("--period", choices=periods.PERIODS, default="month")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--format", **fmt)

    p = command("items", "NRR per item, terlemah dulu")
    p.add_argument("--instrument", required=True)
    p.add_argument("--office")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--format", **fmt)

    p = command("readiness", "kesiapan WBK/WBBM komponen survei per kantor")
    p.add_argument("--rules", help="aturan ZI (default: setting default_rules, zi-2019)")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--format", **fmt)

    p = command("report", "laporan rapat monev: PDF (A4) atau buku kerja Excel")
    p.add_argument("--format", dest="report_format", choices=["pdf", "xlsx"], required=True)
    p.add_argument("--out", required=True, metavar="FILE", help="file yang ditulis")
    p.add_argument("--kanwil", help="satu Kanwil (default: semua)")
    p.add_argument("--office", help="satu kantor (ringkasan tetap memuat angka Kanwil-nya)")
    p.add_argument("--from", dest="start", help="YYYY-MM (default: 12 bulan terakhir dengan data)")
    p.add_argument("--to", dest="end", help="YYYY-MM")
    p.add_argument("--period", choices=periods.GRANULARITIES, default="month", help="periode tabel dan tren")
    p.add_argument("--rules", help="aturan ZI (default: setting default_rules, zi-2019)")
    p = command("integrity", "sinyal integritas respons per kantor × instrumen × bulan (perlu klarifikasi)")
    p.add_argument("--kanwil", help="hanya kantor Kanwil ini (pembanding: kantor Kanwil yang sama)")
    p.add_argument("--office", help="hanya kantor ini (pembanding: kantor lain di Kanwil-nya)")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--format", **fmt)

    command("batches", "daftar batch impor")
    p = command("delete-batch", "pindahkan satu batch impor beserta semua barisnya ke tempat sampah")
    p.add_argument("batch_id", type=int)
    p.add_argument("--yes", action="store_true", help="hapus tanpa bertanya")
    p = command("trash", "daftar batch di tempat sampah (dapat dipulihkan selama trash_days hari)")
    p.add_argument("--empty", action="store_true", help="kosongkan tempat sampah sekarang (permanen)")
    p = command("restore-batch", "pulihkan batch dari tempat sampah")
    p.add_argument("batch_id", type=int)
    p = command("backup", "salin database secara konsisten ke satu file")
    p.add_argument("--out", required=True, metavar="FILE", help="file cadangan yang ditulis")
    p = command("restore", "ganti database dengan file cadangan")
    p.add_argument("--from", dest="source", required=True, metavar="FILE", help="file cadangan (dari backup)")
    p.add_argument("--yes", action="store_true", help="ganti tanpa bertanya")
    p = command("offices", "daftar kantor (atau impor daftar kantor)")
    p.add_argument("--import", dest="import_file", metavar="FILE")
    command("demo", "isi database dengan data demo sintetis")

    p = command("users", "akun pengguna: add, list, disable, enable, reset-password (CLI berjalan sebagai admin)")
    p.add_argument("action", choices=["add", "list", "disable", "enable", "reset-password"])
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=["admin", "kanwil", "office"], help="peran akun baru")
    p.add_argument("--name", help="nama tampilan akun baru")
    p.add_argument("--kanwil", action="append", default=[], help="Kanwil yang dicakup (peran kanwil; boleh berulang)")
    p.add_argument("--office", action="append", default=[], help="kantor yang dicakup (peran office; boleh berulang)")
    p.add_argument("--can-upload", action="store_true", help="peran office: boleh mengunggah ekspornya sendiri")
    p.add_argument("--password-stdin", action="store_true",
                   help="baca kata sandi dari stdin (default: dibuat acak dan dicetak sekali)")
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    lang = args.lang
    try:
        settings.check()
        registry = load_registry()
        if args.command == "restore":        # replaces the file: nothing may hold it open
            return cmd_restore(args)
        with _open(args) as con:
            return COMMANDS[args.command](con, args, registry)
    except InputError as exc:          # bad input: the user can fix it
        print(i18n.t("cli_error", lang, message=render(exc, lang, "cli")), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 — a damaged store or a full disk is said; anything else is a bug
        explained = store.explain(exc, _db_of(args))
        if explained is not None:
            print(i18n.t("cli_error", lang, message=render(explained, lang, "cli")), file=sys.stderr)
            return 2
        bug_id = uuid.uuid4().hex[:8]
        path = _write_traceback(argv, bug_id)
        print(i18n.t("cli_bug", lang, kind=type(exc).__name__, log=path, id=bug_id), file=sys.stderr)
        return 1


def _db_of(args) -> str | None:
    try:
        return str(settings.db_path(getattr(args, "db", None)))
    except Exception:       # noqa: BLE001 — only for a message
        return None


# Commands that only read: they open the store read-only (several may run at once). Only the commands
# that bring data in create a missing store; any other refuses it, so a mistyped --db is said, not
# answered with an empty table.
READ_COMMANDS = {"indices", "items", "readiness", "report", "batches", "offices"}


def _open(args):
    path = settings.db_path(args.db)
    creates = args.command in ("ingest", "demo") or getattr(args, "import_file", None)
    if args.command in READ_COMMANDS and not creates:
        con = store.connect(path, read_only=True, create=False)
        if not store.pending_migrations(con):
            return con
        con.close()            # an older store: migrate it first (read-write), then read
    say = lambda name: print(i18n.t("cli_migrating", args.lang, name=name), file=sys.stderr)
    saved = lambda made: print(i18n.t("cli_backup_before_migration", args.lang, path=made), file=sys.stderr)
    con = store.connect(path, create=bool(creates), on_migration=say, on_backup=saved)
    trash.expire(con, datetime.now(), settings.get("trash_days"), settings.get("rejects_days"))
    return con


def _window(con, args, office: str | None = None) -> queries.Window:
    scope = None
    if office:
        found = offices.resolve(con, [office])[office]
        if found is None:
            raise UnknownName("unknown_office", office=office)
        scope = (found,)
    return queries.Window(periods.parse_month(args.start), periods.parse_month(args.end), scope)


def _emit(frame: pd.DataFrame, fmt: str, lang: str | None = None) -> None:
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":     # opened in Excel: text must not start a formula
        sys.stdout.write(export.csv_text(frame))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(frame.to_string(index=False) if not frame.empty else i18n.t("cli_no_data", lang))


def label_mapping(text: str) -> tuple[str, str, int]:
    """--label "KOLOM=LABEL:SKOR" → (column, label, score); argparse shows the message on a bad form."""
    column, _, rest = text.partition("=")
    label, _, score = rest.rpartition(":")
    if not (column.strip() and label.strip() and score.strip().isdigit()):
        raise argparse.ArgumentTypeError(
            f"'{text}' bukan KOLOM=LABEL:SKOR (mis. \"SPKP1=Kurang Setuju:3\"; skor bilangan bulat)")
    return column.strip(), label.strip(), int(score)


def cmd_ingest(con, args, registry) -> int:
    options = importer.ImportOptions(instrument=args.instrument, office=args.office, period=args.period,
                                     strict=args.strict, create_offices=args.create_offices,
                                     ignore_columns=tuple(args.ignore_column), date_order=args.date_order,
                                     labels=tuple(args.label))
    worst = 0
    for name in args.files:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:         # a named file that cannot be read is input, not a bug
            message = Message("file_unreadable", at_file=name, reason=exc.strerror or str(exc))
            report = importer.ImportReport(file=name, status="refused", message=message)
        else:
            report = importer.ingest(con, content, path.name, options, registry)
        text = report.render(args.lang, "cli")
        if report.status == "refused":
            worst = 2
            print(i18n.t("cli_error", args.lang, message=text), file=sys.stderr)
        if args.json:
            print(json.dumps(report.as_json(args.lang, "cli"), ensure_ascii=False, default=str))
        else:
            print(f"{name}: {text}")
            for error in report.errors[:20]:
                print(i18n.t("cli_row", args.lang, sheet=f"sheet {error.sheet}, " if error.sheet else "",
                             row=error.row, column=error.column or "-", message=error.render(args.lang, "cli"),
                             value=repr(error.value)))
            if len(report.errors) > 20:
                print(i18n.t("cli_more_problems", args.lang, n=len(report.errors) - 20))
    return worst


def cmd_indices(con, args, registry) -> int:
    frame = queries.indices(con, by=args.by, period=args.period, window=_window(con, args),
                            instruments=[registry.get(args.instrument).id] if args.instrument else None,
                            registry=registry)
    frame = frame[["office", "kanwil", "period", "instrument", "n", "index", "converted", "percent", "grade"]]
    _emit(frame, args.format, args.lang)
    return 0


def cmd_items(con, args, registry) -> int:
    frame = queries.items(con, registry.get(args.instrument).id, _window(con, args, args.office), registry=registry)
    _emit(frame[["code", "statement", "aspect", "n", "nrr"]], args.format, args.lang)
    return 0


def cmd_readiness(con, args, registry) -> int:
    window = _window(con, args)
    if window.start is None and window.end is None:
        default = queries.latest_full_quarter(con, date.today())
        if default:
            window = queries.Window(*default)
    rules = args.rules or settings.get("default_rules")
    frame = queries.readiness(con, rules, window, registry).drop(columns=["office_id"])
    frame["reasons"] = [views.reason_texts(s, args.lang) for s in frame["shortfalls"]]
    frame["shortfalls"] = [[s.as_dict() for s in found] for found in frame["shortfalls"]]
    if args.format != "json":
        frame["reasons"] = frame["reasons"].map("; ".join)
        frame = frame.drop(columns=["shortfalls"])
    _emit(frame, args.format, args.lang)
    return 0


def cmd_report(con, args, registry) -> int:
    from analytics import report
    from analytics.i18n import t

    request = report.request_for(con, kanwil=args.kanwil, office=args.office, start=periods.parse_month(args.start),
                                 end=periods.parse_month(args.end), granularity=args.period, rules=args.rules,
                                 lang=args.lang)
    registry.rule_set(request.rules)          # an unknown rule set fails before any work
    content = report.build(con, request, args.report_format, registry)
    out = Path(args.out)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise BadValue("cannot_write", path=str(out), error=exc.strerror or type(exc).__name__) from None
    print(t("r_written", args.lang, path=out, fmt=args.report_format.upper(), kb=round(len(content) / 1024)))
    return 0


def cmd_integrity(con, args, registry) -> int:
    """Peers come from the office's (or the given) Kanwil, so the scope is the whole Kanwil; the output
    is narrowed to the office afterwards."""
    known = offices.list_offices(con)
    kanwil = args.kanwil
    if args.office:
        found = offices.resolve(con, [args.office])[args.office]
        if found is None:
            raise UnknownName("unknown_office", office=args.office)
        kanwil = known.loc[known["office_id"] == found, "kanwil"].iloc[0]
    scope = None
    if kanwil is not None and not pd.isna(kanwil):
        in_kanwil = known[known["kanwil"] == kanwil]
        if in_kanwil.empty:
            raise UnknownName("unknown_kanwil", kanwil=kanwil)
        scope = tuple(int(i) for i in in_kanwil["office_id"])
    window = queries.Window(periods.parse_month(args.start), periods.parse_month(args.end), scope)
    results = integrity.examine(con, window, registry=registry)
    if args.office:
        results = [r for r in results if r.unit.office_id == found]
    if args.format == "json":
        print(json.dumps(integrity_view.records(results), ensure_ascii=False, indent=1, default=str))
    else:
        _emit(integrity_view.flat(results, args.lang), args.format, args.lang)
    return 0


def cmd_batches(con, args, registry) -> int:
    _emit(store.list_batches(con), "table", args.lang)
    return 0


def _confirmed(prompt: str) -> bool:
    """The user typed ya/yes at the prompt (stdin not a terminal: the line read, or nothing)."""
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):       # no usable stdin (closed, or captured): not confirmed
        answer = ""
    print(file=sys.stderr)
    return answer.strip().lower() in ("ya", "y", "yes")


def cmd_delete_batch(con, args, registry) -> int:
    batch = store.list_batches(con).query("batch_id == @args.batch_id")
    if batch.empty:
        raise UnknownName("no_such_batch", batch=args.batch_id)
    row = batch.iloc[0]
    if not args.yes and not _confirmed(i18n.t("cli_delete_prompt", args.lang, batch=args.batch_id,
                                              file=row["file_name"], n=int(row["rows_imported"]))):
        raise UsageError("delete_not_confirmed", hint="confirm", batch=args.batch_id)
    store.delete_batch(con, args.batch_id, deleted_by="cli")
    access_store.audit(con, "cli", "batch_deleted", {"batch": args.batch_id, "file": row["file_name"]})
    print(i18n.t("cli_batch_deleted", args.lang, batch=args.batch_id, days=settings.get("trash_days")))
    return 0


def cmd_trash(con, args, registry) -> int:
    if args.empty:
        gone = trash.purge(con)
        access_store.audit(con, "cli", "trash_emptied", {"batches": gone})
        print(i18n.t("cli_trash_emptied", args.lang, n=len(gone)))
        return 0
    _emit(trash.listing(con), "table", args.lang)
    return 0


def cmd_restore_batch(con, args, registry) -> int:
    trash.restore(con, args.batch_id)
    access_store.audit(con, "cli", "batch_restored", {"batch": args.batch_id})
    print(i18n.t("cli_batch_restored", args.lang, batch=args.batch_id))
    return 0


def cmd_backup(con, args, registry) -> int:
    made = store.backup(con, settings.db_path(args.db), args.out)
    print(i18n.t("cli_backup_written", args.lang, path=made, mb=f"{made.stat().st_size / 1e6:.1f}".replace(".", ",")))
    return 0


def cmd_restore(args) -> int:
    path = settings.db_path(args.db)
    store.refuse_postgres_backup(path)         # before asking: the answer could not be acted on
    if not args.yes and not _confirmed(i18n.t("cli_restore_prompt", args.lang, path=path, source=args.source)):
        raise UsageError("restore_not_confirmed", hint="confirm", path=path)
    store.restore_backup(args.source, path)
    print(i18n.t("cli_backup_restored", args.lang, path=path, source=args.source))
    return 0


def cmd_offices(con, args, registry) -> int:
    if args.import_file:
        count = office_master.import_master(con, Path(args.import_file))
        print(i18n.t("cli_master_imported", args.lang, n=count, file=args.import_file))
        return 0
    _emit(offices.list_offices(con).drop(columns=["office_id"]), "table", args.lang)
    return 0


def cmd_demo(con, args, registry) -> int:
    reports = demo.load_demo(con, registry=registry)
    imported = sum(r.rows_imported for r in reports)
    print(i18n.t("cli_demo_loaded", args.lang, n=imported, files=len(reports)))
    return 0


def cmd_users(con, args, registry) -> int:
    from analytics import accounts
    from analytics.store import access as access_store
    if args.action == "list":
        _emit(access_store.list_users(con), "table", args.lang)
        return 0
    if not args.username:
        raise UsageError("users", detail="users " + args.action + " USERNAME")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    try:
        if args.action == "add":
            if not args.role:
                raise UsageError("users", detail="users add USERNAME --role admin|kanwil|office")
            generated = password is None
            password = password or accounts.rules.new_password()
            accounts.add_user(con, args.username, args.role, password, args.name, tuple(args.kanwil),
                              tuple(args.office), args.can_upload)
            print(f"user {args.username} ({args.role}) added" + (f"; password: {password}" if generated else ""))
        elif args.action in ("disable", "enable"):
            accounts.set_disabled(con, args.username, args.action == "disable")
            print(f"user {args.username} {args.action}d")
        else:
            new = accounts.reset_password(con, args.username, password)
            print(f"user {args.username}: new password" + ("" if password else f": {new}") + "; sessions ended")
    except ValueError as exc:
        raise UsageError("users", detail=str(exc)) from None
    return 0


COMMANDS = {"ingest": cmd_ingest, "indices": cmd_indices, "items": cmd_items, "readiness": cmd_readiness,
            "report": cmd_report,
            "integrity": cmd_integrity,
            "batches": cmd_batches, "delete-batch": cmd_delete_batch, "trash": cmd_trash,
            "restore-batch": cmd_restore_batch, "backup": cmd_backup, "offices": cmd_offices, "demo": cmd_demo,
            "users": cmd_users}
