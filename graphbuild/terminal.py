"""Text for a terminal. Article text is untrusted: an escape sequence in a name or a quote
(ESC [ 2 J clears the screen; OSC sequences set titles or write hyperlinks; a carriage return
overwrites what was printed) must show as text, never act."""

from __future__ import annotations

import re

# Every control character (C0, DEL, C1) except line feed and tab.
_CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with each control character shown as its escape (``\\x1b``), so it prints as is."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
