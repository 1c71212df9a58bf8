"""One error family, and messages as codes rendered in either language (analytics/i18n/messages.py).

A `Message` is a code, its parameters and, for messages that tell the user what to supply, a `hint`
code whose text depends on the surface: the CLI names its flag (`hint_<x>_cli`), the upload page the
control to use instead (`hint_<x>_ui`). A Message *is* its Indonesian CLI text (a str), so stored
reasons, logs and `str(err)` read as before; `render(msg, lang, surface)` gives any other rendering.

`DasborError` carries a Message; `InputError` is input the user can fix (CLI exit 2, a plain message
on the page). Every other exception is a bug (CLI exit 1 and a traceback in the log).
"""
from __future__ import annotations

from analytics import i18n

SURFACES = ("cli", "ui")


class Join:
    """Several values (texts or Messages) joined by a translated separator (`err_join_<sep>`)."""

    def __init__(self, items, sep: str = "list"):
        self.items, self.sep = list(items), sep

    def render(self, lang: str | None, surface: str) -> str:
        return i18n.t(f"err_join_{self.sep}", lang).join(_value(v, lang, surface) for v in self.items)

    def __str__(self) -> str:
        return self.render(None, "cli")

    def __repr__(self) -> str:
        return f"Join({self.items!r}, {self.sep!r})"


class Message(str):
    """A message code with its parameters; as a str, its Indonesian CLI rendering.

    The parameters `at_file` and `at_sheet`, when given, become a "file, sheet X: " prefix. Parameter
    values may be Messages or Joins; they are rendered in the same language and surface."""
    prefix = "err"

    def __new__(cls, code: str, /, hint: str | None = None, **params):
        self = super().__new__(cls, _render(cls.prefix, code, hint, params, None, "cli"))
        self.code, self.hint, self.params = code, hint, params
        return self

    def render(self, lang: str | None = None, surface: str = "cli") -> str:
        return _render(self.prefix, self.code, self.hint, self.params, lang, surface)

    def at(self, file: str | None, sheet: str | None = None) -> "Message":
        """The same message with a file (and sheet) prefix."""
        params = {**self.params, "at_file": file, "at_sheet": sheet}
        return type(self)(self.code, self.hint, **params)

    def __reduce__(self):      # copy/deepcopy (dataclasses.asdict) and pickle keep code and params
        return _rebuild, (type(self), self.code, self.hint, self.params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {str(self)!r})"


class Notice(Message):
    """A message that reports an outcome, not a problem (`msg_<code>`)."""
    prefix = "msg"


def _rebuild(cls, code, hint, params):
    return cls(code, hint, **params)


def _value(value, lang, surface):
    if isinstance(value, (Message, Join)):
        return value.render(lang, surface)
    if isinstance(value, DasborError):
        return value.message.render(lang, surface)
    return value


def _render(prefix: str, code: str, hint: str | None, params: dict, lang, surface: str) -> str:
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {SURFACES}, not {surface!r}")
    values = i18n.located({k: _value(v, lang, surface) for k, v in params.items()})     # no absolute paths
    template = i18n.STRINGS[f"{prefix}_{code}"]
    template = template.get(lang or i18n.DEFAULT_LANG) or template[i18n.DEFAULT_LANG]
    hint_text = i18n.t(f"hint_{hint}_{surface}", lang, **values) if hint else ""
    if "{hint}" in template:
        text = template.format(**values, hint=hint_text)
    else:
        text = template.format(**values) + (f"; {hint_text}" if hint_text else "")
    file, sheet = values.get("at_file"), values.get("at_sheet")
    if file:
        where = f"{file}, sheet {sheet}" if sheet else str(file)
        text = f"{where}: {text}"
    return text


def render(err, lang: str | None = None, surface: str = "cli") -> str:
    """The text of an error (DasborError or Message) in `lang` for `surface` ("cli" | "ui").
    Other exceptions render as their str() (they are bugs; callers say so around it)."""
    if isinstance(err, DasborError):
        return err.message.render(lang, surface)
    if isinstance(err, (Message, Join)):
        return err.render(lang, surface)
    return str(err)


class DasborError(Exception):
    """Base of the project's errors: a `code`, its `params` and an optional `hint` code."""

    def __init__(self, code: str | Message, /, hint: str | None = None, **params):
        message = code if isinstance(code, Message) and not (hint or params) else Message(code, hint, **params)
        super().__init__(str(message))
        self.message = message

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> dict:
        return self.message.params

    @property
    def hint(self) -> str | None:
        return self.message.hint

    def render(self, lang: str | None = None, surface: str = "cli") -> str:
        return self.message.render(lang, surface)

    def __str__(self) -> str:
        return str(self.message)

    @classmethod
    def from_error(cls, other: "DasborError", file: str | None = None, sheet: str | None = None):
        """This class of error with another's message, prefixed by a file (and sheet) when given."""
        message = other.message.at(file, sheet) if file else other.message
        return cls(message)


class InputError(DasborError):
    """Input the user can fix: a file, a value or a name that cannot be used as given."""


class UnknownName(InputError, KeyError):
    """An instrument, rule set, office or batch that does not exist (a KeyError for old callers)."""


class BadValue(InputError, ValueError):
    """A value in the wrong form, e.g. a month that is not YYYY-MM (a ValueError for old callers)."""
