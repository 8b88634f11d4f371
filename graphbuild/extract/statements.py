"""Direct quotations with their speakers, and reported speech.

Quotations are found in the characters, not the parse (the parser often splits or joins
sentences inside quotes): curly and straight double quotes pair within a paragraph, and a
quote left open runs to the end of its paragraph. A speaker comes from a reporting verb
outside the quote in the same sentence (after it first: "“…,” Biden said"; then before it:
"Kallas said: “…”"), from "according to X", or, for a quote with no attribution of its
own, from the quote before it in the same paragraph or the paragraph before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..kb import KnowledgeBase
from ..model import Statement
from .actors import EntityIndex
from .spans import char_span, text_span

MIN_QUOTE_WORDS = 4  # shorter quoted phrases are scare quotes ("very high"), not statements
OPENERS = {"“": "”", "«": "»", "„": "“"}
CLOSERS = {"”", "»"}


@dataclass
class QuoteSpan:
    start: int  # first character inside the quotation marks
    end: int  # character after the last one inside
    paragraph: int


def find_quotes(text: str) -> list[QuoteSpan]:
    quotes: list[QuoteSpan] = []
    paragraph_start = 0
    for number, paragraph in enumerate(text.split("\n")):
        quotes.extend(_quotes_in_paragraph(paragraph, paragraph_start, number))
        paragraph_start += len(paragraph) + 1
    return quotes


def _quotes_in_paragraph(paragraph: str, offset: int, number: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    open_at: int | None = None
    for i, char in enumerate(paragraph):
        if open_at is None:
            if char in OPENERS or (char == '"' and (i == 0 or not paragraph[i - 1].isalnum())):
                open_at = i + 1
        elif char in CLOSERS or char == '"':
            found.append(QuoteSpan(offset + open_at, offset + i, number))
            open_at = None
    if open_at is not None and open_at < len(paragraph):
        found.append(QuoteSpan(offset + open_at, offset + len(paragraph), number))
    return found


def extract_statements(doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> list[Statement]:
    text = doc.text
    reporting = kb.cue_words("reporting")
    quotes = [q for q in find_quotes(text) if len(text[q.start:q.end].split()) >= MIN_QUOTE_WORDS]
    inside = _inside_mask(doc, quotes)
    token_starts = [t.idx for t in doc]
    documents = _document_owners(doc, index, kb)
    statements: list[Statement] = []
    previous: tuple[int, str | None] | None = None  # (paragraph, speaker) of the last quote
    for quote in quotes:
        first = _token_at(doc, token_starts, quote.start)
        last = _token_at(doc, token_starts, max(quote.start, quote.end - 1))
        speaker = _speaker(doc, index, first, last, inside, reporting, documents, quote.paragraph)
        if speaker is None and previous is not None and quote.paragraph - previous[0] <= 1:
            speaker = previous[1]
        span = char_span(text, quote.start, quote.end)
        if span.text.endswith(","):  # the comma before an attribution is not part of the quote
            span = char_span(text, span.start, span.end - 1)
        sentence = _covering_sentence(doc, first, last)
        statements.append(Statement(speaker=speaker, quote=span.text, span=span, sentence=sentence, kind="direct"))
        previous = (quote.paragraph, speaker)
    statements.extend(_reported(doc, index, inside, reporting, documents))
    return statements


def _inside_mask(doc: Doc, quotes: list[QuoteSpan]) -> list[bool]:
    mask = [False] * len(doc)
    for quote in quotes:
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


def _token_at(doc: Doc, token_starts: list[int], char: int) -> Token:
    return doc[max(0, bisect_right(token_starts, char) - 1)]


def _speaker(doc, index, first, last, inside, reporting, documents, paragraph) -> str | None:
    # The sentence(s) around the quote, minus the quoted tokens.
    after = _outside_tokens(doc, last.i + 1, last.sent.end, inside)
    before = _outside_tokens(doc, first.sent.start, first.i, inside)
    for tokens in (after[:12], list(reversed(before))):
        for token in tokens:
            if token.lemma_.lower() in reporting and token.pos_ in ("VERB", "AUX"):
                speaker = _subject_actor(token, index, documents)
                if speaker:
                    return speaker
    for tokens in (after, before):
        for token in tokens:
            if token.lower_ == "according" and token.nbor(1).lower_ == "to":
                for candidate in token.nbor(1).children:
                    keys = index.actors_of(candidate)
                    if keys:
                        return keys[0]
    return None


def _outside_tokens(doc: Doc, start: int, end: int, inside: list[bool]) -> list[Token]:
    return [doc[i] for i in range(max(0, start), min(end, len(doc))) if not inside[i]]


def _subject_actor(verb: Token, index: EntityIndex, documents: dict[int, str]) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            keys = index.actors_of(child)
            if keys:
                return keys[0]
            if child.i in documents:
                return documents[child.i]
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        return _subject_actor(verb.head, index, documents)
    return None


def _document_owners(doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> dict[int, str]:
    """Token index of a document noun ("the letter") → the actor who wrote it.

    An owner is the possessor ("its letter" → its → Russia) or the subject of the clause the
    noun appears in ("Russia, in its letter, ..."); a later bare "the letter" reuses the
    owner last seen.
    """
    nouns = kb.word_list("document")
    owners: dict[int, str] = {}
    last_owner: dict[str, str] = {}
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in nouns or token.pos_ != "NOUN":
            continue
        owner = None
        for child in token.children:
            if child.dep_ == "poss" and index.actor_at(child):
                owner = index.actor_at(child)
        if owner is None and token.dep_ == "pobj":
            verb = token.head.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and index.actor_at(subjects[0]):
                owner = index.actor_at(subjects[0])
        owner = owner or last_owner.get(lemma) or last_owner.get("*")
        if owner:
            owners[token.i] = owner
            last_owner[lemma] = last_owner["*"] = owner
    return owners


def _covering_sentence(doc: Doc, first: Token, last: Token) -> TextSpan:
    return char_span(doc.text, first.sent.start_char, last.sent.end_char)


def _reported(doc, index, inside, reporting, documents) -> list[Statement]:
    """"X said (that) ..." outside quotation marks: reported statements, kept apart from quotes."""
    found: list[Statement] = []
    for token in doc:
        if inside[token.i] or token.pos_ != "VERB" or token.lemma_.lower() not in reporting:
            continue
        clause = next((c for c in token.children if c.dep_ == "ccomp" and not inside[c.i]), None)
        if clause is None:
            continue
        speaker = _subject_actor(token, index, documents)
        if speaker is None:
            continue
        tokens = [t for t in clause.subtree if not inside[t.i]]
        if len(tokens) < 3:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if tokens[0].lower_ == "that":
            start = tokens[1].idx
        span = char_span(doc.text, start, end)
        sentence = token.sent
        found.append(Statement(
            speaker=speaker, quote=span.text, span=span,
            sentence=text_span(sentence), kind="reported",
        ))
    return found


__all__ = ["extract_statements", "find_quotes", "QuoteSpan", "Span"]
