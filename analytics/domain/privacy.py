"""Contact details in free text (saran): phone numbers and e-mail addresses are replaced on import, so
the store, every page (guests too), every report and the rejects download only ever hold the masked
text. What counts (docs/privacy.md):

- an e-mail address: name@domain.tld;
- an Indonesian phone number: +62 / 62 / 0 followed by digit groups, optionally separated by a space,
  dash or dot, area codes in brackets allowed ("+62 812-3456-7890", "0812 3456 7890", "(021) 555-1234"),
  9 to 15 digits in all. Shorter runs ("62 orang", "loket 08") are ordinary text.
"""
from __future__ import annotations

import re

PHONE_MASK = "[telepon]"
EMAIL_MASK = "[email]"

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_PHONE = re.compile(r"(?<![\w+])\(?(?:\+62|62|0)\)?(?:[ .\-]?\(?\d{2,12}\)?){1,5}(?![\w@])")


def _phone(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_MASK if 9 <= digits <= 15 else match.group(0)


def mask_contacts(text):
    """(masked text, whether anything was masked); anything not a text comes back as it is, False."""
    if not isinstance(text, str) or not text:
        return text, False
    masked = _PHONE.sub(_phone, _EMAIL.sub(EMAIL_MASK, text))
    return masked, masked != text
