"""Modality of an event: asserted, negated or hypothetical.

The cue words come from ``ontology/cues.tsv``. A cue counts when it governs the trigger
within its clause chain: an auxiliary or negation on the trigger or on a verb the trigger
depends on ("would launch", "did not attack"), a governing verb or noun ("plans to
attack", "the threat of an invasion", "denied any plans"), a determiner ("no
withdrawal"), or a conditional subordinator ("if Russia invades").
"""

from __future__ import annotations

from spacy.tokens import Token

from ..kb import KnowledgeBase

# Dependencies through which a governing word scopes over the trigger.
SCOPE_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "advcl", "relcl", "attr", "nsubj", "conj", "pcomp",
              "compound", "amod", "oprd", "csubj", "nsubjpass"}
MAX_HOPS = 4


def event_modality(trigger: Token, kb: KnowledgeBase, quoted: list[bool] | None = None) -> str:
    negation = kb.cue_words("negated")
    hypothetical = kb.cue_words("hypothetical")
    future = kb.cue_words("future")
    chain = _governing_chain(trigger)
    if quoted is not None:
        # The article's words and a quotation's are separate voices: a parse that hangs the
        # one under the other ("denied ...", said before a quote that "aims to ...") is cut there.
        inside = quoted[trigger.i]
        cut = next((n for n, token in enumerate(chain) if quoted[token.i] != inside), len(chain))
        chain = chain[:cut]
    negated_here = False
    for depth, token in enumerate(chain):
        # A conjoined verb shares its partner's auxiliaries ("would attack and occupy") but is
        # not governed by it ("denied X, but continues to deny Y").
        coordinated = depth > 0 and chain[depth - 1].dep_ == "conj"
        # Negations first: "will not accept" is negated whatever order the parse lists them in.
        for child in sorted(token.children, key=lambda c: c.dep_ != "neg"):
            word = child.lower_
            if child.dep_ in ("neg", "det", "advmod", "preconj") and word in negation:
                # "no withdrawal", "did not withdraw", and "no sign of a withdrawal" (a negated
                # noun whose "of" names the event), but not "no country's attack".
                if depth == 0 or token.pos_ in ("VERB", "AUX") or (
                        token.pos_ == "NOUN" and chain[depth - 1].dep_ == "prep" and chain[depth - 1].lower_ == "of"):
                    negated_here = True
            if child.dep_ in ("aux", "auxpass", "mark", "advmod") and (word in hypothetical or word in future):
                return "hypothetical" if not negated_here else "negated"
        if depth > 0 and not coordinated and token.lemma_.lower() in negation and token.pos_ in ("VERB", "NOUN"):
            return "negated"
        if depth > 0 and not coordinated and (token.lemma_.lower() in hypothetical or token.lower_ in hypothetical):
            return "hypothetical"
        if negated_here:
            return "negated"
    if _conditional(chain, hypothetical) or _is_to_be_done(trigger):
        return "hypothetical"
    return "asserted"


def _governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the words it depends on within its sentence, nearest first."""
    chain = [trigger]
    token = trigger
    for _ in range(MAX_HOPS):
        if token.dep_ not in SCOPE_DEPS or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
    return chain


def _is_to_be_done(trigger: Token) -> bool:
    """"Clinton is to meet Lee": the modal "be to" announces a future act."""
    return trigger.dep_ == "xcomp" and trigger.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)


def _conditional(chain: list[Token], hypothetical: dict[str, str]) -> bool:
    """"if Russia invades": a conditional clause around the trigger."""
    for token in chain:
        if any(c.dep_ == "mark" and c.lower_ in hypothetical for c in token.children):
            return True
    return False
