"""Vectorised cell parsing for the import pipeline (../shared/domain.md §3).

Every function takes a whole pandas Series and returns values aligned on the same index. Per-row work
is done with pandas/numpy; Python only runs over the *distinct* values of a column (answer labels,
profile categories) and over the cells that are reported as errors.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.errors import InputError, Join, Message


class ColumnError(InputError, ValueError):
    """The whole column cannot be used (e.g. an ambiguous label set); the message names the column."""

    def __init__(self, message: Message, column: str, label: str | None = None,
                 readings: dict[str, int] | None = None):
        super().__init__(message)
        self.column = column
        self.label = label                # the label read differently by the candidate sets
        self.readings = readings or {}    # label-set name -> score of `label`; lets the UI ask


@dataclass
class CellError:
    index: object  # Series index label of the bad cell (the importer maps it to the sheet row)
    value: str     # the raw value as text
    message: str   # plain explanation incl. what was expected: an errors.Message (code + params),
                   # which is its Indonesian text; .message.render(lang) for another language

    @property
    def code(self) -> str | None:
        return getattr(self.message, "code", None)

    @property
    def params(self) -> dict:
        return getattr(self.message, "params", {})


@dataclass
class ParsedScores:
    scores: pd.Series        # same index as input, nullable Int8/Int16; <NA> = not answered
    errors: list[CellError]
    label_set: str | None    # label set used when the column held labels, else None


@dataclass
class ParsedDates:
    dates: pd.Series         # datetime64[us], NaT for rejected cells; same index
    has_time: pd.Series      # bool: the cell carried a time of day other than 00:00:00
    errors: list[CellError]
    day_first: bool | None   # order decided for d/m/y-style cells; None when the column has none
    undecided: bool = False  # every part ≤ 12 and no hint given: day-first was only assumed


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    """Case- and whitespace-insensitive key (also folds NBSP and other Unicode spaces)."""
    return " ".join(str(text).split()).casefold()


def _num_text(x: float) -> str:
    """A number as an Indonesian reader writes it: 5, 3,5."""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x)).replace(".", ",")


def _raw_text(v: object) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)) and abs(v) < 2**53 and float(v).is_integer():
        return str(int(v))  # an Excel 5 arrives as 5.0; show what the user typed
    return str(v)


def _is_numeric_dtype(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)


def _map_unique(values: pd.Series, fn, dtype: str = "string") -> pd.Series:
    """Apply `fn` to each distinct non-missing value only, then spread the results over the rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = pd.array([fn(u) for u in uniques], dtype=dtype)
    return pd.Series(mapped.take(codes, allow_fill=True), index=values.index)


def _cell_errors(values: pd.Series, bad: np.ndarray, messages) -> list[CellError]:
    """One CellError per bad position; `messages` is a sequence aligned with np.flatnonzero(bad)."""
    pos = np.flatnonzero(bad)
    raw = values.iloc[pos]
    return [CellError(i, _raw_text(v), m) for i, v, m in zip(raw.index, raw.array, messages)]


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# "4 - Sangat Baik", "(3) Setuju", "3. Baik", "4 Sangat Baik", "(4)", "4 (Sangat Baik)": number,
# separator, label. The number must be set apart ("4x" is junk, not 4); the label must start with a letter.
_PREFIXED = re.compile(r"^(?:\((\d+)\)|(\d+)(?=[\s\-–—.:)=(]|$))[\s\-–—.:)=(]*([^\W\d_].*)?$")
_STARS = re.compile(r"^[★⭐☆\s]+$")


def _classify(v: object, not_answered: set[str]):
    """Token for one distinct cell value: ('na',) ('num', x) ('label', key) ('prefixed', n, key)."""
    if isinstance(v, (bool, np.bool_)):
        return ("label", _norm(v))  # TRUE/FALSE are not answers
    if isinstance(v, (int, np.integer)):        # a CSV number past int64 arrives as a Python int
        return ("num", float(v) if abs(v) < 2**1000 else float("inf"))
    if isinstance(v, (float, np.floating)):
        return ("na",) if np.isnan(v) else ("num", float(v))
    key = _norm(v)
    if key in not_answered:
        return ("na",)
    if _NUMBER.match(key):
        return ("num", float(key.replace(",", ".")))
    if _STARS.match(key) and ("★" in key or "⭐" in key):
        return ("num", float(key.count("★") + key.count("⭐")))  # filled stars only
    m = _PREFIXED.match(key)
    if m:
        label = m.group(3)
        if label and label.endswith(")") and "(" not in label:    # "4 (sangat baik)"
            label = label[:-1].rstrip()
        return ("prefixed", int(m.group(1) or m.group(2)), label)
    return ("label", key)


def _check_number(x: float, lo: int, hi: int) -> tuple[int | None, Message | None]:
    if not abs(x) < 2**53:      # a double no longer holds it exactly: never show a rounded stand-in
        return None, Message("huge_number", lo=lo, hi=hi)
    if not float(x).is_integer():
        if np.isfinite(x) and lo <= x <= hi:
            return None, Message("not_integer", value=_num_text(x), lo=lo, hi=hi)
        return None, Message("out_of_scale", value=_num_text(x), lo=lo, hi=hi)
    if not lo <= x <= hi:
        return None, Message("out_of_scale", value=_num_text(x), lo=lo, hi=hi)
    return int(x), None


def _usable_sets(label_sets: dict[str, list[str]], lo: int, hi: int) -> dict[str, dict[str, int]]:
    """name -> {normalised label: score}; sets of another length belong to another scale."""
    size = hi - lo + 1
    return {name: {_norm(lab): lo + i for i, lab in enumerate(labels)}
            for name, labels in label_sets.items() if len(labels) == size}


def _resolve_label_set(column: str, required: set[str], prefixed: set[tuple[int, str]],
                       sets: dict[str, dict[str, int]], display: dict[str, str],
                       unknown_raw: dict[str, str] | None = None) -> str | None:
    """Pick the label set for a whole column (domain.md §3: never guess silently).

    Candidates are the sets covering most of the column's labels. A set that covers only part of
    them is refused for the whole column, naming the unknown labels: rejecting just the rows with
    the unknown (middle) labels would bias the index. Candidates must agree on every label's score;
    explicit number prefixes may rule a candidate out.
    """
    if not required:
        return None
    coverage = {name: len(required & mapping.keys()) for name, mapping in sets.items()}
    best = max(coverage.values(), default=0)
    if best == 0:
        return None
    candidates = [name for name, c in coverage.items() if c == best]
    if best < len(required):
        unknown = sorted(required - sets[candidates[0]].keys())
        shown = [(unknown_raw or {}).get(lab, lab) for lab in unknown]
        known = Join([" / ".join(display.get(lab, lab) for lab in sorted(sets[n], key=sets[n].get))
                      for n in candidates], "or")
        raise ColumnError(Message("labels_unresolved", "labels", column=column,
                                  unknown=Join([f"'{x}'" for x in shown], "list"), n=len(shown),
                                  known=known, first=shown[0], labels=tuple(shown)), column=column)
    conflict = _first_conflict(candidates, required, sets)
    if conflict:
        # "1 - Tidak Setuju" settles which reading the respondent saw.
        agree = [n for n in candidates
                 if all(sets[n].get(lab, num) == num for num, lab in prefixed)]
        if agree and not _first_conflict(agree, required, sets):
            return agree[0]
        label = conflict
        readings = {n: sets[n][label] for n in candidates if label in sets[n]}
        text = Join([Message("reading", score=score, set=n) for n, score in readings.items()], "but")
        raise ColumnError(
            Message("ambiguous_labels", column=column, label=display.get(label, label), readings=text),
            column=column, label=display.get(label, label), readings=readings)
    return candidates[0]


def _first_conflict(candidates: list[str], labels: set[str], sets) -> str | None:
    for label in sorted(labels):
        if len({sets[n][label] for n in candidates if label in sets[n]}) > 1:
            return label
    return None


def _expected_text(chosen: str | None, sets, label_sets, lo: int, hi: int) -> Message:
    names = [chosen] if chosen else list(sets)
    texts = [" / ".join(label_sets[n]) for n in names]
    if not texts:
        return Message("expected_numbers", lo=lo, hi=hi)
    return Message("expected_numbers_or_labels", lo=lo, hi=hi, labels=Join(texts))


def _score_token(raw, tok, chosen: dict[str, int] | None, chosen_name, lo, hi, expected, display):
    """(score, error message) for one distinct cell value."""
    kind = tok[0]
    if kind == "na":
        return None, None
    if kind == "num":
        return _check_number(tok[1], lo, hi)
    if kind == "prefixed":
        num, label = tok[1], tok[2]
        score, err = _check_number(num, lo, hi)
        if err or not label or not chosen or label not in chosen:
            return score, err  # a valid number prefix is enough when the label is unknown
        if chosen[label] != num:
            return None, Message("prefix_mismatch", number=num, label=display[label], score=chosen[label],
                                 set=chosen_name)
        return score, None
    label = tok[1]
    if chosen and label in chosen:
        return chosen[label], None
    return None, Message("unknown_answer", value=str(raw).strip(), expected=expected)


def _int_dtype(lo: int, hi: int) -> str:
    return "Int8" if -128 <= lo and hi <= 127 else "Int16"


def relabel(values: pd.Series, scores: dict[str, int]) -> pd.Series:
    """The user's answer-label mapping (label → score, for labels no known set resolves) applied to
    one column before it is read: matching cells become their score; others stay as written."""
    if not scores or _is_numeric_dtype(values):
        return values
    wanted = {_norm(label): str(score) for label, score in scores.items()}
    keys = values.map(lambda v: _norm(v) if isinstance(v, str) else None)
    return values.where(~keys.isin(list(wanted)), keys.map(wanted))


def parse_scores(values: pd.Series, column: str, scale_min: int, scale_max: int,
                 label_sets: dict[str, list[str]], not_answered: list[str]) -> ParsedScores:
    """Read one answer column into integer scores within [scale_min, scale_max]."""
    lo, hi = int(scale_min), int(scale_max)
    if _is_numeric_dtype(values):
        return _parse_numeric_scores(values, lo, hi)

    # Label path: classify the distinct values, decide the label set, score, spread back by code.
    na_keys = {_norm(x) for x in not_answered} | {""}
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    tokens = [_classify(u, na_keys) for u in uniques]

    sets = _usable_sets(label_sets, lo, hi)
    display = {_norm(lab): lab for labels in label_sets.values() for lab in labels}
    known = set().union(*sets.values()) if sets else set()
    bare = {t[1] for t in tokens if t[0] == "label"}
    prefixed = {(t[1], t[2]) for t in tokens if t[0] == "prefixed" and t[2] in known}
    raw_of = {t[1]: str(u).strip() for u, t in zip(uniques, tokens) if t[0] == "label"}
    chosen_name = _resolve_label_set(column, bare | {lab for _, lab in prefixed}, prefixed,
                                     sets, display, raw_of)
    chosen = sets.get(chosen_name) if chosen_name else None
    expected = _expected_text(chosen_name, sets, label_sets, lo, hi)

    results = [_score_token(u, t, chosen, chosen_name, lo, hi, expected, display)
               for u, t in zip(uniques, tokens)]
    score_u = np.array([-1 if s is None else s for s, _ in results] + [-1], dtype=np.int64)
    err_u = np.array([e is not None for _, e in results] + [False])
    row_score = score_u[codes]  # code -1 picks the trailing "missing" slot
    bad = err_u[codes]

    messages = [results[c][1] for c in codes[bad]]
    errors = _cell_errors(values, bad, messages)
    scores = _int_series(row_score, row_score < 0, values.index, lo, hi)
    label_used = chosen_name if bare or prefixed else None
    return ParsedScores(scores, errors, label_used)


def _int_series(arr: np.ndarray, missing: np.ndarray, index, lo: int, hi: int) -> pd.Series:
    dtype = _int_dtype(lo, hi)
    np_type = np.int8 if dtype == "Int8" else np.int16
    data = pd.arrays.IntegerArray(np.where(missing, 0, arr).astype(np_type), missing)
    return pd.Series(data, index=index)


def _parse_numeric_scores(values: pd.Series, lo: int, hi: int) -> ParsedScores:
    """Fast path: the column is already int/float. Whole-number columns are checked as integers (no
    float copy); the messages are built from the same float value either way."""
    if pd.api.types.is_integer_dtype(values.dtype):
        arr = values.to_numpy(dtype="int64", na_value=0)
        missing = values.isna().to_numpy()
        valid = ~missing & (arr >= lo) & (arr <= hi)
        bad = ~missing & ~valid
        bad_vals = arr[bad].astype("float64")
        msg_of = {x: _check_number(x, lo, hi)[1] for x in np.unique(bad_vals)}
        errors = _cell_errors(values, bad, [msg_of[x] for x in bad_vals])
        return ParsedScores(_int_series(np.where(valid, arr, 0), ~valid, values.index, lo, hi), errors, None)
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(arr)
    with np.errstate(invalid="ignore"):
        valid = ~missing & (arr == np.round(arr)) & (arr >= lo) & (arr <= hi)
    bad = ~missing & ~valid
    # Messages are built once per distinct bad value.
    bad_vals = arr[bad]
    msg_of = {x: _check_number(x, lo, hi)[1] for x in np.unique(bad_vals)}
    errors = _cell_errors(values, bad, [msg_of[x] for x in bad_vals])
    scores = _int_series(np.where(valid, arr, 0), ~valid, values.index, lo, hi)
    return ParsedScores(scores, errors, None)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(["januari", "jan", "january"], 1),
    **dict.fromkeys(["februari", "pebruari", "feb", "peb", "february"], 2),
    **dict.fromkeys(["maret", "mar", "march"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "jun", "june"], 6),
    **dict.fromkeys(["juli", "jul", "july"], 7),
    **dict.fromkeys(["agustus", "agu", "agt", "ags", "agst", "aug", "august"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "okt", "oct", "october"], 10),
    **dict.fromkeys(["november", "nopember", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "des", "dec", "december"], 12),
}

# Patterns run on pyarrow's RE2 engine (pandas' .str.extract would fall back to a Python loop):
# named groups only, [0-9] rather than \d, no \s. Text is lower-cased and single-spaced first.
# Optional time of day: " 14:02:11", "T14:02", " 14.02.11", ", 2:02:11 pm"; a trailing Z/+07:00 is
# ignored (wall-clock time is what the respondent saw).
_TIME = (r"(?:(?:t|,? )(?P<H>[0-9]{1,2})[:.](?P<M>[0-9]{2})"
         r"(?:[:.](?P<S>[0-9]{2})(?:[.,](?P<F>[0-9]{1,9}))?)?"
         r" ?(?P<P>[ap])?\.?m?\.?)?(?: ?(?:z|gmt|utc|(?:gmt|utc)?[+-][0-9]{1,2}(?::?[0-9]{2})?))?$")
_NUMERIC_DATE = r"^(?P<a>[0-9]{1,4})[/.-](?P<b>[0-9]{1,2})[/.-](?P<c>[0-9]{1,4})" + _TIME
_WEEKDAY = r"(?:[a-z']+,? )?"  # "Selasa, 5 Maret 2024"
_DAY_MONTH = (r"^" + _WEEKDAY + r"(?P<d>[0-9]{1,2})[ /.-]?(?P<mon>[a-z]+)\.?[ /.,-]{0,2}(?P<y>[0-9]{4})"
              + _TIME)
_MONTH_DAY = r"^" + _WEEKDAY + r"(?P<mon>[a-z]+)\.? (?P<d>[0-9]{1,2}),? (?P<y>[0-9]{4})" + _TIME
_SERIAL = r"^(?P<serial>[0-9]+(?:\.[0-9]+)?)$"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?$"
_ODD_SPACE = "[\t\n\r\f\v\u00a0]|  "
_SPACES = "[ \t\n\r\f\v\u00a0]+"  # literal characters: RE2 has no \u escape and a narrower \s
_MONTH_NAMES = pa.array(list(_MONTHS), pa.large_string())
_MONTH_NUMBERS = np.array(list(_MONTHS.values()), dtype="float64")

_SERIAL_MIN, _SERIAL_MAX = 32874, 73415  # 1990-01-01 .. 2100-12-31 in Excel's 1900 system
_EXCEL_EPOCH = np.datetime64("1899-12-30", "us")
_MIN_DATE = np.datetime64("1990-01-01", "us")
_BLANKS = ["", "-", "–", "—"]

# Why a row has no date (codes; 0 = fine).
_OK, _BLANK, _UNREADABLE, _BAD_SERIAL, _NO_SUCH_DAY, _TOO_OLD, _FUTURE = range(7)
_EXAMPLES = Message("date_examples")


def parse_dates(values: pd.Series, column: str, today: datetime.date,
                day_first_hint: bool | None = None) -> ParsedDates:
    """Read one date column; day/month order is decided once for the whole column: by its values,
    else by `day_first_hint` (the file's other evidence or the user's choice), else day-first is only
    assumed and the result says `undecided`."""
    vals = values.reset_index(drop=True)  # positional work inside; the caller's index goes back on
    ts = np.full(len(vals), np.datetime64("NaT"), dtype="M8[us]")
    why = np.full(len(vals), _OK, dtype=np.int8)
    day_first, undecided = None, False

    kind = pd.api.types.infer_dtype(vals, skipna=True) if vals.dtype == object else None
    if pd.api.types.is_datetime64_any_dtype(vals.dtype) or kind in ("datetime", "datetime64", "date"):
        converted = pd.to_datetime(vals)  # real date cells from Excel
        if converted.dt.tz is not None:
            converted = converted.dt.tz_localize(None)  # keep the wall-clock time
        ts[:] = converted.to_numpy(dtype="M8[us]")
        why[np.isnat(ts)] = _BLANK
    elif _is_numeric_dtype(vals):
        serial = vals.to_numpy(dtype="float64", na_value=np.nan)
        why[np.isnan(serial)] = _BLANK
        rows = np.flatnonzero(~np.isnan(serial))
        _from_serial(serial[rows], rows, ts, why)
    else:
        day_first, undecided = _parse_date_strings(vals, ts, why, day_first_hint)

    ok = why == _OK
    why[ok & (ts < _MIN_DATE)] = _TOO_OLD
    tomorrow = (np.datetime64(today, "D") + 1).astype("M8[us]")  # also right if given a datetime
    why[ok & (ts >= tomorrow)] = _FUTURE
    bad = why != _OK
    raw = vals.array[bad]
    messages = [_date_message(c, w, r, day_first) for c, w, r in zip(why[bad], ts[bad], raw)]
    ts[bad] = np.datetime64("NaT")

    has_time = ~np.isnat(ts)
    has_time[has_time] = ts[has_time] != ts[has_time].astype("M8[D]")  # midnight = date only
    return ParsedDates(pd.Series(ts, index=values.index), pd.Series(has_time, index=values.index),
                       _cell_errors(values, bad, messages), day_first, undecided)


_DATE_BLANK, _DATE_UNREADABLE = Message("date_blank"), Message("date_unreadable", examples=_EXAMPLES)
_NO_SUCH_DAY_MESSAGES = {True: Message("date_no_such_day_dmy"), False: Message("date_no_such_day_mdy"),
                         None: Message("date_no_such_day")}


def _date_message(code: int, when: np.datetime64, raw: object, day_first: bool | None) -> Message:
    if code == _BLANK:
        return _DATE_BLANK
    if code == _BAD_SERIAL:
        return Message("date_bad_serial", value=_raw_text(raw).strip(), examples=_EXAMPLES)
    if code == _NO_SUCH_DAY:
        return _NO_SUCH_DAY_MESSAGES[day_first]
    if code == _FUTURE:
        return Message("date_future", date=str(when.astype("M8[D]")))
    if code == _TOO_OLD:
        return Message("date_too_old", date=str(when.astype("M8[D]")))
    return _DATE_UNREADABLE


def _from_serial(serial: np.ndarray, rows: np.ndarray, ts: np.ndarray, why: np.ndarray) -> None:
    """Excel serial day numbers (time of day in the fraction) at positions `rows`; 1990–2100 only."""
    sane = (serial >= _SERIAL_MIN) & (serial < _SERIAL_MAX + 1)
    seconds = np.round(serial[sane] * 86400).astype(np.int64)  # Excel times carry float noise
    ts[rows[sane]] = _EXCEL_EPOCH + (seconds * 1_000_000).astype("m8[us]")
    why[rows[~sane]] = _BAD_SERIAL


def _parse_date_strings(vals: pd.Series, ts: np.ndarray, why: np.ndarray,
                        hint: bool | None = None) -> tuple[bool | None, bool]:
    """Text (or mixed object) cells. Fills ts/why in place; returns the column's day-first decision
    and whether it was only assumed (values and hint silent)."""
    text = _arrow_text(vals)
    blank = pc.is_in(text, value_set=pa.array(_BLANKS)).to_numpy(zero_copy_only=False)
    blank |= vals.isna().to_numpy()
    why[blank] = _BLANK
    pending = ~blank  # rows no pattern has claimed yet

    pos, g = _extract(text, pending, _SERIAL)
    _from_serial(_floats(g["serial"]), pos, ts, why)
    pending[pos] = False

    # Fast path for canonical ISO text, the usual CSV export; what it rejects takes the general path.
    iso_shape = pc.match_substring_regex(text, _ISO).fill_null(False)
    iso_rows = pending & iso_shape.to_numpy(zero_copy_only=False)
    if iso_rows.any():
        pos = np.flatnonzero(iso_rows)
        iso_text = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([text.filter(iso_rows)])))
        parsed = pd.to_datetime(iso_text, format="ISO8601", errors="coerce").to_numpy("M8[us]")
        ok = ~np.isnat(parsed)
        ts[pos[ok]] = parsed[ok]
        pending[pos[ok]] = False

    # Numeric dates: yyyy-mm-dd, or a/b/yyyy read with one day/month order for the whole column.
    pos, g = _extract(text, pending, _NUMERIC_DATE)
    a, b, c = _floats(g["a"]), _floats(g["b"]), _floats(g["c"])
    iso = pc.utf8_length(g["a"]).to_numpy() == 4
    year_len = pc.utf8_length(g["c"]).to_numpy()
    dmy = ((year_len == 4) | (year_len == 2)) & ~iso & (pc.utf8_length(g["a"]).to_numpy() <= 2)
    c = np.where(dmy & (year_len == 2), c + 2000, c)                # '5/3/24': two-digit years are 20xx
    day_first, undecided = None, False
    if dmy.any():
        # A first part > 12 anywhere means day-first; else a second part > 12 means m/d/y
        # (Google Forms); else the hint (the file's other evidence); else day-first, only assumed.
        if (a[dmy] > 12).any():
            day_first = True
        elif (b[dmy] > 12).any():
            day_first = False
        else:
            day_first, undecided = (True, True) if hint is None else (bool(hint), False)
    keep = iso | dmy
    day = np.where(iso, c, a if day_first else b)
    month = np.where(iso, b, b if day_first else a)
    _assemble(pos[keep], _take(g, keep), np.where(iso, a, c)[keep], month[keep], day[keep], ts, why)
    pending[pos[keep]] = False

    # Month names: "5 Maret 2024", "05-Agu-2024", "Selasa, 5 Maret 2024", "March 5, 2024".
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        pos, g = _extract(text, pending, pattern)
        which = pc.index_in(g["mon"], value_set=_MONTH_NAMES).to_numpy(zero_copy_only=False)
        keep = ~np.isnan(which.astype("float64"))
        g = _take(g, keep)
        month = _MONTH_NUMBERS[which[keep].astype(np.int64)]
        _assemble(pos[keep], g, _floats(g["y"]), month, _floats(g["d"]), ts, why)
        pending[pos[keep]] = False

    why[pending] = _UNREADABLE
    return day_first, undecided


_MONTH_WORD = re.compile(r"(?<![a-z])(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])")
_YEAR_WORD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def month_in_text(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) that a sheet name or a title line names: 'Januari', 'Feb 2024',
    '2024-03', '03/2024', 'Periode: Maret 2024'. None when it names no month or several."""
    low = " ".join(str(text).lower().split())
    m = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})(?![0-9])", low) or \
        re.search(r"(?<![0-9])([0-9]{1,2})[-/.]((?:19|20)[0-9]{2})(?![0-9])", low)
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        year, month = (first, second) if first > 99 else (second, first)
        return (year, month) if 1 <= month <= 12 else None
    months = {_MONTHS[w] for w in _MONTH_WORD.findall(low)}
    if len(months) != 1:
        return None
    years = set(_YEAR_WORD.findall(low))
    return (int(years.pop()) if len(years) == 1 else None), months.pop()


def years_in_text(text: str) -> set[int]:
    return {int(y) for y in _YEAR_WORD.findall(str(text))}


def date_order_evidence(values: pd.Series) -> bool | None:
    """Day-first (True) / month-first (False) as the cells' own form tells: 'PM' is an English
    export (m/d/y), a time written 14.02.11 an Indonesian one (d/m/y); None when they say nothing."""
    sample = values.dropna().astype("string").head(2000).str.lower()
    if sample.str.contains(r"[0-9] ?[ap]\.?m\.?(?:$| )", regex=True).any():
        return False
    if sample.str.contains(r"[0-9]{1,2}\.[0-9]{2}\.[0-9]{2}$", regex=True).any():
        return True
    return None


def _arrow_text(vals: pd.Series) -> pa.Array:
    """Cells as lower-cased, trimmed, single-spaced text (non-text cells through str())."""
    text = pa.array(vals.astype("str").array, pa.large_string())
    if isinstance(text, pa.ChunkedArray):  # a CSV read in chunks: one contiguous array for extract
        text = text.combine_chunks()
    text = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    if pc.any(pc.match_substring_regex(text, _ODD_SPACE)).as_py():  # rare: skip the costly rewrite
        text = pc.replace_substring_regex(text, _SPACES, " ")
    return text


def _extract(text: pa.Array, pending: np.ndarray, pattern: str
             ) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """Positions of pending rows whose text matches `pattern`, and the named groups of those rows."""
    rows = np.flatnonzero(pending)
    found = pc.extract_regex(text.filter(pa.array(pending)), pattern)
    ok = found.is_valid().to_numpy(zero_copy_only=False)
    found = found.filter(pa.array(ok))
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    return rows[ok], {name: found.field(name) for name in names}


def _take(groups: dict[str, pa.Array], keep: np.ndarray) -> dict[str, pa.Array]:
    mask = pa.array(keep)
    return {name: arr.filter(mask) for name, arr in groups.items()}


def _floats(arr: pa.Array) -> np.ndarray:
    """Digits as float64; groups that did not take part (empty text) become NaN."""
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)


def _assemble(rows: np.ndarray, g: dict[str, pa.Array], year, month, day,
              ts: np.ndarray, why: np.ndarray) -> None:
    """Timestamps from components (arrays aligned with `rows`); impossible ones get _NO_SUCH_DAY."""
    hour, minute, second = (np.nan_to_num(_floats(g[k])) for k in "HMS")
    ampm = g["P"].to_numpy(zero_copy_only=False)
    hour = np.where((ampm == "p") & (hour < 12), hour + 12,  # 2 pm -> 14, 12 am -> 0
                    np.where((ampm == "a") & (hour == 12), 0, hour))
    micro = _floats(pc.utf8_rpad(pc.utf8_slice_codeunits(g["F"], 0, 6), 6, "0"))  # ".5" = 500000 µs

    with np.errstate(invalid="ignore"):
        valid = ((year >= 1000) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
                 & (hour < 24) & (minute < 60) & (second < 60))
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype(np.int64).astype("M8[M]")
    date = months.astype("M8[D]") + np.where(valid, day - 1, 0).astype(np.int64).astype("m8[D]")
    valid &= date.astype("M8[M]") == months  # 31/02 would roll into March: reject instead
    micros = ((hour * 3600 + minute * 60 + second) * 1_000_000 + micro).astype(np.int64)
    ts[rows[valid]] = date[valid].astype("M8[us]") + micros[valid].astype("m8[us]")
    why[rows[~valid]] = _NO_SUCH_DAY


# --------------------------------------------------------------------------------------------
# Respondent profile
# --------------------------------------------------------------------------------------------

_GENDER = {
    **dict.fromkeys(["l", "lk", "laki", "lakilaki", "pria", "male", "m", "man", "cowok"], "L"),
    **dict.fromkeys(["p", "pr", "perempuan", "wanita", "female", "f", "woman", "w", "cewek"], "P"),
}


def normalize_gender(values: pd.Series) -> pd.Series:
    """'L', 'P' or <NA>."""
    return _map_unique(values, lambda v: _GENDER.get(re.sub(r"[^a-z]", "", str(v).lower())))


_AGE_BANDS = [(20, "<20"), (30, "20-29"), (40, "30-39"), (50, "40-49"), (60, "50-59"), (999, "60+")]
_BELOW = re.compile(r"^(?:<|≤|<=|kurang dari|di ?bawah|dibawah|under|below)")


def _age_band(v: object) -> str | None:
    """Years ('35', '35 tahun') or a band ('20-30 tahun', '> 50', '17 - 25'): band of its lower bound."""
    text = _norm(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        if not np.isfinite(v):
            return None
        text = str(int(v)) if float(v).is_integer() else str(v)
    m = re.search(r"\d+", text)
    if not m:
        return None
    if _BELOW.match(text):
        return "<20"  # "< 30" has no lower bound: any age under 30, so only "<20" is safe
    age = int(m.group())
    if not 10 <= age <= 120:
        return None  # "1", "2" are more likely option numbers than ages
    return next(label for upper, label in _AGE_BANDS if age < upper)


def normalize_age(values: pd.Series) -> pd.Series:
    """Age band '<20', '20-29', '30-39', '40-49', '50-59', '60+' or <NA>."""
    return _map_unique(values, _age_band)


_EDU_ORDER = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]
_EDU_WORDS = {
    **dict.fromkeys(["SD", "SEKOLAHDASAR", "MI", "SR"], "SD"),
    **dict.fromkeys(["SMP", "SLTP", "MTS", "SEKOLAHMENENGAHPERTAMA"], "SMP"),
    **dict.fromkeys(["SMA", "SLTA", "SMK", "SMU", "MA", "MAN", "MAK", "STM", "SMEA",
                     "SEKOLAHMENENGAHATAS", "SEKOLAHMENENGAHKEJURUAN"], "SMA"),
    **dict.fromkeys(["AHLIPRATAMA"], "D1"),
    **dict.fromkeys(["AHLIMUDA"], "D2"),
    **dict.fromkeys(["AHLIMADYA", "SARJANAMUDA"], "D3"),
    **dict.fromkeys(["SARJANATERAPAN", "STR"], "D4"),
    **dict.fromkeys(["SARJANA"], "S1"),
    **dict.fromkeys(["MAGISTER", "MASTER", "PASCASARJANA"], "S2"),
    **dict.fromkeys(["DOKTOR", "DOKTORAL", "PHD"], "S3"),
}
_ROMAN = {"1": 1, "I": 1, "2": 2, "II": 2, "3": 3, "III": 3, "4": 4, "IV": 4}


def _education_word(word: str) -> str | None:
    word = re.sub(r"^(LULUSAN|TAMATAN|TAMAT)|SEDERAJAT$", "", word)
    if word in _EDU_WORDS:
        return _EDU_WORDS[word]
    m = re.fullmatch(r"(D|DIPLOMA)(1|I|2|II|3|III|4|IV)", word)
    if m:
        return f"D{_ROMAN[m.group(2)]}"
    m = re.fullmatch(r"(S|STRATA)(1|I|2|II|3|III)", word)
    if m:
        return f"S{_ROMAN[m.group(2)]}"
    return None


def _education(v: object) -> str | None:
    """'Sarjana (S1)', 'SMA/SMK/Sederajat', 'D-IV': each alternative is read; the highest wins."""
    alternatives = re.split(r"[/()\\,;]|\bATAU\b", str(v).upper())
    found = {_education_word(re.sub(r"[^A-Z0-9]", "", alt)) for alt in alternatives} - {None}
    return max(found, key=_EDU_ORDER.index) if found else None


def normalize_education(values: pd.Series) -> pd.Series:
    """One of SD SMP SMA D1 D2 D3 D4 S1 S2 S3 or <NA>."""
    return _map_unique(values, _education)


def normalize_text(values: pd.Series) -> pd.Series:
    """Strip and collapse whitespace; blank -> <NA>. Text columns are rewritten by pyarrow in one pass
    (an id column has as many distinct values as rows); mixed cells go value by value."""
    if isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        cells = values.array if isinstance(values.dtype, pd.StringDtype) else values.to_numpy(dtype=object)
        text = pa.array(cells, type=pa.large_string(), from_pandas=True)
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        clean = _plain_ascii(text)       # None: not ASCII, the regex decides
        if clean is None:
            clean = not pc.any(pc.match_substring_regex(text, _NEEDS_CLEANING)).as_py()
        if not clean:                     # most columns: nothing to do
            text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _ANY_SPACES, " "))
        if clean is False or pc.any(pc.equal(pc.utf8_length(text), 0)).as_py():
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), text)
        return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)
    return _map_unique(values, lambda v: " ".join(_raw_text(v).split()) or None)


def _plain_ascii(text: pa.Array) -> bool | None:
    """For a column of printable ASCII, whether no cell needs cleaning (no edge or double space),
    from its bytes in a few vectorised passes (the regex costs ~0,15 s per million
    cells); None when the column is not all printable ASCII."""
    if text.null_count == len(text):
        return True
    offsets_buf, data_buf = text.buffers()[1], text.buffers()[2]
    if data_buf is None:
        return True
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[text.offset:text.offset + len(text) + 1]
    raw = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]:offsets[-1]]
    if raw.size and (raw.max() >= 128 or raw.min() < 32):
        return None              # not ASCII, or a control character (a tab, a line break): the regex decides
    space = raw == 32
    if (space[1:] & space[:-1]).any():
        return False             # a double space, or one cell's last space beside the next one's first
    starts, ends = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
    filled = ends > starts
    return not (space[starts[filled]].any() or space[ends[filled] - 1].any())


# Any run of whitespace, Unicode spaces (NBSP, thin space …) included, as str.split() sees it.
_ANY_SPACES = "[\\s\\pZ\x85\x1c-\x1f]+"
# A cell that normalize_text would change: edge space, double space, or any whitespace but ' '.
_NEEDS_CLEANING = "^ | $|  |[^ \\PZ]|[\\t\\n\\f\\r\\x0b\x85\x1c-\x1f]"


# --------------------------------------------------------------------------------------------
# Columns that nothing mapped
# --------------------------------------------------------------------------------------------

_ANSWER_MAX = 10      # the widest scale seen for these surveys (1–10)


def looks_like_answers(values: pd.Series, label_sets: dict[str, list[str]], not_answered) -> bool:
    """True when every filled cell of a column reads as a survey answer: a whole number 1–10, a
    number-prefixed label, or a label of a known set (and at least one cell is filled)."""
    values = values.dropna()
    if values.empty:
        return False
    if _is_numeric_dtype(values):
        arr = values.to_numpy(dtype="float64")
        return bool(np.all((arr == np.round(arr)) & (arr >= 1) & (arr <= _ANSWER_MAX)))
    na_keys = {_norm(x) for x in not_answered} | {""}
    known = {_norm(lab) for labels in label_sets.values() for lab in labels}
    seen = False
    for value in pd.unique(values.to_numpy(dtype=object)):
        tok = _classify(value, na_keys)
        if tok[0] == "na":
            continue
        if tok[0] == "num" and not (float(tok[1]).is_integer() and 1 <= tok[1] <= _ANSWER_MAX):
            return False
        if tok[0] == "prefixed" and not 1 <= tok[1] <= _ANSWER_MAX:
            return False
        if tok[0] == "label" and tok[1] not in known:
            return False
        seen = True
    return seen
