"""Per-document token arrays, computed once, so extractors look up candidates with numpy
instead of walking every token in Python, and find a token's sentence without spaCy
re-scanning the document each time."""

from __future__ import annotations

import numpy as np
from spacy import symbols as spacy_symbols
from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.tokens import Doc, Span, Token


_NOUN_POS = np.array([spacy_symbols.NOUN, spacy_symbols.PROPN], dtype="uint64")
_HASH_CACHE: dict[tuple[int, int], tuple[frozenset[str], np.ndarray]] = {}  # keeps the set alive with its id


class TokenTable:
    def __init__(self, doc: Doc):
        self.doc = doc
        array = doc.to_array([LEMMA, LOWER, SENT_START, POS]) if len(doc) else np.zeros((0, 4), dtype="uint64")
        self.lemmas = array[:, 0]
        self.lowers = array[:, 1]
        self.pos = array[:, 3]
        self.quoted: list[bool] | None = None  # set by the statements extractor
        starts = np.flatnonzero(array[:, 2] == 1) if len(doc) else np.zeros(0, dtype="int64")
        if len(doc) and (len(starts) == 0 or starts[0] != 0):
            starts = np.concatenate([[0], starts])
        self._sentence_starts = starts
        self._sentence_of = np.zeros(len(doc), dtype="int64")
        if len(doc):
            self._sentence_of[starts[1:]] = 1
            self._sentence_of = np.cumsum(self._sentence_of)
        ends = list(starts[1:]) + [len(doc)]
        self.sentences: list[Span] = [doc[int(s):int(e)] for s, e in zip(starts, ends)]

    def sentence(self, token: Token) -> Span:
        return self.sentences[int(self._sentence_of[token.i])]

    def hashes(self, words: frozenset[str]) -> np.ndarray:
        """The words' string hashes; cached per word set, which the knowledge base keeps."""
        key = (id(self.doc.vocab.strings), id(words))
        if key not in _HASH_CACHE:
            strings = self.doc.vocab.strings
            _HASH_CACHE[key] = (words, np.array(sorted({strings.add(w) for w in words}), dtype="uint64"))
        return _HASH_CACHE[key][1]

    def with_lemma(self, hashes: np.ndarray) -> list[Token]:
        """Tokens whose lemma is one of the hashed words, in document order."""
        return [self.doc[int(i)] for i in np.flatnonzero(np.isin(self.lemmas, hashes))]

    def with_lower(self, hashes: np.ndarray) -> list[Token]:
        return [self.doc[int(i)] for i in np.flatnonzero(np.isin(self.lowers, hashes))]

    def nouns(self) -> list[Token]:
        return [self.doc[int(i)] for i in np.flatnonzero(np.isin(self.pos, _NOUN_POS))]
