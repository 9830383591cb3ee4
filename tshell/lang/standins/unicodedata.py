"""unicodedata as tsh programs see it: Python's functions, pure functions of one character or
handed out as they are (HOST_CALLABLES); `normalize` and `is_normalized` (which normalizes
when its quick check cannot tell) are tshell's, measuring the normal form first (a character
can decompose into 18: U+FDFA under NFKD). Not `ucd_3_2_0` (an
object of Python's class UCD).
"""

from __future__ import annotations

import unicodedata

from .. import guards
from ..sandbox import Namespace
from ._classes import builtin

CHARACTER_FUNCTIONS = ("category name lookup decimal digit numeric bidirectional "
                       "combining east_asian_width mirrored decomposition").split()
HOST_CALLABLES = tuple(getattr(unicodedata, name) for name in CHARACTER_FUNCTIONS)
MOST_CHARACTERS = 18            # the most characters one character normalizes into
CHARACTER_BYTES = 4             # a str of characters past U+FFFF


def _check_normal_form(what: str, unistr) -> None:
    if isinstance(unistr, str) and not unistr.isascii():        # ASCII is every normal form
        nbytes = len(unistr) * MOST_CHARACTERS * CHARACTER_BYTES
        if nbytes > guards.cap():
            raise guards.too_big(f"unicodedata.{what}() of {len(unistr)} characters", nbytes)


def normalize(form, unistr, /):
    """Return the normal form 'form' for the Unicode string unistr (NFC, NFKC, NFD, NFKD)."""
    _check_normal_form("normalize", unistr)
    return unicodedata.normalize(form, unistr)


def is_normalized(form, unistr, /):
    """Return whether the Unicode string unistr is in the normal form 'form'."""
    _check_normal_form("is_normalized", unistr)
    return unicodedata.is_normalized(form, unistr)


normalize.__wrapped__ = unicodedata.normalize
is_normalized.__wrapped__ = unicodedata.is_normalized


def namespace() -> Namespace:
    members = {name: getattr(unicodedata, name) for name in CHARACTER_FUNCTIONS}
    members.update(normalize=builtin(normalize), is_normalized=builtin(is_normalized),
                   unidata_version=unicodedata.unidata_version)
    return Namespace("unicodedata", members)
