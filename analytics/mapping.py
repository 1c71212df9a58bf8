"""Stage 2 of an import: decide what every column of a sheet is (an item, a field, or nothing)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analytics.instruments import Registry

# Respondent fields and the headers that name them (normalised: lower case, single spaces).
FIELD_HEADERS = {
    "office": ["kantor", "office", "unit kerja", "satker", "satuan kerja", "upt", "nama kantor",
               "unit layanan", "nama unit", "unit"],
    "date": ["tanggal", "date", "timestamp", "cap waktu", "waktu", "tanggal survei", "tanggal survey",
             "tgl", "tanggal pengisian", "waktu pengisian"],
    "respondent_id": ["id responden", "id", "respondent id", "no responden", "nomor responden",
                      "kode responden"],
    "gender": ["jenis kelamin", "jk", "gender", "kelamin", "l/p"],
    "age": ["usia", "umur", "age"],
    "education": ["pendidikan", "pendidikan terakhir", "education"],
    "occupation": ["pekerjaan", "occupation", "profesi"],
    "service_type": ["jenis layanan", "layanan", "jenis pelayanan", "service", "layanan yang diterima"],
    "saran": ["saran", "masukan", "saran/masukan", "saran dan masukan", "kritik dan saran",
              "saran masukan", "komentar"],
}
ROW_NUMBER_HEADERS = {"no", "no.", "nomor", "#"}


class MappingError(Exception):
    """The sheet's columns cannot be mapped unambiguously; the message names the columns."""


@dataclass
class ColumnMap:
    items: dict[int, tuple[str, int]] = field(default_factory=dict)   # position → (instrument, item no)
    fields: dict[str, int] = field(default_factory=dict)              # field name → position
    ignored: list[tuple[int, str, str]] = field(default_factory=list) # (position, header, reason)

    def instruments(self) -> list[str]:
        return sorted({inst for inst, _ in self.items.values()})


def normalize_header(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower())


def _statement_key(text: str) -> str:
    """Statement text for matching: no leading number, no punctuation, lower case."""
    text = re.sub(r"^\s*\d+\s*[.)]\s*", "", str(text))
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def _code_match(header: str, registry: Registry) -> list[tuple[str, int]]:
    """Instruments whose code prefix matches the header (IKM1, IKM 01, U_1 …), with the item number."""
    match = re.fullmatch(r"([a-z]+)[\s_.\-]*0*(\d+)", normalize_header(header))
    if not match:
        return []
    prefix, number = match.group(1), int(match.group(2))
    return [(inst.id, number) for inst in registry.instruments.values()
            if prefix in (p.lower() for p in inst.code_prefixes) and 1 <= number <= inst.k]


def map_columns(headers: list[str], registry: Registry, instrument: str | None = None) -> ColumnMap:
    """Map every header; ambiguous code prefixes are resolved by column count or `instrument`."""
    statements = {_statement_key(item.statement): (inst.id, item.no)
                  for inst in registry.instruments.values() for item in inst.items}
    field_of = {h: name for name, hs in FIELD_HEADERS.items() for h in hs}
    result = ColumnMap()
    candidates: dict[int, list[tuple[str, int]]] = {}
    for pos, header in enumerate(headers):
        norm = normalize_header(header)
        if not norm or norm.startswith("unnamed:"):
            result.ignored.append((pos, header, "kolom tanpa judul"))
        elif norm in field_of and field_of[norm] not in result.fields:
            result.fields[field_of[norm]] = pos
        elif norm in ROW_NUMBER_HEADERS:
            result.ignored.append((pos, header, "nomor urut"))
        elif matches := _code_match(header, registry):
            candidates[pos] = matches
        elif (key := _statement_key(header)) in statements:
            candidates[pos] = [statements[key]]
        else:
            result.ignored.append((pos, header, "tidak cocok dengan item atau kolom yang dikenal"))
    _resolve_shared_prefixes(candidates, headers, registry, instrument)
    seen: dict[tuple[str, int], int] = {}
    for pos, matches in candidates.items():
        target = matches[0]
        if target in seen:
            inst = registry.get(target[0])
            raise MappingError(f"kolom '{headers[seen[target]]}' dan '{headers[pos]}' sama-sama dibaca "
                               f"sebagai {inst.item(target[1]).code} ({inst.index_name}); hapus salah satunya")
        seen[target] = pos
        result.items[pos] = target
    return result


def _resolve_shared_prefixes(candidates, headers, registry, instrument) -> None:
    """A prefix such as 'U' serves IKM (U1–U21) and SKM (U1–U9): decide once for all such columns."""
    shared = {pos: m for pos, m in candidates.items() if len(m) > 1}
    if not shared:
        return
    options = sorted({inst for m in shared.values() for inst, _ in m})
    if instrument in options:
        chosen = instrument
    else:
        count = len(shared)
        fitting = [i for i in options if registry.get(i).k == count]
        if len(fitting) != 1:
            cols = ", ".join(headers[p] for p in list(shared)[:5])
            raise MappingError(f"kolom {cols} … bisa milik {' atau '.join(options)}; "
                               f"sebutkan instrumennya (--instrument {options[0]})")
        chosen = fitting[0]
    for pos, matches in shared.items():
        picked = [m for m in matches if m[0] == chosen]
        if picked:
            candidates[pos] = picked
        else:
            del candidates[pos]
