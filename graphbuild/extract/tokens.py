"""Per-document token arrays, computed once, so extractors pick candidate tokens by hash
lookups instead of walking every spaCy Token (each access builds a new Python object),
and find a token's sentence without spaCy re-scanning the document each time."""

from __future__ import annotations

import numpy as np
from spacy import symbols as spacy_symbols
from spacy.attrs import IDX, LEMMA, LOWER, POS, SENT_START
from spacy.tokens import Doc, Span, Token

from ..model import TextSpan
from .spans import char_span

_NOUN_POS = frozenset({spacy_symbols.NOUN, spacy_symbols.PROPN})
_HASH_CACHE: dict[tuple[int, int], tuple[frozenset[str], frozenset[int]]] = {}  # keeps each set alive


class TokenTable:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string from every token on each access
        columns = doc.to_array([LEMMA, LOWER, SENT_START, POS, IDX]) if len(doc) else np.zeros((0, 5), "uint64")
        self.lemmas: list[int] = columns[:, 0].tolist()
        self.lowers: list[int] = columns[:, 1].tolist()
        self.pos: list[int] = columns[:, 3].tolist()
        self.starts: list[int] = columns[:, 4].tolist()  # character offset of each token
        self.quoted: list[bool] | None = None  # set by the statements extractor
        self._sentence_spans: dict[int, TextSpan] = {}
        starts = [i for i, flag in enumerate(columns[:, 2].tolist()) if flag == 1] if len(doc) else []
        if len(doc) and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        self._sentence_of = np.cumsum(np.isin(np.arange(len(doc)), starts[1:])).tolist() if len(doc) else []
        ends = starts[1:] + [len(doc)]
        self.sentences: list[Span] = [doc[s:e] for s, e in zip(starts, ends)]

    def sentence(self, token: Token) -> Span:
        return self.sentences[self._sentence_of[token.i]]

    def sentence_text_span(self, token: Token) -> TextSpan:
        """The trimmed character span of a token's sentence, made once per sentence."""
        number = self._sentence_of[token.i]
        if number not in self._sentence_spans:
            sentence = self.sentences[number]
            self._sentence_spans[number] = char_span(self.text, sentence.start_char, sentence.end_char)
        return self._sentence_spans[number]

    def hashes(self, words: frozenset[str]) -> frozenset[int]:
        """The words' string hashes; cached per word set, which the knowledge base keeps."""
        key = (id(self.doc.vocab.strings), id(words))
        if key not in _HASH_CACHE:
            strings = self.doc.vocab.strings
            _HASH_CACHE[key] = (words, frozenset(strings.add(w) for w in words))
        return _HASH_CACHE[key][1]

    def with_lemma(self, hashes: frozenset[int]) -> list[Token]:
        """Tokens whose lemma is one of the hashed words, in document order."""
        return [self.doc[i] for i, h in enumerate(self.lemmas) if h in hashes]

    def with_lower(self, hashes: frozenset[int]) -> list[Token]:
        return [self.doc[i] for i, h in enumerate(self.lowers) if h in hashes]

    def nouns(self) -> list[Token]:
        return [self.doc[i] for i, p in enumerate(self.pos) if p in _NOUN_POS]
