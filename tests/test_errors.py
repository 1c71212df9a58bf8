"""Messages as codes: the catalogue covers every code in both languages, the CLI renders them in the
chosen language and tells bad input (exit 2) from bugs (exit 1, traceback in the log)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analytics import cli, errors, i18n, store
from analytics.errors import InputError, Join, Message, Notice, render
from analytics.ingest import importer, readers

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "analytics").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
# Message("code" / Notice("code" / SomeError("code" / SomeRefused("code" / UnknownName("code" …
_RAISED = re.compile(r"\b(Message|Notice|[A-Z]\w*(?:Error|Refused|Name|Value))\(\s*\"([a-z0-9_]+)\"")
_HINT = re.compile(r"\bhint=\"([a-z0-9_]+)\"")
_T_KEY = re.compile(r"\bi18n\.t\(\s*\"((?:cli|err|msg|hint)_[a-z0-9_]+)\"")


def _source_codes():
    codes, hints, keys = set(), set(), set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for kind, code in _RAISED.findall(text):
            codes.add(("msg" if kind == "Notice" else "err", code))
        hints.update(_HINT.findall(text))
        keys.update(_T_KEY.findall(text))
    return codes, hints, keys


def test_every_code_raised_in_the_source_has_a_catalogue_entry():
    codes, hints, keys = _source_codes()
    assert len(codes) > 60 and len(hints) >= 5, "the scan no longer finds the codes: fix the pattern"
    missing = sorted(f"{prefix}_{code}" for prefix, code in codes if f"{prefix}_{code}" not in i18n.STRINGS)
    missing += sorted(f"hint_{h}_{s}" for h in hints for s in errors.SURFACES
                      if f"hint_{h}_{s}" not in i18n.STRINGS)
    missing += sorted(k for k in keys if k not in i18n.STRINGS)
    assert not missing


def test_every_message_key_exists_in_both_languages():
    keys = [k for k in i18n.STRINGS if k.split("_", 1)[0] in ("err", "msg", "hint", "cli")]
    assert len(keys) > 80
    incomplete = [k for k in keys if any(not i18n.STRINGS[k].get(lang) for lang in i18n.LANGS)]
    assert not incomplete
    hints = {k.rsplit("_", 1)[0] for k in keys if k.startswith("hint_")}
    assert all(f"{h}_cli" in i18n.STRINGS and f"{h}_ui" in i18n.STRINGS for h in hints)


def test_command_line_flags_appear_only_in_command_line_texts():
    """The upload page renders err_/msg_ texts and hint_*_ui: none may tell the user to type a flag."""
    flag = re.compile(r"(?<![\w-])--[a-z]")
    shown_in_ui = [k for k in i18n.STRINGS if k.startswith(("err_", "msg_")) or
                   (k.startswith("hint_") and k.endswith("_ui"))]
    offending = [(k, lang) for k in shown_in_ui for lang, text in i18n.STRINGS[k].items() if flag.search(text)]
    assert not offending


def test_a_message_is_its_indonesian_text_and_renders_in_english_per_surface():
    message = Message("no_office_column", hint="office", at_file="a.csv", at_sheet="Data")
    assert message == 'a.csv, sheet Data: tidak ada kolom kantor (Unit Kerja/Satker/Kantor); sebutkan kantornya ' \
                      '(--office "Nama Kantor")'
    english_ui = message.render("en", "ui")
    assert english_ui.startswith("a.csv, sheet Data: no office column") and "--" not in english_ui
    assert "'Office'" in english_ui
    assert "--office" in message.render("en", "cli")
    error = importer.ImportRefused(message)
    assert str(error) == message and error.code == "no_office_column" and render(error, "en", "ui") == english_ui
    nested = Message("sheet_skipped", name="S", reason=Join([Message("no_item_columns"), "x"], "or"))
    assert nested.render("en") == "sheet S skipped: no survey answer (item) column among the headers or x"
    with pytest.raises(ValueError):
        message.render("en", "browser")


def test_messages_survive_copying_with_their_code():
    import copy
    import pickle
    note = Notice("imported", n=3, batch=1, rejected=0, duplicates=0)
    for clone in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert clone == note and clone.code == "imported" and clone.render("en").startswith("3 respondents")


def test_input_errors_keep_the_builtin_bases_old_callers_catch():
    from analytics.domain.instruments import load_registry
    from analytics.domain import periods
    with pytest.raises(KeyError) as info:
        load_registry().get("xyz")
    assert isinstance(info.value, InputError) and str(info.value).startswith("instrumen 'xyz' tidak dikenal")
    with pytest.raises(ValueError) as info:
        periods.parse_month("2024/03")
    assert info.value.render("en") == "month '2024/03' cannot be read; use the form YYYY-MM, e.g. 2024-03"
    assert issubclass(readers.ReadError, InputError) and issubclass(importer.ImportRefused, InputError)


# --- the command line ----------------------------------------------------------------------------

def run(*args, capsys):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_english_run_refuses_a_file_in_english(tmp_path, capsys):
    bad = tmp_path / "kosong.csv"
    bad.write_bytes(b"")
    db = str(tmp_path / "x.duckdb")
    code, out, err = run("ingest", str(bad), "--db", db, "--lang", "en", "--json", capsys=capsys)
    assert code == 2
    assert err.strip() == "error: kosong.csv: the file is empty (0 bytes)"
    report = json.loads(out)
    assert report["code"] == "empty_file" and report["message"] == "kosong.csv: the file is empty (0 bytes)"
    code, _, err = run("ingest", str(bad), "--db", db, capsys=capsys)     # Indonesian by default
    assert code == 2 and err.strip() == "error: kosong.csv: file kosong (0 byte)"


def test_an_english_run_names_the_flag_to_supply(tmp_path, capsys):
    export = tmp_path / "tanpa_kantor.csv"
    export.write_text("Tanggal," + ",".join(f"IKM{i}" for i in range(1, 22)) + "\n2024-03-05," +
                      ",".join(["3"] * 21) + "\n", encoding="utf-8")
    code, out, err = run("ingest", str(export), "--db", str(tmp_path / "x.duckdb"), "--lang", "en", "--json",
                         capsys=capsys)
    assert code == 2
    assert err.strip() == ('error: tanpa_kantor.csv: no office column (Unit Kerja/Satker/Kantor); '
                           'name the office (--office "Office name")')


def test_row_problems_in_the_json_report_follow_the_language(tmp_path, capsys):
    header = "ID Responden,Tanggal,Kantor," + ",".join(f"IKM{i}" for i in range(1, 22))
    rows = [f"R1,2024-03-05,Kantor Baru,{','.join(['3'] * 21)}", f"R2,2024-03-06,Kantor Baru,7,{','.join(['3'] * 20)}"]
    export = tmp_path / "baris.csv"
    export.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, out, _ = run("ingest", str(export), "--db", str(tmp_path / "x.duckdb"), "--lang", "en", "--json",
                       "--create-offices", capsys=capsys)
    report = json.loads(out)
    assert code == 0 and report["code"] == "imported"
    assert report["message"] == "1 respondents imported as batch 1; 1 rows rejected; 0 duplicates skipped"
    (error,) = report["errors"]
    assert (error["row"], error["column"], error["value"], error["code"]) == (3, "IKM1", "7", "out_of_scale")
    assert error["message"] == "answer 7 is outside the scale 1–4"


def test_an_unknown_batch_is_input_in_either_language(tmp_path, capsys):
    store.connect(tmp_path / "x.duckdb").close()
    code, _, err = run("delete-batch", "9", "--db", str(tmp_path / "x.duckdb"), "--lang", "en", capsys=capsys)
    assert code == 2 and err.strip() == "error: there is no batch 9"


def test_a_database_folder_that_cannot_be_made_is_input(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code, _, err = run("ingest", "x.csv", "--db", str(blocker / "sub" / "x.duckdb"), capsys=capsys)
    assert code == 2 and err.startswith("error: folder database") and "Traceback" not in err


@pytest.mark.parametrize("exc", [RuntimeError("boom"), ValueError("boom"), KeyError("boom"), OSError("boom")])
@pytest.mark.parametrize("lang,word", [("id", "kesalahan tak terduga"), ("en", "unexpected error")])
def test_an_unexpected_exception_is_a_bug_exit_1_with_the_traceback_in_the_log(tmp_path, capsys, monkeypatch,
                                                                                exc, lang, word):
    def broken(con, args, registry):
        raise exc
    monkeypatch.setitem(cli.COMMANDS, "batches", broken)
    monkeypatch.setenv("DASBOR_LOG_DIR", str(tmp_path / "logs"))
    store.connect(tmp_path / "x.duckdb").close()
    code, _, err = run("batches", "--db", str(tmp_path / "x.duckdb"), "--lang", lang, capsys=capsys)
    log = tmp_path / "logs" / "cli.log"
    assert code == 1
    assert err.startswith("bug:") and "error:" not in err and word in err
    assert "cli.log" in err and str(tmp_path) not in err and type(exc).__name__ in err     # no absolute path
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and f"{type(exc).__name__}: " in text
    assert "batches --db" in text                      # the command that failed


def test_the_default_log_folder_is_next_to_the_default_database(monkeypatch):
    from analytics import settings
    monkeypatch.delenv("DASBOR_LOG_DIR", raising=False)
    monkeypatch.delenv("DASBOR_DB", raising=False)
    assert cli.log_dir() == settings.DATA_DIR / "logs" == settings.db_path().parent / "logs"
