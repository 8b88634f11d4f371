"""Direct quotations with their speakers, and reported speech.

Quotations are found in the characters, not the parse (the parser often splits or joins
sentences inside quotes): curly and straight double quotes pair within a paragraph, a
quotation nested in another ("… the "United States" is …") stays inside it, and a quote
left open runs to the end of its paragraph.

A speaker is looked for by the rules of the stage ``statement.speaker``, in order: a reporting
verb in the attribution clause right after the quote ("“…,” the minister said"), then in the
clause right before it ("Ruiz told reporters: “…”"); "according to X" around the quote; the
subject of the clause joined to the quote by a comma or colon, whatever its verb; for a quote
that opens a sentence with no attribution of its own, the subject of the sentence before it;
the speaker of the quote before, in the same or the previous paragraph.

The subject found is resolved to an actor through the whole noun phrase by the stage
``statement.referent``: an apposition ("Ostia's ambassador, Ana Ruiz"), a title before a name, a
relative pronoun's antecedent ("a warning that states"), the author of a document noun ("the
letter states", "a statement released by X's office"), a modifier ("a Bordurian commander") or a
prepositional owner ("a source within the ministry").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..kb import KnowledgeBase
from ..model import Statement, TextSpan
from .actors import EntityIndex
from .roles import demonym_actor
from .rules import rule
from .spans import char_span

MIN_QUOTE_WORDS = 4  # shorter quoted phrases are scare quotes ("very high"), not statements...
MIN_UTTERANCE_WORDS = 2  # ...unless they are a whole utterance: “We are ready,” she said.
CURLY_PAIRS = {"“": "”", "«": "»", "„": "“"}
SENTENCE_END = {".", "!", "?"}
QUOTE_MARKS = {"“", "”", '"', "«", "»", "„"}
MAX_AFTER_ATTRIBUTION = 12  # tokens after a quote searched for "…,” X said"
MAX_TRAILING_CLAUSE = 8  # a "“…”, X continued" clause longer than this is not an attribution
RELATIVE_PRONOUNS = {"that", "which", "who", "whom"}
SPEAKER_PRONOUNS = {"he", "she"}
CONJUNCTIONS = {"and", "or"}
QUOTING_VERBS = {"quote", "cite", "report"}  # "X was quoted by Y as saying", "as reported by Y": X speaks, not Y
# How a quoted phrase hangs under the verb that frames it: "called it “…”", "described X as “…”".
GOVERNED_DEPS = {"dobj", "pobj", "pcomp", "prep", "oprd", "attr", "xcomp", "ccomp", "acomp"}
SUBJECTS = ("nsubj", "nsubjpass")
OWNER_MODIFIERS = ("poss", "compound", "amod", "nmod")
# Prepositions that attach a speaker noun to the body it speaks for ("a source within the
# ministry", "a spokesperson for the army", "officials at the embassy").
OWNER_PREPOSITIONS = {"of", "within", "from", "at", "in", "for", "inside", "with"}


@dataclass(frozen=True)
class Quote:
    """A quotation being attributed: its first and last tokens, and the outside words around it."""

    first: Token
    last: Token
    before: list[Token]  # outside tokens from the quote back to the end of the previous sentence or quote
    after: list[Token]  # outside tokens from the quote to the end of its sentence
    attributed: bool  # whether a reporting verb or attribution phrase, or a clause before, goes with it
    previous: tuple[int, str | None] | None  # (paragraph, speaker) of the quote before
    paragraph: int
    continues: bool  # the words before it run back to the quote before, in the same sentence


@dataclass
class QuoteSpan:
    start: int  # first character inside the quotation marks
    end: int  # character after the last one inside
    paragraph: int


def find_quotes(text: str) -> list[QuoteSpan]:
    quotes: list[QuoteSpan] = []
    paragraph_start = 0
    number = 0  # paragraphs are counted without the blank lines between them
    for paragraph in text.split("\n"):
        if paragraph.strip():
            quotes.extend(_quotes_in_paragraph(paragraph, paragraph_start, number))
            number += 1
        paragraph_start += len(paragraph) + 1
    return quotes


_QUOTE_MARK = re.compile("[" + re.escape('"' + "".join(CURLY_PAIRS) + "".join(CURLY_PAIRS.values())) + "]")


def _quotes_in_paragraph(paragraph: str, offset: int, number: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    open_at: int | None = None
    closer = ""  # the mark that closes the open quote
    depth = 0  # quotations nested inside the open one with the same marks
    for mark in _QUOTE_MARK.finditer(paragraph):  # only the quotation marks, not every character
        i, char = mark.start(), mark.group()
        before = paragraph[i - 1] if i > 0 else " "
        after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
        if char == '"':
            # A straight mark opens after a space and before a word, and closes the other way.
            opens = not before.isalnum() and not after.isspace()
            closes = not before.isspace() and (not after.isalnum())
        else:
            opens, closes = char in CURLY_PAIRS, char in CURLY_PAIRS.values()
        if open_at is None:
            if opens:
                open_at, closer, depth = i + 1, CURLY_PAIRS.get(char, '"'), 0
        elif char == closer and closes:
            if depth:
                depth -= 1
            else:
                found.append(QuoteSpan(offset + open_at, offset + i, number))
                open_at = None
        elif opens and CURLY_PAIRS.get(char, '"') == closer:
            depth += 1  # a quotation inside the quotation, with the same marks
    if open_at is not None and open_at < len(paragraph):
        found.append(QuoteSpan(offset + open_at, offset + len(paragraph), number))
    return found


def extract_statements(doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> list[Statement]:
    text = index.table.text
    scare = index.rules.on("statement.quote.scare_quotes")
    token_starts = index.table.starts
    reporting = kb.cue_words("reporting")
    quotes = [q for q in find_quotes(text)
              if not (scare and scare_quotes(text, q, _reporting_verb_follows(doc, token_starts, q, reporting)))]
    inside = _inside_mask(doc, quotes)
    speakers = _Speakers(doc, index, kb, inside)
    statements: list[Statement] = []
    previous: tuple[int, str | None] | None = None  # (paragraph, speaker) of the last quote
    for quote in quotes:
        first = _token_at(token_starts, doc, quote.start)
        last = _token_at(token_starts, doc, max(quote.start, quote.end - 1))
        speaker, _ = index.rules.first("statement.speaker", speakers, speakers.quote(first, last, previous, quote.paragraph))
        span = char_span(text, quote.start, quote.end)
        if span.text.endswith(","):  # the comma before an attribution is not part of the quote
            span = char_span(text, span.start, span.end - 1)
        table = index.table
        sentence = char_span(text, table.sentence(first).start_char, table.sentence(last).end_char)
        statements.append(Statement(speaker=speaker, quote=span.text, span=span, sentence=sentence, kind="direct"))
        previous = (quote.paragraph, speaker)
    if index.rules.on("statement.reported.clause"):
        statements.extend(reported_statements(doc, inside, speakers))
    return statements


def _is_statement(text: str, quote: QuoteSpan, reported: bool) -> bool:
    """Long enough to be said, or short but a whole utterance: “We are ready,” she said; “We
    are ready” said X (``reported``: a reporting verb follows the quote).
    Short quoted phrases inside a sentence are scare quotes ("very high"), not statements."""
    quoted = text[quote.start:quote.end].strip()
    words = len(quoted.split())
    if words >= MIN_QUOTE_WORDS:
        return True
    if words < MIN_UTTERANCE_WORDS or not quoted[:1].isupper():
        return False
    return quoted[-1:] in (",", "!", "?") or reported


def _reporting_verb_follows(doc: Doc, token_starts: list[int], quote: QuoteSpan, reporting) -> bool:
    """Whether the first word after the quote's closing mark is a reporting verb ("“…” said X")."""
    i = _token_at(token_starts, doc, quote.end).i + 1
    while i < len(doc) and (doc[i].is_space or doc[i].text in QUOTE_MARKS):
        i += 1
    return i < len(doc) and doc[i].pos_ == "VERB" and doc[i].lemma_.lower() in reporting


def _inside_mask(doc: Doc, quotes: list[QuoteSpan]) -> list[bool]:
    mask = [False] * len(doc)
    for quote in quotes:
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


def _token_at(token_starts: list[int], doc: Doc, char: int) -> Token:
    return doc[max(0, bisect_right(token_starts, char) - 1)]


class _Speakers:
    """Finds who said a quote and resolves speaker noun phrases to actors."""

    def __init__(self, doc: Doc, index: EntityIndex, kb: KnowledgeBase, inside: list[bool]):
        self.doc = doc
        self.index = index
        self.kb = kb
        self.inside = inside
        self.reporting = kb.cue_words("reporting")
        self.attributions = [tuple(a.split()) for a in kb.word_list("attribution")]
        self.documents: dict[int, str] = {}  # filled next; owners may be found through referent()
        self.documents = _document_owners(doc, index, kb, self)

    # -- where the attribution is -----------------------------------------------------------

    def quote(self, first: Token, last: Token, previous: tuple[int, str | None] | None, paragraph: int) -> Quote:
        (before, continues), after = self._clause_before(first.i), self._clause_after(last.i)
        attributed = bool(before) or any(self.is_reporting_verb(t) for t in after[:MAX_AFTER_ATTRIBUTION]) or any(
            self._attribution_phrase(tokens)[1] for tokens in (after, before))
        return Quote(first, last, before, after, attributed, previous, paragraph, continues)

    def _clause_before(self, start: int) -> tuple[list[Token], bool]:
        """Outside tokens from the quote back to the end of the previous sentence or quote, and
        whether they run back to a quote whose sentence goes on (it ends with no full stop)."""
        doc, tokens = self.doc, []
        i = start - 1
        while i >= 0 and not self.inside[i]:
            token = doc[i]
            if "\n" in token.text or (token.text in SENTENCE_END and tokens):
                break
            tokens.append(token)
            i -= 1
        continues = i >= 0 and self.inside[i] and doc[i].text not in SENTENCE_END
        tokens.reverse()
        return [t for t in tokens if not t.is_space and t.text not in QUOTE_MARKS], continues

    def _clause_after(self, end: int) -> list[Token]:
        """Outside tokens from the quote to the end of its sentence, if the quote did not end it."""
        doc, tokens = self.doc, []
        quoted = self.doc[end].text
        i = end + 1
        while i < len(doc) and not self.inside[i]:
            token = doc[i]
            if "\n" in token.text or token.text in SENTENCE_END:
                break
            if not token.is_space and token.text not in QUOTE_MARKS:
                tokens.append(token)
            i += 1
        if not tokens:
            return tokens
        # "“… attack.” Ostia said" starts a new sentence; "“Is it?” she asked" does not.
        if quoted in SENTENCE_END and tokens[0].text[:1].isupper():
            if quoted == "." or len(tokens) > MAX_TRAILING_CLAUSE:
                return []
        return tokens

    def _attribution_phrase(self, tokens: list[Token]) -> tuple[str | None, bool]:
        """"according to X": the speaker is X (a document's author when X is "a statement").
        Also says whether such a phrase was there at all."""
        words = [t.lower_ for t in tokens]
        found = False
        for phrase in self.attributions:
            for i in range(len(words) - len(phrase) + 1):
                if tuple(words[i: i + len(phrase)]) != phrase:
                    continue
                found = True
                last = tokens[i + len(phrase) - 1]
                for candidate in last.children:
                    if candidate.dep_ == "pobj":
                        speaker = self.referent(candidate)
                        if speaker:
                            return speaker, True
        return None, found

    def _adjacent_clause(self, before: list[Token], after: list[Token], last: Token | None = None) -> str | None:
        """A clause joined to the quote by a comma or colon speaks it, whatever its verb (the
        comma after the quote may stand inside its marks: "“…,” she continued")."""
        if before and before[-1].text in (",", ":"):
            for token in reversed(before):
                if token.pos_ in ("VERB", "AUX") and not self.inside[token.i]:
                    speaker = self.subject_of(token)
                    if speaker:
                        return speaker
        if after and (after[0].text == "," or (last is not None and last.text == ",")):
            for token in after[:MAX_TRAILING_CLAUSE]:
                if token.pos_ not in ("VERB", "AUX"):
                    continue
                # A longer clause speaks only through its main verb: "“…”, he continued in a speech
                # which ...", not "“…”, and the crowd, which ..., cheered".
                if len(after) > MAX_TRAILING_CLAUSE and token.dep_ != "ROOT":
                    return None
                speaker = self.subject_of(token)
                if speaker:
                    return speaker
        return None

    def governing_verb(self, first: Token, last: Token) -> Token | None:
        """The verb outside the quote that the quoted words hang under, through an object,
        complement or preposition ("called it “…”", "described the raid as “…”")."""
        # the quote's first word that hangs outside it: its head phrase
        node = next((t for t in self.doc[first.i: last.i + 1]
                     if not t.is_punct and not first.i <= t.head.i <= last.i), None)
        if node is None:
            return None
        token = node.head
        for _ in range(3):
            if node.dep_ not in GOVERNED_DEPS or self.inside[token.i]:
                return None
            if token.pos_ == "VERB":
                return token
            node, token = token, token.head
        return None

    def _previous_sentence_subject(self, start: int) -> str | None:
        """"X criticised the decision. “…”": the quote continues the previous sentence's subject."""
        i = start - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text in QUOTE_MARKS):
            if "\n" in self.doc[i].text:
                return None
            i -= 1
        if i < 0 or self.inside[i] or self.doc[i].text not in SENTENCE_END:
            return None
        root = self.index.table.sentence(self.doc[i]).root
        if self.inside[root.i] or root.pos_ not in ("VERB", "AUX"):
            return None
        return self.subject_of(root)

    # -- who the subject is ---------------------------------------------------------------

    def is_reporting_verb(self, token: Token) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.reporting

    def is_pronoun_attribution(self, token: Token) -> bool:
        """"he" or "she" as the subject of a reporting verb ("she said")."""
        return token.lower_ in SPEAKER_PRONOUNS and token.dep_ in SUBJECTS and self.is_reporting_verb(token.head)

    def subject_of(self, verb: Token) -> str | None:
        if self.is_reporting_verb(verb) and not any(c.dep_ in SUBJECTS for c in verb.children):
            # "“…,” read the statement", "“…” tweeted X": the parse takes the inverted subject for an object
            if verb.tag_ != "VBG" and self._follows_quote(verb):  # not "“…”, recalling their meeting"
                inverted = next((self.referent(c) for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
                if inverted:
                    return inverted
            # "X quoted Y as saying “…”": Y speaks, not X
            if verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ == "as":
                quoted = next((self.referent(c) for c in verb.head.head.children if c.dep_ == "dobj"), None)
                if quoted:
                    return quoted
        for _ in range(4):  # climb conjoined and dependent verbs: "opposed the plan and said …"
            if not self.inside[verb.i]:
                # Nearest subject first: a parse that gives "Ostia's president Ana Ruiz said" two
                # subjects puts the name nearest the verb. The agent of a passive verb of saying or
                # framing speaks ("described by X as “…”"), not of others ("when interviewed by X"),
                # and one who is quoted speaks himself ("X was quoted by Y as saying").
                speaking = (self.is_reporting_verb(verb) or any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children))
                agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"] if (
                    speaking and verb.lemma_.lower() not in QUOTING_VERBS) else []
                for child in agents + sorted((c for c in verb.children if c.dep_ in SUBJECTS),
                                             key=lambda c: abs(c.i - verb.i)):
                    if not self.inside[child.i]:
                        speaker = self.referent(child)
                        if speaker:
                            return speaker
            # A verb inside a quotation is not the speaker's clause: a parse that hangs "“…,” further
            # saying" under the quoted verb is climbed through to the clause outside.
            if verb.head.i == verb.i or not (verb.dep_ in ("conj", "advcl", "xcomp") or self.inside[verb.i]):
                return None
            if verb.dep_ == "xcomp":  # "led X to express “…”": the object of the verb above does it
                controller = next((self.referent(c) for c in verb.head.children if c.dep_ == "dobj"), None)
                if controller:
                    return controller
            verb = verb.head
        return None

    def _follows_quote(self, token: Token) -> bool:
        """Whether only punctuation stands between a quotation and the token."""
        i = token.i - 1
        while i >= 0 and not self.inside[i] and (self.doc[i].is_punct or self.doc[i].is_space):
            i -= 1
        return i >= 0 and self.inside[i]

    def referent(self, token: Token, depth: int = 0) -> str | None:
        """The actor a speaker noun phrase stands for (stage ``statement.referent``)."""
        found, _ = self.index.rules.first("statement.referent", self, token, depth)
        return found

    def _is_title(self, token: Token) -> bool:
        return token.lower_ in self.kb.offices or token.lemma_.lower() in self.kb.offices


# -- who said a quote (stage statement.speaker) ---------------------------------------------------


@rule("statement.speaker.sentence_speaker")
def sentence_speaker(sp: _Speakers, q: Quote) -> str | None:
    """A "he said" inside a sentence whose speaker is already named is that speaker: "Ruiz told reporters: “A,” she said, “B.”"."""
    pronoun_after = any(sp.is_pronoun_attribution(t) for t in q.after[:MAX_AFTER_ATTRIBUTION])
    if not pronoun_after and not any(sp.is_pronoun_attribution(t) for t in q.before):
        return None
    if q.continues and q.previous is not None:
        named = q.previous[1]  # the speaker of the quote before, in the same sentence
    elif pronoun_after and q.before and q.before[-1].text in (",", ":"):
        named = reporting_verb_before(sp, q) or sp._adjacent_clause(q.before, [])  # the clause that opens the quote
    else:
        return None
    return named if named and sp.index.actors[named].type == "Person" else None


@rule("statement.speaker.reporting_verb_after")
def reporting_verb_after(sp: _Speakers, q: Quote) -> str | None:
    """The subject of a reporting verb right after the quote: "“…,” the minister said"."""
    return _reporting_speaker(sp, q.after[:MAX_AFTER_ATTRIBUTION])


@rule("statement.speaker.reporting_verb_before")
def reporting_verb_before(sp: _Speakers, q: Quote) -> str | None:
    """The subject of a reporting verb right before the quote: "Ruiz told reporters: “…”"."""
    return _reporting_speaker(sp, reversed(q.before))


def _reporting_speaker(sp: _Speakers, tokens) -> str | None:
    """The speaker of the first reporting verb among the tokens that has one."""
    for token in tokens:
        if sp.is_reporting_verb(token):
            speaker = sp.subject_of(token)
            if speaker:
                return speaker
    return None


@rule("statement.speaker.according_to")
def according_to(sp: _Speakers, q: Quote) -> str | None:
    """"according to X" around the quote (a document's author when X is "a statement")."""
    for tokens in (q.after, q.before):
        speaker, _ = sp._attribution_phrase(tokens)
        if speaker:
            return speaker
    return None


@rule("statement.speaker.adjacent_clause")
def adjacent_clause(sp: _Speakers, q: Quote) -> str | None:
    """The subject of a clause joined to the quote by a comma or colon, whatever its verb: "X defended the plan: “…”"."""
    return sp._adjacent_clause(q.before, q.after, q.last)


@rule("statement.speaker.conjoined_quote")
def conjoined_quote(sp: _Speakers, q: Quote) -> str | None:
    """A quote joined to the quote before by "and" or "or" has its speaker: "called the plan “A” and “B”"."""
    if not (q.continues and q.previous is not None and q.before):
        return None
    words = {t.lower_ for t in q.before}
    return q.previous[1] if words & CONJUNCTIONS and words <= CONJUNCTIONS | {","} else None


@rule("statement.speaker.governing_verb")
def governing_verb(sp: _Speakers, q: Quote) -> str | None:
    """A quote that is the object or complement of a verb outside it is said by that verb's subject: "X called the raid “a breach of law”"."""
    verb = sp.governing_verb(q.first, q.last)
    if verb is None or not any(t.i == verb.i for t in q.before + q.after):
        return None  # a parse that joins the quote to the next sentence's verb
    return sp.subject_of(verb)


@rule("statement.speaker.previous_sentence")
def previous_sentence(sp: _Speakers, q: Quote) -> str | None:
    """A quote that opens a sentence with no attribution continues the previous sentence's subject: "X criticised it. “…”"."""
    if q.attributed:
        return None
    return sp._previous_sentence_subject(q.first.i)


@rule("statement.speaker.previous_quote")
def previous_quote(sp: _Speakers, q: Quote) -> str | None:
    """A quote with no attribution of its own continues the speaker of the quote before, in this or the last paragraph."""
    if q.attributed or q.previous is None or q.paragraph - q.previous[0] > 1:
        return None
    return q.previous[1]


# -- whom a speaker phrase stands for (stage statement.referent) --------------------------------------


@rule("statement.referent.relative_pronoun")
def relative_pronoun(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A relative pronoun is the noun it describes: "a warning that states ..."."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and depth < 2:
        return sp.referent(token.head.head, depth + 1)
    return None


@rule("statement.referent.person_apposition")
def person_apposition(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A person in apposition speaks: "Ostia's ambassador, Ana Ruiz, said"."""
    for child in token.children:
        key = sp.index.actor_at(child) if child.dep_ == "appos" else None
        if key and sp.index.actors[key].type == "Person":
            return key
    return None


@rule("statement.referent.actor")
def actor_referent(sp: _Speakers, token: Token, depth: int) -> str | None:
    """The actor the phrase itself names."""
    own = sp.index.actors_of(token)
    return own[0] if own else None


@rule("statement.referent.document_author")
def document_author_referent(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A document speaks for its author: "the letter states", "a statement released by X"."""
    return sp.documents.get(token.i)


@rule("statement.referent.title_name")
def title_name(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A title phrase speaks as the person it names: "Former Ostian Ambassador to the UN Ana Ruiz"."""
    if token.pos_ not in ("NOUN", "PROPN") or depth > 2 or not sp._is_title(token):
        return None
    index = sp.index
    key = index.actor_at(token.right_edge)
    if key:
        return key
    people = [index.actor_at(t) for t in token.subtree
              if index.actor_at(t) and index.actors[index.actor_at(t)].type == "Person"]
    return people[-1] if people else None


@rule("statement.referent.owner_modifier")
def owner_modifier(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A speaker noun modified by an actor speaks for it: "a Bordurian commander", "the ministry's spokesman"."""
    if token.pos_ not in ("NOUN", "PROPN") or depth > 2:
        return None
    for child in token.children:
        if child.dep_ in OWNER_MODIFIERS and not sp.inside[child.i]:
            key = sp.index.actor_at(child) or demonym_actor(child, sp.index, sp.kb)
            if key:
                return key
    return None


@rule("statement.referent.owner_preposition")
def owner_preposition(sp: _Speakers, token: Token, depth: int) -> str | None:
    """A speaker noun speaks for the body a preposition attaches it to: "a source within the ministry"."""
    if token.pos_ not in ("NOUN", "PROPN") or depth > 2:
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in OWNER_PREPOSITIONS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    key = sp.referent(pobj, depth + 1)
                    if key:
                        return key
    return None


@rule("statement.quote.scare_quotes")
def scare_quotes(text: str, quote: QuoteSpan, reported: bool = False) -> bool:
    """Short quoted phrases inside a sentence are scare quotes, not statements ("very high"), unless a whole utterance."""
    return not _is_statement(text, quote, reported)


def _document_owners(doc: Doc, index: EntityIndex, kb: KnowledgeBase, speakers: _Speakers) -> dict[int, str]:
    """Token index of a document noun ("the letter") → the actor who wrote it.

    An owner is the possessor or a modifier ("its letter", "a ministry statement"), the agent
    of a participle or a "by" phrase ("a statement released by X", "a tweet by X"), or the subject of the clause the noun is
    the object of ("X issued a warning", "Ostia, in its letter, ..."); a later bare "the
    letter" reuses the owner last seen.
    """
    nouns = kb.word_list("document")
    owners: dict[int, str] = {}
    last_owner: dict[str, str] = {}
    for token in index.table.with_lemma(index.table.hashes(nouns)):
        lemma = token.lemma_.lower()
        if lemma not in nouns or token.pos_ != "NOUN":
            continue
        owner = _document_owner(token, index, kb, speakers)
        if owner is None and _refers_back(token):
            owner = last_owner.get(lemma) or last_owner.get("*")
        if owner:
            owners[token.i] = owner
            last_owner[lemma] = last_owner["*"] = owner
    return owners


def _refers_back(token: Token) -> bool:
    """"the statement" with nothing to say whose: the document mentioned before. "A
    statement released by X" is a new document, even when X is not recognised."""
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
    described = any(c.dep_ in ("acl", "relcl", "prep", "poss") for c in token.children)
    return definite and not described


def _document_owner(token: Token, index: EntityIndex, kb: KnowledgeBase, speakers: _Speakers) -> str | None:
    for child in token.children:
        if child.dep_ in OWNER_MODIFIERS:
            owner = index.actor_at(child) or demonym_actor(child, index, kb)
            if owner:
                return owner
        if child.dep_ == "acl":  # "a statement released by X"
            agents = [a for a in child.children if a.dep_ == "agent"]
        else:  # "a tweet by X"
            agents = [child] if child.dep_ == "prep" and child.lower_ == "by" else []
        for agent in agents:
            for pobj in agent.children:
                owner = speakers.referent(pobj, depth=1)
                if owner:
                    return owner
    if token.dep_ in ("pobj", "dobj"):
        verb = token.head.head if token.dep_ == "pobj" else token.head
        for subject in verb.children:
            if subject.dep_ in SUBJECTS and index.actor_at(subject):
                return index.actor_at(subject)
    return None


@rule("statement.reported.clause")
def reported_statements(doc: Doc, inside: list[bool], speakers: _Speakers) -> list[Statement]:
    """"X said (that) ..." outside quotation marks is a reported statement, kept apart from quotes."""
    found: list[Statement] = []
    table = speakers.index.table
    for token in table.with_lemma(table.hashes(speakers.kb.cue_set("reporting"))):
        if inside[token.i] or token.pos_ != "VERB" or not speakers.is_reporting_verb(token):
            continue
        clause = next((c for c in token.children if c.dep_ == "ccomp" and not inside[c.i]), None)
        if clause is None:
            continue
        speaker = speakers.subject_of(token)
        if speaker is None:
            continue
        tokens = [t for t in clause.subtree if not inside[t.i]]
        if len(tokens) < 3:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if tokens[0].lower_ == "that":
            start = tokens[1].idx
        span = char_span(table.text, start, end)
        found.append(Statement(
            speaker=speaker, quote=span.text, span=span,
            sentence=table.sentence_text_span(token), kind="reported",
        ))
    return found


__all__ = ["extract_statements", "find_quotes", "quoted_tokens", "QuoteSpan"]


def quoted_tokens(doc: Doc, table) -> list[bool]:
    """Per token, whether it lies inside a direct quotation (scare quotes do not count);
    computed once per document and kept on its token table."""
    if table.quoted is None:
        text = table.text
        table.quoted = _inside_mask(doc, [q for q in find_quotes(text)
                                          if len(text[q.start:q.end].split()) >= MIN_QUOTE_WORDS])
    return table.quoted
