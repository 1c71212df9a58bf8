"""Stage 2 of an import: decide what every column of a sheet is (an item, a field, or nothing).

A header names an item by its code (`IKM1`, `U01`, `IKM_1`, `SPKP 3`, generic `P1`/`Q1`/`1`) or by
its statement, written in full, numbered, decorated the Google-Forms way ("Bagaimana pendapat
Saudara tentang … [Informasi …]") or slightly reworded (fuzzy match with a margin). Every column ends
up mapped or in `ignored` with a reason; two columns on one item stop the import.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from analytics import settings
from analytics.domain.instruments import Registry
from analytics.errors import InputError, Join

# Respondent fields and the headers that name them (compared after _field_key).
FIELD_HEADERS = {
    "office": ["kantor", "office", "unit kerja", "satker", "satuan kerja", "upt", "nama kantor",
               "unit layanan", "nama unit", "unit", "nama satker", "nama upt", "unit pelayanan",
               "nama unit kerja", "kantor layanan", "lokasi layanan", "satuan kerja upt"],
    "date": ["tanggal", "date", "timestamp", "cap waktu", "waktu", "tanggal survei", "tanggal survey",
             "tgl", "tanggal pengisian", "waktu pengisian", "tgl survei", "tanggal layanan",
             "tanggal pelayanan", "tanggal kunjungan", "tanggal dan waktu", "tanggal waktu",
             "waktu survei", "submitted at", "submission date", "tanggal isi", "tanggal input",
             "completion time", "waktu selesai", "end", "submissiondate", "submitdate", "date submitted"],
    "respondent_id": ["id responden", "id", "respondent id", "no responden", "nomor responden",
                      "kode responden", "response id", "id respon"],
    "gender": ["jenis kelamin", "jk", "gender", "kelamin", "l p", "sex"],
    "age": ["usia", "umur", "age", "usia tahun", "kelompok usia", "kelompok umur"],
    "education": ["pendidikan", "pendidikan terakhir", "education", "tingkat pendidikan"],
    "occupation": ["pekerjaan", "occupation", "profesi", "pekerjaan utama"],
    "service_type": ["jenis layanan", "layanan", "jenis pelayanan", "service", "layanan yang diterima",
                     "layanan yang digunakan", "jenis layanan yang diterima", "pelayanan yang diterima"],
    "kanwil": ["kanwil", "kantor wilayah", "nama kanwil", "wilayah", "kanwil kemenkumham"],
    "saran": ["saran", "masukan", "saran masukan", "saran dan masukan", "kritik dan saran",
              "komentar", "kritik saran", "saran kritik", "saran dan kritik", "kritik saran dan masukan",
              "pesan dan kesan", "harapan"],
}
ROW_NUMBER_HEADERS = {"no", "nomor", "no urut", "nomor urut", "#"}
PERSONAL_HEADERS = {"nama", "nama responden", "nama lengkap", "email", "e mail", "alamat email",
                    "email address", "alamat e mail", "no hp", "nomor hp", "no telp", "no telepon",
                    "nomor telepon", "telepon", "no wa", "nomor whatsapp", "no whatsapp", "alamat",
                    "nik", "no ktp", "tanda tangan", "paraf"}
COMPUTED_HEADERS = {"jumlah", "total", "skor", "skor total", "rata rata", "rerata", "nilai", "nrr",
                    "jumlah nilai", "nilai rata rata"}
# Code prefixes that name no instrument: the instrument follows from --instrument or the column count.
GENERIC_PREFIXES = {"p", "q", "pertanyaan", "soal", "butir", "item", "unsur", "pernyataan"}
# Question wording around a statement ("Bagaimana pendapat Saudara tentang …", "Menurut Anda, …").
_QUESTION_PREFIX = re.compile(
    r"^(?:(?:bagaimana|bagamana)\s+(?:pendapat|penilaian|pemahaman|tanggapan|persepsi)\s+"
    r"(?:saudara|anda|bapak\s+ibu|bapak\s+ibu\s+saudara\s+i|sdr)\s*(?:i\s+)?(?:tentang|terhadap|mengenai)?"
    r"|menurut\s+(?:saudara|anda|bapak\s+ibu)(?:\s+apakah)?|apakah|penilaian\s+(?:atas|terhadap)"
    r"|(?:tingkat\s+)?(?:kepuasan|persetujuan)\s+(?:saudara|anda)\s+(?:tentang|terhadap|atas)"
    r"|pernyataan)\s+")
_ABBREVIATIONS = {"yg": "yang", "dgn": "dengan", "tdk": "tidak", "utk": "untuk", "dlm": "dalam",
                  "dg": "dengan", "pd": "pada", "sdh": "sudah", "krn": "karena", "tsb": "tersebut",
                  "pelyanan": "pelayanan"}
# SKM (PermenPANRB 14/2017) columns are often headed by the unsur's short name or the sample
# questionnaire's question. Matched by text, so the U8/U9 order of a file does not matter.
SKM_ALIASES = {
    1: ["persyaratan pelayanan", "kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
        "kesesuaian persyaratan"],
    2: ["prosedur", "prosedur pelayanan", "sistem mekanisme prosedur", "kemudahan prosedur pelayanan",
        "kemudahan prosedur pelayanan di unit ini", "sistem mekanisme dan prosedur pelayanan"],
    3: ["waktu penyelesaian pelayanan", "waktu pelayanan", "kecepatan waktu pelayanan",
        "kecepatan waktu dalam memberikan pelayanan", "kecepatan pelayanan"],
    4: ["biaya", "tarif", "biaya tarif", "biaya tarif pelayanan", "kewajaran biaya tarif dalam pelayanan",
        "kewajaran biaya tarif"],
    5: ["produk", "produk layanan", "produk pelayanan", "produk spesifikasi jenis layanan",
        "kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan",
        "kesesuaian produk pelayanan"],
    6: ["kompetensi", "kompetensi petugas", "kompetensi pelaksana pelayanan",
        "kompetensi kemampuan petugas dalam pelayanan", "kemampuan petugas"],
    7: ["perilaku", "perilaku petugas", "perilaku pelaksana pelayanan", "kesopanan dan keramahan petugas",
        "perilaku petugas dalam pelayanan terkait kesopanan dan keramahan"],
    8: ["pengaduan", "penanganan pengaduan", "penanganan pengaduan pengguna layanan",
        "penanganan pengaduan saran dan masukan pengguna layanan"],
    9: ["sarana", "sarana prasarana", "sarpras", "kualitas sarana dan prasarana", "sarana dan prasarana pelayanan"],
}
# Words that carry no meaning for matching (never "tidak"/"ada": they flip a statement).
_STOPWORDS = {"dan", "yang", "dengan", "di", "ke", "dari", "untuk", "dalam", "atau", "tentang", "terhadap",
              "pada", "oleh", "dapat", "sudah", "telah", "ini", "itu", "secara", "apabila", "sangat"}
# Fuzzy thresholds (fuzzy_min, fuzzy_margin, fuzzy_hint): analytics/settings.py.
USER_IGNORED = "diabaikan atas permintaan pengguna"
# Headers that are known not to be answers (and need no look at their cells).
OTHER_HEADERS = {"start time": "waktu mulai mengisi (tanggal respons = Completion time)",
                 "waktu mulai": "waktu mulai mengisi (tanggal respons = waktu selesai)",
                 "last modified time": "waktu terakhir diubah", "name": "data pribadi responden, tidak diimpor",
                 "start": "waktu mulai mengisi (tanggal respons = end)", "deviceid": "data perangkat",
                 "uuid": "kode perangkat", "instanceid": "kode perangkat", "submission time": "waktu kirim ke server",
                 "version": "versi formulir", "status": "status formulir", "ip address": "data perangkat",
                 "wilayah": "kolom Kanwil (tingkat wilayah), bukan kantor"}


class MappingError(InputError):
    """The sheet's columns cannot be mapped unambiguously; the message names the columns."""


@dataclass
class ColumnMap:
    items: dict[int, tuple[str, int]] = field(default_factory=dict)   # position → (instrument, item no)
    fields: dict[str, int] = field(default_factory=dict)              # field name → position
    ignored: list[tuple[int, str, str]] = field(default_factory=list) # (position, header, reason)
    notes: list[str] = field(default_factory=list)                    # fuzzy matches worth a look
    suspect: set[int] = field(default_factory=set)   # ignored for want of a match: its cells decide
    office_candidates: list[int] = field(default_factory=list)        # every office-like column

    def instruments(self) -> list[str]:
        return sorted({inst for inst, _ in self.items.values()})


@dataclass(frozen=True)
class HeaderMatch:
    """What one header names, before the columns of a sheet are decided together."""
    targets: tuple[tuple[str, int], ...] = ()   # (instrument, item) candidates; >1 only for codes
    prefix: str | None = None                   # code prefix ("u", "p", "" for a bare number)
    field: str | None = None
    reason: str | None = None                   # why the column is ignored
    fuzzy: float | None = None                  # similarity when matched by a reworded statement
    number: int | None = None                   # the code's number, also when out of every range

    @property
    def is_item(self) -> bool:
        return bool(self.targets)


def normalize_header(text) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower())


def _words(text: str) -> str:
    """Lower-case words without punctuation, abbreviations written out."""
    words = re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _field_key(text: str) -> str:
    """'Usia (tahun) *' → 'usia tahun'; 'L/P' → 'l p'."""
    return _words(re.sub(r"\[[^\]]*\]", " ", str(text)))


def _statement_key(text: str) -> str:
    """Statement text for matching: no leading number, no question wording, no punctuation."""
    text = re.sub(r"^\s*(?:\(\d+\)|\d+(?:\s*[.):\-])?)\s*", "", str(text).strip().lower())
    key = _words(text)
    return _QUESTION_PREFIX.sub("", key + " ").strip()


def _statement_candidates(header: str) -> list[str]:
    """The texts a header may carry a statement in: whole, without or inside `[…]`, before a '?'."""
    texts = [header]
    brackets = re.findall(r"\[([^\]]*)\]", header)
    if brackets:
        texts.append(re.sub(r"\[[^\]]*\]", " ", header))
        texts.extend(brackets)
    if "?" in header:
        texts.extend(part for part in header.split("?") if part.strip())
    keys = []
    for text in texts:
        key = _statement_key(text)
        if key and key not in keys:
            keys.append(key)
    return keys


class _Matcher:
    """Statement/alias tables of one registry and a cache of header → HeaderMatch."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.statements: dict[str, tuple[str, int]] = {}
        for inst in registry.instruments.values():
            for item in inst.items:
                self.statements[_statement_key(item.statement)] = (inst.id, item.no)
        if "skm" in registry.instruments:
            for no, aliases in SKM_ALIASES.items():
                for alias in aliases:
                    self.statements.setdefault(_statement_key(alias), ("skm", no))
        self.long_keys = sorted((k for k in self.statements if len(k.split()) >= 3), key=len, reverse=True)
        self.fields = {_field_key(h): name for name, hs in FIELD_HEADERS.items() for h in hs}
        self.prefixes: dict[str, list[str]] = {}
        for inst in registry.instruments.values():
            for prefix in inst.code_prefixes:
                self.prefixes.setdefault(prefix.lower(), []).append(inst.id)
        self.cache: dict[tuple[str, bool], HeaderMatch] = {}

    def match(self, header: str, fuzzy: bool = True) -> HeaderMatch:
        key = (header, fuzzy)
        if key not in self.cache:
            if len(self.cache) > 100_000:     # header scoring also sees data cells: stay bounded
                self.cache.clear()
            self.cache[key] = self._match(header, fuzzy)
        return self.cache[key]

    def _match(self, header: str, fuzzy: bool) -> HeaderMatch:
        norm = normalize_header(header)
        fkey = _field_key(header)
        if not norm or norm.startswith("unnamed:") or not fkey:
            return HeaderMatch(reason="kolom tanpa judul")
        if fkey in self.fields:
            return HeaderMatch(field=self.fields[fkey])
        if fkey in ROW_NUMBER_HEADERS:
            return HeaderMatch(reason="nomor urut")
        if fkey in OTHER_HEADERS:
            return HeaderMatch(reason=OTHER_HEADERS[fkey])
        if fkey in PERSONAL_HEADERS:
            return HeaderMatch(reason="data pribadi responden, tidak diimpor")
        if fkey in COMPUTED_HEADERS:
            return HeaderMatch(reason="kolom hitungan (jumlah/rata-rata), tidak diimpor")
        code = self._code(norm, fuzzy)
        if code:
            return code
        return self._statement(header, fuzzy)

    def _code(self, norm: str, fuzzy: bool) -> HeaderMatch | None:
        """'IKM1', 'U 01', 'IKM_1', 'P1', '7', or 'U8 Sarana dan Prasarana' (the text wins); also an
        instrument before the code ('SKM U1', 'IKM P3'), KoboToolbox/ODK group paths
        ('grp_ikm/ikm_01', 'ikm/q3') and LimeSurvey subquestions ('IKM[SQ001]')."""
        within = None
        path = re.fullmatch(r"([\w.\-]+/)+([\w.\-]+)", norm)
        if path:
            groups = norm.split("/")[:-1]
            norm = path.group(2)
            named = [p for g in groups for p in re.split(r"[_.\-]", g) if p in self.prefixes]
            if named:
                within = set(self.prefixes[named[-1]])
        lime = re.fullmatch(r"([a-z]+)\[(?:sq)?0*(\d{1,3})\]", norm)
        if lime:
            norm = f"{lime.group(1)}{lime.group(2)}"
        lead = re.fullmatch(r"([a-z]+)[\s_.\-]+([a-z]+[\s_.\-]*\d.*)", norm)
        if lead and lead.group(1) in self.prefixes:
            inner = re.match(r"[a-z]+", lead.group(2)).group(0)
            if inner in GENERIC_PREFIXES or inner in self.prefixes:
                owners = set(self.prefixes[lead.group(1)])
                within = owners if within is None else within & owners
                norm = lead.group(2)
        m = re.fullmatch(r"([a-z]*)[\s_.\-]*0*(\d{1,3})(?!\d)(?:\s*[.):\-–]\s*|\s+)?(.*)", norm)
        if not m:
            return None
        prefix, number, rest = m.group(1), int(m.group(2)), m.group(3).strip()
        if prefix in self.prefixes:
            owners = self.prefixes[prefix]
        elif prefix in GENERIC_PREFIXES or prefix == "":
            owners = list(self.registry.instruments)
        else:
            return None
        if within is not None:
            owners = [i for i in owners if i in within]
            if not owners:
                return None
        if prefix == "" and rest:
            return None           # "1. Informasi …" is a numbered statement, not a code
        targets = tuple((i, number) for i in owners if 1 <= number <= self.registry.get(i).k)
        if rest and re.search(r"[a-z]{3}", rest):
            by_text = self._statement(rest, fuzzy)
            if by_text.is_item and by_text.targets[0][0] in owners:
                return HeaderMatch(targets=by_text.targets, prefix=prefix, fuzzy=by_text.fuzzy)
        if not targets:
            return HeaderMatch(reason=f"nomor item {number} di luar jumlah item instrumen", prefix=prefix,
                               number=number)
        return HeaderMatch(targets=targets, prefix=prefix, number=number)

    def _statement(self, header: str, fuzzy: bool) -> HeaderMatch:
        keys = _statement_candidates(header)
        for key in keys:
            if key in self.statements:
                return HeaderMatch(targets=(self.statements[key],))
        for key in keys:
            contained = self._contained(key)
            if contained:
                return HeaderMatch(targets=(contained,))
        if not fuzzy:
            return HeaderMatch(reason="tidak cocok dengan item atau kolom yang dikenal")
        return self._fuzzy(keys)

    def _contained(self, key: str) -> tuple[str, int] | None:
        """The longest statement (≥ 3 words) that the header contains whole; None if a tie."""
        padded = f" {key} "
        found = [k for k in self.long_keys if f" {k} " in padded and _negations(k) == _negations(key)]
        if not found:
            return None
        longest = [k for k in found if len(k) == len(found[0])]
        targets = {self.statements[k] for k in longest}
        return targets.pop() if len(targets) == 1 else None

    def _fuzzy(self, keys: list[str]) -> HeaderMatch:
        best: dict[tuple[str, int], float] = {}
        for key in keys:
            if len(key.split()) < 3:
                continue
            for statement, target in self.statements.items():
                if _negations(key) != _negations(statement):
                    continue      # "Ada diskriminasi" is the opposite of "Tidak ada diskriminasi"
                ratio = max(_letter_similarity(key, statement), _word_similarity(key, statement))
                if ratio > best.get(target, 0.0):
                    best[target] = ratio
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked:
            return HeaderMatch(reason="tidak cocok dengan item atau kolom yang dikenal")
        (target, ratio), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if ratio >= settings.get("fuzzy_min") and ratio - runner_up >= settings.get("fuzzy_margin"):
            return HeaderMatch(targets=(target,), fuzzy=ratio)
        if ratio < settings.get("fuzzy_hint"):
            return HeaderMatch(reason="tidak cocok dengan item atau kolom yang dikenal")
        inst = self.registry.get(target[0])
        return HeaderMatch(reason=f"tidak cocok dengan item atau kolom yang dikenal (paling mirip "
                                  f"{inst.item(target[1]).code}, {ratio:.0%} — terlalu jauh untuk dipastikan)")


def _letter_similarity(a: str, b: str) -> float:
    """difflib ratio (typos, small edits); the cheap upper bounds skip hopeless pairs."""
    matcher, hint = difflib.SequenceMatcher(None, a, b, autojunk=False), settings.get("fuzzy_hint")
    if matcher.real_quick_ratio() < hint or matcher.quick_ratio() < hint:
        return 0.0
    return matcher.ratio()


def _negations(text: str) -> int:
    return sum(word in ("tidak", "bukan", "tanpa", "belum", "non") for word in text.split())


def _word_similarity(a: str, b: str) -> float:
    """Dice overlap of meaningful words (reordered or dropped filler words)."""
    wa, wb = set(a.split()) - _STOPWORDS, set(b.split()) - _STOPWORDS
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


_MATCHERS: dict[int, _Matcher] = {}


def matcher_for(registry: Registry) -> _Matcher:
    found = _MATCHERS.get(id(registry))
    if found is None or found.registry is not registry:
        found = _MATCHERS[id(registry)] = _Matcher(registry)
    return found


def match_header(header, registry: Registry, fuzzy: bool = True) -> HeaderMatch:
    return matcher_for(registry).match(_cell_text(header), fuzzy)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def header_score(cells, registry: Registry, fuzzy: bool = False) -> int:
    """How much a row looks like the header: cells naming an item or a field. Bare numbers do not
    count (a row of column numbers "1 2 3 …" under the header is not the header)."""
    score = 0
    for cell in cells:
        if not isinstance(cell, str) or not re.search(r"[A-Za-z]", cell):
            continue
        match = match_header(cell, registry, fuzzy)
        score += bool(match.field or match.is_item)
    return score


def map_columns(headers: list[str], registry: Registry, instrument: str | None = None,
                ignore=()) -> ColumnMap:
    """Map every header; codes shared by several instruments are decided per prefix group by
    `instrument`, by text matches in the group, by the column count, or — one generic run over two
    instruments (P1…P29 = IKM 21 + IPK 8) — by the counts of a ZI pair. Headers named in `ignore`
    are ignored as the user asked. Columns ignored for want of a match are `suspect`: the importer
    refuses the file when their cells look like answers."""
    result = ColumnMap()
    candidates: dict[int, HeaderMatch] = {}
    skip = {normalize_header(h) for h in ignore or ()}
    out_of_range: dict[int, HeaderMatch] = {}
    for pos, header in enumerate(headers):
        if normalize_header(header) in skip and normalize_header(header):
            result.ignored.append((pos, header, USER_IGNORED))
            continue
        match = match_header(header, registry)
        if match.field == "office":
            result.office_candidates.append(pos)
        if match.field and match.field not in result.fields:
            result.fields[match.field] = pos
        elif match.field:
            first = headers[result.fields[match.field]]
            result.ignored.append((pos, header, f"kolom {match.field} kedua; yang dipakai: '{first}'"))
        elif match.is_item:
            candidates[pos] = match
        else:
            if match.number is not None:
                out_of_range[pos] = match
            result.ignored.append((pos, header, match.reason or "tidak dikenal"))
            if _is_suspect(match.reason):
                result.suspect.add(pos)
    chosen = _split_generic_run(candidates, out_of_range, headers, registry, instrument, result)
    if chosen:
        taken = set(chosen)
        result.ignored = [entry for entry in result.ignored if entry[0] not in taken]
        result.suspect -= taken
        candidates = {p: m for p, m in candidates.items() if p not in taken}
    chosen.update(_resolve_codes(candidates, headers, registry, instrument))
    seen: dict[tuple[str, int], int] = {}
    for pos in sorted(chosen):
        target = chosen[pos]
        if target in seen:
            inst = registry.get(target[0])
            raise MappingError("duplicate_item", first=headers[seen[target]], second=headers[pos],
                               code=inst.item(target[1]).code, index=inst.index_name)
        seen[target] = pos
        result.items[pos] = target
        if pos in candidates and candidates[pos].fuzzy is not None:
            inst = registry.get(target[0])
            result.notes.append(f"kolom '{headers[pos]}' dibaca sebagai {inst.item(target[1]).code} "
                                f"\"{inst.item(target[1]).statement}\" (kemiripan {candidates[pos].fuzzy:.0%})")
    return result


def _is_suspect(reason: str | None) -> bool:
    """Ignored because nothing matched (not a row number, personal data, a sum or a second field)."""
    return bool(reason) and (reason.startswith(("tidak cocok", "nomor item", "kolom tanpa judul")))


def _split_generic_run(candidates, out_of_range, headers, registry: Registry, instrument, result
                       ) -> dict[int, tuple[str, int]]:
    """A generic run 1…N (P1…P29, Q1…Q13, 1…17) whose length is the item count of exactly one ZI pair
    (service + anticorruption, e.g. IKM 21 + IPK 8): the first items are the service instrument's,
    the rest the anticorruption instrument's, in the order the pair is run."""
    chosen: dict[int, tuple[str, int]] = {}
    runs: dict[str, list[tuple[int, int]]] = {}
    for pos, match in list(candidates.items()) + list(out_of_range.items()):
        prefix = match.prefix if match.prefix is not None else None
        if prefix is None or not (prefix in GENERIC_PREFIXES or prefix == "") or match.number is None:
            continue
        if match.is_item and len(match.targets) == 1 and match.fuzzy is None and match.prefix is None:
            continue
        runs.setdefault(prefix, []).append((match.number, pos))
    pairs = {tuple(p) for rules in registry.rules.values() for p in rules.pairs
             if all(i in registry.instruments for i in p)}
    for prefix, found in runs.items():
        numbers = sorted(n for n, _ in found)
        if numbers != list(range(1, len(numbers) + 1)):
            continue
        fitting = [p for p in pairs if sum(registry.get(i).k for i in p) == len(numbers)
                   and (instrument is None or instrument in p)]
        if len(fitting) != 1:
            continue
        first, second = fitting[0]
        k1 = registry.get(first).k
        for number, pos in sorted(found):
            chosen[pos] = (first, number) if number <= k1 else (second, number - k1)
        by_number = {n: p for n, p in found}
        result.notes.append(
            f"kolom {headers[by_number[1]]}…{headers[by_number[k1]]} dibaca sebagai {first.upper()} 1–{k1}, "
            f"{headers[by_number[k1 + 1]]}…{headers[by_number[len(numbers)]]} sebagai {second.upper()} "
            f"1–{len(numbers) - k1} (nomor berurutan {len(numbers)} kolom = {first.upper()} {k1} + "
            f"{second.upper()} {len(numbers) - k1})")
    return chosen


def _resolve_codes(candidates: dict[int, HeaderMatch], headers, registry: Registry,
                   instrument: str | None) -> dict[int, tuple[str, int]]:
    """One (instrument, item) per column. Columns with one candidate keep it; code columns are decided
    per prefix group ('U1'…'U21' together), never column by column."""
    chosen = {pos: m.targets[0] for pos, m in candidates.items() if len(m.targets) == 1}
    groups: dict[str, list[int]] = {}
    for pos, match in candidates.items():
        if len(match.targets) > 1:
            groups.setdefault(match.prefix or "", []).append(pos)
    for prefix, positions in groups.items():
        options = set.intersection(*({i for i, _ in candidates[p].targets} for p in positions))
        inst = _pick_instrument(sorted(options), positions, candidates, chosen, registry, instrument)
        if inst is None:
            cols = ", ".join(str(headers[p]) for p in positions[:5])
            more = " …" if len(positions) > 5 else ""
            first = sorted(options)[0]
            raise MappingError("ambiguous_instrument", hint="instrument", columns=cols + more,
                               options=Join(sorted(options), "or"), instrument=first,
                               example=(registry.get(first).code_prefixes or [first])[0].upper())
        for pos in positions:
            chosen[pos] = next(t for t in candidates[pos].targets if t[0] == inst)
    return chosen


def _pick_instrument(options: list[str], positions, candidates, chosen, registry, instrument) -> str | None:
    if len(options) == 1:
        return options[0]
    if instrument in options:
        return instrument
    # Same-prefix columns matched by their text ("U1 Persyaratan") tell which instrument it is.
    prefix = candidates[positions[0]].prefix
    by_text = {chosen[p][0] for p, m in candidates.items() if len(m.targets) == 1 and m.prefix == prefix}
    if len(by_text & set(options)) == 1:
        return (by_text & set(options)).pop()
    fitting = [i for i in options if registry.get(i).k == len(positions)]
    return fitting[0] if len(fitting) == 1 else None

