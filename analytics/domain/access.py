"""Who may see what: roles, the Principal (an account or a share link), the ONE scope function, link
validity, lockout backoff and password hashing. No I/O: the store (analytics/store/access.py) reads
and writes the rows, the UI (ui/session.py, ui/web.py) asks these rules.

Fail closed: an unknown role, a missing principal or an office list that matches nothing gives the
EMPTY scope (no office, no page), never everything. See docs/security.md.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("admin", "kanwil", "office")          # account roles; a guest is a share link, not an account
DATA_PAGES = ("ringkasan", "tren", "unsur", "kesiapan")
GUEST_PAGES = DATA_PAGES + ("laporan", "metode")    # what a link may open (read-only pages)
# Integritas (response-integrity signals, "perlu klarifikasi") is for Kanwil monev: admin and kanwil
# only (docs/security.md says why). Laporan also for office users (their office + the Kanwil's pooled
# figure, reviewed saran only, no integrity section) and for guests whose link allows downloads (the
# link's offices, months and instruments; figures from fewer than small_sample respondents blanked as
# "data belum cukup", reviewed saran only): the page exists to hand out files, so without download
# rights a link does not get it.
ALL_PAGES = DATA_PAGES + ("laporan", "integritas", "unggah", "bagikan", "audit", "metode")   # kanwil
ADMIN_PAGES = ALL_PAGES + ("pengguna",)        # the users page: admin only
MAX_LINK_DAYS = 90
DEFAULT_LINK_DAYS = 14
# Columns that describe a respondent: never in anything a guest receives (respondents table fields,
# rejected rows' original cells).
PERSONAL_FIELDS = frozenset({"respondent_id", "external_id", "gender", "gender_raw", "age_band", "age_raw",
                             "education", "education_raw", "occupation", "service_type", "saran",
                             "row_data", "response_date", "response_ts", "source_row"})


@dataclass(frozen=True)
class Principal:
    """Whoever is looking: an account (admin/kanwil/office) or a guest holding a share link."""
    role: str                                   # 'admin' | 'kanwil' | 'office' | 'guest'
    name: str                                   # username, or the link's label for a guest
    user_id: int | None = None                  # the account; for a guest the link's creator
    display_name: str = ""
    kanwils: tuple[str, ...] = ()               # role kanwil
    offices: tuple[int, ...] = ()               # role office: its offices; guest: the link's offices
    can_upload: bool = False                    # role office: allowed by the admin
    link_id: int | None = None                  # guest only, and the rest of the link's scope:
    instruments: tuple[str, ...] = ()
    month_from: date | None = None
    month_to: date | None = None
    pages: tuple[str, ...] = ()
    downloads: bool = False
    expires_at: datetime | None = None

    @property
    def is_guest(self) -> bool:
        return self.role == "guest"

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        return f"guest:{self.name}" if self.is_guest else self.name


@dataclass(frozen=True)
class Scope:
    """What a principal may see. `offices` are the offices whose rows and names may be shown; `pool`
    (⊇ offices) the offices that may be pooled into one unnamed comparison figure (an office user's
    Kanwil). Months [start, end] inclusive (None = unbounded); instruments None = all."""
    offices: tuple[int, ...] = ()
    pool: tuple[int, ...] = ()
    start: date | None = None
    end: date | None = None
    instruments: tuple[str, ...] | None = ()
    pages: tuple[str, ...] = ()
    can_upload: bool = False
    can_delete: bool = False
    can_share: bool = False
    audit_all: bool = False                     # the whole audit log (admin); else only own entries
    office_master: bool = False                 # import the office master (admin)
    downloads: bool = False
    personal: bool = False                      # respondent-level data (rejected rows' cells)
    hide_small: bool = False                    # figures with n < small_sample → "data belum cukup"

    @property
    def empty(self) -> bool:
        return not self.offices

    def allows_instrument(self, instrument: str) -> bool:
        return self.instruments is None or instrument in self.instruments

    def instruments_within(self, requested) -> tuple[str, ...] | None:
        """The requested instruments (None = all) narrowed to the scope's."""
        if self.instruments is None:
            return tuple(requested) if requested else None
        if not requested:
            return tuple(self.instruments)
        return tuple(i for i in requested if i in self.instruments)

    def months_within(self, start: date | None, end: date | None) -> tuple[date | None, date | None] | None:
        """[start, end] narrowed to the scope's months; None when nothing is left."""
        lo = max([d for d in (start, self.start) if d is not None], default=None)
        hi = min([d for d in (end, self.end) if d is not None], default=None)
        if lo is not None and hi is not None and lo > hi:
            return None
        return lo, hi


EMPTY = Scope()


def _ids(frame: pd.DataFrame, mask) -> tuple[int, ...]:
    return tuple(sorted(int(i) for i in frame.loc[mask, "office_id"]))


def scope_for(principal: Principal | None, offices_frame: pd.DataFrame) -> Scope:
    """THE scope function: what `principal` may see among the offices of `offices_frame` (office_id,
    kanwil). Every page data call goes through the scope it returns (analytics/present/scoped.py)."""
    if principal is None or offices_frame is None:
        return EMPTY
    ids = offices_frame["office_id"]
    kanwil = offices_frame["kanwil"]
    role = principal.role
    if role == "admin":
        every = _ids(offices_frame, ids.notna())
        return Scope(offices=every, pool=every, instruments=None, pages=ADMIN_PAGES, can_upload=True,
                     can_delete=True, can_share=True, audit_all=True, office_master=True, downloads=True,
                     personal=True)
    if role == "kanwil":
        mine = _ids(offices_frame, kanwil.isin(list(principal.kanwils)))
        if not mine:
            return EMPTY
        return Scope(offices=mine, pool=mine, instruments=None, pages=ALL_PAGES, can_upload=True,
                     can_delete=True, can_share=True, downloads=True, personal=True)
    if role == "office":
        mine = _ids(offices_frame, ids.isin(list(principal.offices)))
        if not mine:
            return EMPTY
        kanwils = set(kanwil[ids.isin(mine)].dropna())
        pool = tuple(sorted(set(mine) | set(_ids(offices_frame, kanwil.isin(list(kanwils))))))
        pages = DATA_PAGES + ("laporan",) + (("unggah",) if principal.can_upload else ()) + ("metode",)
        return Scope(offices=mine, pool=pool, instruments=None, pages=pages, can_upload=principal.can_upload,
                     downloads=True, personal=principal.can_upload)
    if role == "guest":
        mine = _ids(offices_frame, ids.isin(list(principal.offices)))
        pages = tuple(p for p in GUEST_PAGES if p in principal.pages and (p != "laporan" or principal.downloads))
        if not mine or not principal.instruments or not pages or principal.month_from is None \
                or principal.month_to is None or principal.month_from > principal.month_to:
            return EMPTY
        return Scope(offices=mine, pool=mine, start=principal.month_from, end=principal.month_to,
                     instruments=tuple(principal.instruments), pages=pages, downloads=principal.downloads,
                     hide_small=True)
    return EMPTY                                # unknown role: nothing


# --- share links ----------------------------------------------------------------------------------

def link_state(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> str:
    """'ok', 'revoked' or 'expired' (a link without an expiry is treated as expired: fail closed)."""
    if revoked_at is not None:
        return "revoked"
    if expires_at is None or expires_at <= now:
        return "expired"
    return "ok"


def link_expiry(days: int, now: datetime) -> datetime:
    """When a link made now for `days` days expires; ValueError outside 1…MAX_LINK_DAYS."""
    if not 1 <= int(days) <= MAX_LINK_DAYS:
        raise ValueError(f"a link lasts 1 to {MAX_LINK_DAYS} days, not {days}")
    return now + timedelta(days=int(days))


def link_within(creator: Scope, offices, instruments, pages) -> list[str]:
    """What a link asks beyond its creator's scope (empty list = fine)."""
    problems = [f"office {o}" for o in offices if int(o) not in creator.offices]
    problems += [f"instrument {i}" for i in instruments if not creator.allows_instrument(i)]
    problems += [f"page {p}" for p in pages if p not in GUEST_PAGES]
    return problems


# --- secrets: random ids, their hashes, passwords --------------------------------------------------

def new_token() -> str:
    """A random URL-safe secret of 256 bits (session ids, link tokens)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a session id or link token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_password() -> str:
    return secrets.token_urlsafe(12)


# argon2id with argon2-cffi's defaults (64 MiB, t=3, p=4: ~0.4 s to hash here). Tests swap in a
# cheaper hasher through set_hasher(); a stored hash records its own parameters, so both verify.
_HASHER = PasswordHasher()


def set_hasher(hasher: PasswordHasher) -> PasswordHasher:
    global _HASHER
    previous, _HASHER = _HASHER, hasher
    return previous


def hash_password(password: str) -> str:
    if not password or len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- lockout with backoff --------------------------------------------------------------------------

def lockout_until(failed_count: int, now: datetime, max_failures: int, base_minutes: int) -> datetime | None:
    """After `max_failures` failures in a row the account is locked: base_minutes, doubling with each
    further failure, at most a day. None = not locked."""
    if failed_count < max_failures:
        return None
    minutes = min(base_minutes * 2 ** (failed_count - max_failures), 24 * 60)
    return now + timedelta(minutes=minutes)


# --- query parameters ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    param: str
    value: str


def out_of_scope_params(params: dict[str, str], office_names, kanwils, months) -> list[Violation]:
    """URL filter values the viewer's scope does not offer (office/kanwil names, YYYY-MM months):
    the UI drops them (the viewer sees their own scope) and logs a scope_violation."""
    allowed = {"office": set(office_names), "kanwil": set(kanwils), "start": set(months), "end": set(months)}
    found = []
    for param, values in allowed.items():
        value = params.get(param)
        if value not in (None, "") and value not in values:
            found.append(Violation(param, str(value)))
    return found


@dataclass(frozen=True)
class LinkSpec:
    """What a kanwil/admin user asks for on the Bagikan page."""
    label: str
    offices: tuple[int, ...]
    instruments: tuple[str, ...]
    month_from: date
    month_to: date
    pages: tuple[str, ...]
    downloads: bool = False
    days: int = DEFAULT_LINK_DAYS
    extra: dict = field(default_factory=dict)

    def problems(self, creator: Scope) -> list[str]:
        found = link_within(creator, self.offices, self.instruments, self.pages)
        if not self.label.strip():
            found.append("label")
        if not self.offices or not self.instruments or not self.pages:
            found.append("empty scope")
        if self.month_from > self.month_to:
            found.append("months")
        if not 1 <= int(self.days) <= MAX_LINK_DAYS:
            found.append("days")
        return found


# --- writes: uploads and batch deletes -------------------------------------------------------------

def upload_outside(scope: Scope, rows: pd.DataFrame, unknown_offices=()) -> list[str]:
    """The office names of an upload's rows (office_id, office_name) that lie outside the uploader's
    scope, and offices the file names but the master lacks (only an admin may create offices).
    Empty list = the upload may be saved. No upload right → every office is outside."""
    if scope.office_master:
        return []
    ids = rows["office_id"] if "office_id" in rows else pd.Series([], dtype="float64")
    names = rows["office_name"] if "office_name" in rows else pd.Series([""] * len(ids))
    outside = {str(n) for n, i in zip(names, ids) if not scope.can_upload or pd.isna(i) or int(i) not in scope.offices}
    return sorted(outside | {str(n) for n in unknown_offices})


def may_delete(scope: Scope, batch_offices: set[int] | None) -> bool:
    """A batch may be deleted by an admin, or by a viewer with delete rights (kanwil) when every row
    of it belongs to an office in scope; a batch without rows only by an admin. Office users upload
    (when allowed) but never delete."""
    if scope.office_master:
        return True
    return scope.can_delete and bool(batch_offices) and set(batch_offices) <= set(scope.offices)
