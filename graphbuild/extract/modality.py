"""Modality of an event: asserted, negated or hypothetical.

The cue words come from ``ontology/cues.tsv``. A cue counts when it governs the trigger
within its clause chain: the trigger and the words it depends on, nearest first (``would
launch``, ``plans to attack``, ``the threat of an invasion``, ``denied any plans``). At each
word of the chain the rules of the stage ``modality.cue`` are tried in order; the first that
finds a cue decides. Failing a cue, the modal "be to" ("is to meet") and a noun of intent with a
to-infinitive ("its willingness to talk") make the event hypothetical; otherwise it is asserted
(no rule). A threat that a type rule derives from an announced act has the modality of the
announcement (``announced_threat``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..kb import KnowledgeBase
from .rules import RuleSet, default_rules, rule

# Dependencies through which a governing word scopes over the trigger.
SCOPE_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "advcl", "relcl", "attr", "nsubj", "conj", "pcomp",
              "compound", "amod", "oprd", "csubj", "nsubjpass"}
MAX_HOPS = 4
NEGATING_DEPS = ("neg", "det", "advmod", "preconj")
NEGATING_SCOPES = ("neg", "det", "cc")  # "not", "no", "nor": not "yet" ("and yet they met")
MODAL_DEPS = ("aux", "auxpass", "advmod")  # conditional marks: modality.cue.condition
CLAUSE_SUBJECTS = ("nsubj", "nsubjpass", "expl")
INFINITIVE = "infinitive"  # the scope of a cue that counts only over a to-infinitive ("is about to")


@dataclass(frozen=True)
class ChainStep:
    """One word of a trigger's governing chain, with what the cue rules need to judge it."""

    token: Token
    depth: int  # 0 for the trigger itself
    previous: Token | None  # the chain word below it (None for the trigger)
    kb: KnowledgeBase

    @property
    def governs(self) -> bool:
        """Whether the word governs the trigger: above it, and not merely conjoined with the
        word below ("denied X, but continues to deny Y")."""
        return self.depth > 0 and self.previous is not None and self.previous.dep_ != "conj"

    @property
    def same_clause(self) -> bool:
        """Whether the word's auxiliaries and negations reach the trigger: not across a coordinated
        clause with a subject of its own ("is not a member, but it is part of a pact"), though
        conjoined verbs share them ("will meet and discuss")."""
        below = self.previous
        return below is None or below.dep_ != "conj" or not any(c.dep_ in CLAUSE_SUBJECTS for c in below.children)


def event_modality(trigger: Token, kb: KnowledgeBase, quoted: list[bool] | None = None,
                   rules: RuleSet | None = None) -> tuple[str, str | None]:
    """The trigger's modality and the id of the rule that decided it (None: asserted, no cue)."""
    rules = rules or default_rules()
    chain = governing_chain(trigger)
    if quoted is not None and rules.on("modality.voice_boundary"):
        chain = voice_boundary(chain, quoted)
    if rules.on("modality.relative_clause"):
        chain = relative_clause(chain)
    for depth, token in enumerate(chain):
        step = ChainStep(token, depth, chain[depth - 1] if depth else None, kb)
        verdict, rule_id = rules.first("modality.cue", step)
        if verdict is not None:
            return verdict, rule_id
    if rules.on("modality.be_to") and be_to(trigger):
        return "hypothetical", "modality.be_to"
    if rules.on("modality.intent_noun") and intent_noun(trigger, kb):
        return "hypothetical", "modality.intent_noun"
    return "asserted", None


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and the words it depends on within its sentence, nearest first."""
    chain = [trigger]
    token = trigger
    for _ in range(MAX_HOPS):
        if token.dep_ not in SCOPE_DEPS or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
    return chain


@rule("modality.voice_boundary")
def voice_boundary(chain: list[Token], quoted: list[bool]) -> list[Token]:
    """A quotation's words and the article's are separate voices: no cue of one scopes over the other.

    A parse that hangs the one under the other ("denied ...", said before a quote that "aims
    to ...") is cut where the voice changes."""
    inside = quoted[chain[0].i]
    cut = next((n for n, token in enumerate(chain) if quoted[token.i] != inside), len(chain))
    return chain[:cut]


@rule("modality.relative_clause")
def relative_clause(chain: list[Token]) -> list[Token]:
    """A relative clause states a fact of its own: no cue above the noun it describes scopes over it ("asked X, who is backed by Y, to resign").

    The chain is cut after that noun, whose own cues still count ("a plan under which X would ...")."""
    cut = next((n for n, token in enumerate(chain) if token.dep_ == "relcl"), None)
    return chain if cut is None else chain[:cut + 2]


@rule("modality.cue.condition")
def condition(step: ChainStep) -> str | None:
    """A conditional subordinator on the event's clause, even a negated one: "if X invades", "unless X withdraws", "if X does not leave"."""
    marks = step.kb.cue_words("hypothetical")
    if any(c.dep_ == "mark" and marks.get(c.lower_) == "mark" for c in step.token.children):
        return "hypothetical"
    return None


@rule("modality.cue.negation")
def negation(step: ChainStep) -> str | None:
    """A negation on the event or a verb above it: "did not attack", "no withdrawal", "no sign of a withdrawal", "no evidence that X attacked"."""
    token, cues = step.token, step.kb.cue_words("negated")
    if not step.same_clause or not any(  # by lemma too: "n't" is "not"
            c.dep_ in NEGATING_DEPS and (cues.get(c.lower_) or cues.get(c.lemma_.lower())) in NEGATING_SCOPES
            for c in token.children):
        return None
    # A negated noun above the event counts only when its "of" or "that" clause names the event ("no sign
    # of a withdrawal", "no evidence that X attacked"), not "no country's attack".
    below = step.previous
    if step.depth == 0 or token.pos_ in ("VERB", "AUX") or token.pos_ == "NOUN" and (
            (below.dep_ == "prep" and below.lower_ == "of")
            or (below.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in below.children))):
        return "negated"
    return None


@rule("modality.cue.modal_auxiliary")
def modal_auxiliary(step: ChainStep) -> str | None:
    """A modal or future auxiliary, or an adverb of possibility: "would attack", "will meet", "possibly met"."""
    hypothetical, future = step.kb.cue_words("hypothetical"), step.kb.cue_words("future")
    if step.same_clause and any(c.dep_ in MODAL_DEPS and (c.lower_ in hypothetical or c.lower_ in future) for c in step.token.children):
        return "hypothetical"
    return None


@rule("modality.cue.negating_governor")
def negating_governor(step: ChainStep) -> str | None:
    """A verb, noun or adjective of denial or failure governs the event: "denied attacking", "refused to meet", "unable to agree"."""
    token, cues = step.token, step.kb.cue_words("negated")
    if not step.governs or token.pos_ not in ("VERB", "NOUN", "ADJ"):
        return None
    scope = cues.get(token.lemma_.lower())
    if scope is None or (token.pos_ == "ADJ" and scope != "governor"):
        return None  # an adjective counts only as a governor ("unable to"), not as a modifier ("false")
    return "negated"


@rule("modality.cue.hypothetical_governor")
def hypothetical_governor(step: ChainStep) -> str | None:
    """A word of plan, threat, fear or possibility governs the event: "plans to attack", "the threat of an invasion"."""
    token, cues = step.token, step.kb.cue_words("hypothetical")
    scope = cues.get(token.lemma_.lower()) or cues.get(token.lower_)
    if step.governs and scope is not None and scope != INFINITIVE:
        return "hypothetical"
    return None


@rule("modality.cue.infinitive_frame")
def infinitive_frame(step: ChainStep) -> str | None:
    """A word that frames the event as its to-infinitive: "is about to attack", "ordered the troops to withdraw", "has yet to reply"."""
    below = step.previous
    if not step.governs or not any(c.dep_ == "aux" and c.lower_ == "to" for c in below.children):
        return None
    words = [step.token] + [c for c in step.token.children if c.dep_ == "advmod"]  # "has yet to"
    for kind in ("negated", "hypothetical"):
        cues = step.kb.cue_words(kind)
        if any(INFINITIVE in (cues.get(w.lemma_.lower()), cues.get(w.lower_)) for w in words):
            return kind
    return None


@rule("modality.cue.modifier")
def modifier(step: ChainStep) -> str | None:
    """An adjective of possibility, plan or allegation on the event noun, or of falsehood on a noun above it: "a possible invasion", "the alleged attack", "false reports of an attack"."""
    token = step.token
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    if step.depth == 0:
        kinds = ("negated", "hypothetical")
    elif step.previous.dep_ in ("acl", "ccomp") or (step.previous.dep_ == "prep" and step.previous.lower_ in ("of", "about")):
        kinds = ("negated",)  # "false reports of an attack", "baseless claims that X attacked"
    else:
        return None
    for child in token.children:
        if child.dep_ != "amod":
            continue
        for kind in kinds:
            if step.kb.cue_words(kind).get(child.lower_) == "amod":
                return kind
    return None


@rule("modality.announced_threat")
def announced_threat(announcer: Token | None, conditional: bool, kb: KnowledgeBase, quoted: list[bool] | None,
                     rules: RuleSet) -> tuple[str, str | None] | None:
    """A threat announced or set as a condition is made: "X vowed to strike", "X will strike unless ..." is an asserted THREATEN, though the strike stays hypothetical.

    The threat has the modality of the verb that announces it ("did not say it would strike" is
    no threat made); an ultimatum with no such verb is made by its own words. A plain forecast
    ("X will impose costs") keeps the act's modality (None)."""
    if announcer is not None:
        verdict, rule_id = event_modality(announcer, kb, quoted, rules)
        return verdict, rule_id or "modality.announced_threat"
    return ("asserted", "modality.announced_threat") if conditional else None


@rule("modality.intent_noun")
def intent_noun(trigger: Token, kb: KnowledgeBase) -> bool:
    """An event named by a noun of intent with a to-infinitive is a disposition, not an act: "its willingness to hold talks", "a plan to withdraw"."""
    if trigger.pos_ != "NOUN" or kb.cue_words("hypothetical").get(trigger.lemma_.lower()) is None:
        return False
    return any(c.dep_ in ("acl", "relcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
               for c in trigger.children)


@rule("modality.be_to")
def be_to(trigger: Token) -> bool:
    """The modal "be to" announces a future act: "the envoy is to meet the king"."""
    return trigger.dep_ == "xcomp" and trigger.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
