"""Command line: python -m analytics COMMAND … (exit 0 ok, 2 unusable input, one-line reason on stderr)."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import settings, demo, store
from analytics.ingest import importer
from analytics.ingest import office_master
from analytics.store import offices, queries
from analytics.domain import periods
from analytics.present import views
from analytics.domain.instruments import load_registry
from analytics.ingest.readers import safe_frame


class UsageError(Exception):
    """Input the command cannot use; printed as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics",
                                     description="Dasbor IKM–IPK: impor survei dan hitung indeks.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="file DuckDB (default: env DASBOR_DB atau data/dasbor.duckdb)")
        return p

    p = command("ingest", "impor file ekspor survei (CSV/XLSX)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--instrument", help="instrumen bila kode kolom cocok untuk beberapa (mis. skm)")
    p.add_argument("--office", help="nama kantor bila file tidak punya kolom kantor")
    p.add_argument("--period", help="YYYY-MM bila file tidak punya kolom tanggal")
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
    p.add_argument("--lang", choices=["id", "en"], default="id")

    command("batches", "daftar batch impor")
    p = command("delete-batch", "hapus satu batch impor beserta semua barisnya")
    p.add_argument("batch_id", type=int)
    p = command("offices", "daftar kantor (atau impor daftar kantor)")
    p.add_argument("--import", dest="import_file", metavar="FILE")
    command("demo", "isi database dengan data demo sintetis")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings.check()
        registry = load_registry()
        with store.connect(settings.db_path(args.db)) as con:
            return COMMANDS[args.command](con, args, registry)
    except (UsageError, store.StoreError, ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 2


def _window(con, args, office: str | None = None) -> queries.Window:
    scope = None
    if office:
        found = offices.resolve(con, [office])[office]
        if found is None:
            raise UsageError(f"kantor '{office}' tidak ada di daftar kantor")
        scope = (found,)
    return queries.Window(periods.parse_month(args.start), periods.parse_month(args.end), scope)


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":     # opened in Excel: text must not start a formula
        sys.stdout.write(safe_frame(frame).to_csv(index=False))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(frame.to_string(index=False) if not frame.empty else "(tidak ada data)")


def cmd_ingest(con, args, registry) -> int:
    options = importer.ImportOptions(instrument=args.instrument, office=args.office, period=args.period,
                                     strict=args.strict, create_offices=args.create_offices)
    worst = 0
    for name in args.files:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:
            report = importer.ImportReport(file=name, status="refused", message=f"{name}: {exc.strerror}")
        else:
            report = importer.ingest(con, content, path.name, options, registry)
        if report.status == "refused":
            worst = 2
            print(f"error: {report.message}", file=sys.stderr)
        if args.json:
            print(json.dumps(report.as_json(), ensure_ascii=False, default=str))
        else:
            print(f"{name}: {report.message}")
            for error in report.errors[:20]:
                sheet = f"sheet {error.sheet}, " if error.sheet else ""
                print(f"  {sheet}baris {error.row}, {error.column or '-'}: {error.message} "
                      f"(nilai: {error.value!r})")
            if len(report.errors) > 20:
                print(f"  … dan {len(report.errors) - 20} masalah lain (lihat --json)")
    return worst


def cmd_indices(con, args, registry) -> int:
    frame = queries.indices(con, by=args.by, period=args.period, window=_window(con, args),
                            instruments=[registry.get(args.instrument).id] if args.instrument else None,
                            registry=registry)
    frame = frame[["office", "kanwil", "period", "instrument", "n", "index", "converted", "percent", "grade"]]
    _emit(frame, args.format)
    return 0


def cmd_items(con, args, registry) -> int:
    frame = queries.items(con, registry.get(args.instrument).id, _window(con, args, args.office), registry=registry)
    _emit(frame[["code", "statement", "aspect", "n", "nrr"]], args.format)
    return 0


def cmd_readiness(con, args, registry) -> int:
    window = _window(con, args)
    if window.start is None and window.end is None:
        default = queries.latest_full_quarter(con, date.today())
        if default:
            window = queries.Window(*default)
    rules = args.rules or settings.get("default_rules")
    frame = queries.readiness(con, rules, window, registry).drop(columns=["office_id"])
    frame["reasons"] = [views.reason_texts(s, "id") for s in frame["shortfalls"]]
    frame["shortfalls"] = [[s.as_dict() for s in found] for found in frame["shortfalls"]]
    if args.format != "json":
        frame["reasons"] = frame["reasons"].map("; ".join)
        frame = frame.drop(columns=["shortfalls"])
    _emit(frame, args.format)
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
    out.write_bytes(content)
    print(t("r_written", args.lang, path=out, fmt=args.report_format.upper(), kb=round(len(content) / 1024)))
    return 0


def cmd_batches(con, args, registry) -> int:
    _emit(store.list_batches(con), "table")
    return 0


def cmd_delete_batch(con, args, registry) -> int:
    if not store.delete_batch(con, args.batch_id):
        raise UsageError(f"batch {args.batch_id} tidak ada")
    print(f"batch {args.batch_id} dihapus")
    return 0


def cmd_offices(con, args, registry) -> int:
    if args.import_file:
        count = office_master.import_master(con, Path(args.import_file))
        print(f"{count} kantor diimpor dari {args.import_file}")
        return 0
    _emit(offices.list_offices(con).drop(columns=["office_id"]), "table")
    return 0


def cmd_demo(con, args, registry) -> int:
    reports = demo.load_demo(con, registry=registry)
    imported = sum(r.rows_imported for r in reports)
    print(f"data demo sintetis: {imported} responden dari {len(reports)} file")
    return 0


COMMANDS = {"ingest": cmd_ingest, "indices": cmd_indices, "items": cmd_items, "readiness": cmd_readiness,
            "report": cmd_report,
            "batches": cmd_batches, "delete-batch": cmd_delete_batch, "offices": cmd_offices, "demo": cmd_demo}
