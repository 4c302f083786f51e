"""Characters a reader cannot see or that a terminal obeys, and how they are shown instead.

Shared by the readers (which report a source holding them) and the renderers (which never print
them): C0 controls but tab and newline (ESC starts OSC 52 clipboard writes, OSC 8 links, DCS,
the alternate screen), DEL, C1 controls (U+009B is a one-byte CSI), bidirectional overrides and
isolates (U+202E turns text around), zero-width and other invisible format characters, and the
line and paragraph separators.
"""
from __future__ import annotations

import re

INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def visible(text: str) -> str:
    """Text that shows what it holds: each invisible or control character as ``<U+202E>``."""
    if not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def json_visible(dumped: str) -> str:
    """JSON text with those characters as ``\\u`` escapes: the same data, nothing a terminal obeys."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
