"""How office names match: the key that makes spellings of one office equal (case, spacing,
punctuation, Kanim/Kls/IIA and the other abbreviations exports use)."""
from __future__ import annotations

import re
from functools import lru_cache

# Long forms and abbreviations that name the same thing; applied in order to lower-cased text whose
# punctuation is already spaces. Class numbers are Roman after "kelas": "Kls 2 A" = "Kelas IIA".
_PHRASES = [
    (r"\bkanim\b", "kantor imigrasi"),
    (r"\bkantor wilayah\b", "kanwil"),
    (r"\b(kementerian hukum dan (hak asasi manusia|ham)|kemenkumham|kemkumham)\b", "kemenkumham"),
    (r"\blembaga pemasyarakatan perempuan\b|\blpp\b", "lapas perempuan"),
    (r"\blembaga pemasyarakatan narkotika\b|\blpn\b", "lapas narkotika"),
    (r"\blembaga pemasyarakatan\b", "lapas"),
    (r"\blembaga pembinaan khusus anak\b", "lpka"),
    (r"\brumah tahanan( negara)?\b", "rutan"),
    (r"\bbalai pemasyarakatan\b", "bapas"),
    (r"\brumah penyimpanan benda sitaan( negara)?\b", "rupbasan"),
    (r"\b(kls|klas|kl)\b", "kelas"),
    (r"\bnon ?tpi\b", "nontpi"),
    (r"\bkelas ([1-4]|iv|iii|ii|i)(?: ?(a|b))?\b",              # "2 A", "II A", "2A" = "IIA"
     lambda m: f"kelas {_ROMAN.get(m.group(1), m.group(1))}{m.group(2) or ''}"),
]
_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}


@lru_cache(maxsize=65536)        # called per row by the importer; exports repeat a few names
def name_key(name: str) -> str:
    """A matching key: case, spacing, punctuation and common abbreviations do not matter."""
    text = re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()
    for pattern, repl in _PHRASES:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\s+", " ", text).strip()
