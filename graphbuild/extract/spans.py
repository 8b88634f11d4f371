"""Character spans of spaCy spans, trimmed of surrounding white space."""

from __future__ import annotations

from spacy.tokens import Span

from ..model import TextSpan


def text_span(span: Span) -> TextSpan:
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip()))
    stripped = text.strip()
    return TextSpan(start, start + len(stripped), stripped)


def char_span(text: str, start: int, end: int) -> TextSpan:
    """The span of text[start:end] without its leading and trailing white space."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    stripped = piece.strip()
    return TextSpan(start, start + len(stripped), stripped)
