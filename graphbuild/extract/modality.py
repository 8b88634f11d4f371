"""Modality of an event: asserted, negated or hypothetical.

The cue words come from ``ontology/cues.tsv``. A cue counts when it governs the trigger
within its clause chain: the trigger and the words it depends on, nearest first (``would
launch``, ``plans to attack``, ``the threat of an invasion``, ``denied any plans``). At each
word of the chain the rules of the stage ``modality.cue`` are tried in order; the first that
finds a cue decides. An event with no cue is asserted (no rule).
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
MODAL_DEPS = ("aux", "auxpass", "mark", "advmod")


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


def event_modality(trigger: Token, kb: KnowledgeBase, quoted: list[bool] | None = None,
                   rules: RuleSet | None = None) -> tuple[str, str | None]:
    """The trigger's modality and the id of the rule that decided it (None: asserted, no cue)."""
    rules = rules or default_rules()
    chain = governing_chain(trigger)
    if quoted is not None and rules.on("modality.voice_boundary"):
        chain = voice_boundary(chain, quoted)
    for depth, token in enumerate(chain):
        step = ChainStep(token, depth, chain[depth - 1] if depth else None, kb)
        verdict, rule_id = rules.first("modality.cue", step)
        if verdict is not None:
            return verdict, rule_id
    if rules.on("modality.be_to") and be_to(trigger):
        return "hypothetical", "modality.be_to"
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


@rule("modality.cue.negation")
def negation(step: ChainStep) -> str | None:
    """A negation on the event or a verb above it: "did not attack", "no withdrawal", "no sign of a withdrawal"."""
    token, cues = step.token, step.kb.cue_words("negated")
    if not any(c.dep_ in NEGATING_DEPS and c.lower_ in cues for c in token.children):
        return None
    # A negated noun above the event counts only when its "of" names the event ("no sign of a
    # withdrawal"), not "no country's attack".
    if step.depth == 0 or token.pos_ in ("VERB", "AUX") or (
            token.pos_ == "NOUN" and step.previous.dep_ == "prep" and step.previous.lower_ == "of"):
        return "negated"
    return None


@rule("modality.cue.modal_auxiliary")
def modal_auxiliary(step: ChainStep) -> str | None:
    """A modal or future auxiliary, or a conditional subordinator: "would attack", "will meet", "if X invades"."""
    hypothetical, future = step.kb.cue_words("hypothetical"), step.kb.cue_words("future")
    if any(c.dep_ in MODAL_DEPS and (c.lower_ in hypothetical or c.lower_ in future) for c in step.token.children):
        return "hypothetical"
    return None


@rule("modality.cue.negating_governor")
def negating_governor(step: ChainStep) -> str | None:
    """A verb or noun of denial or failure governs the event: "denied attacking", "refused to meet"."""
    token = step.token
    if step.governs and token.pos_ in ("VERB", "NOUN") and token.lemma_.lower() in step.kb.cue_words("negated"):
        return "negated"
    return None


@rule("modality.cue.hypothetical_governor")
def hypothetical_governor(step: ChainStep) -> str | None:
    """A word of plan, threat, fear or possibility governs the event: "plans to attack", "the threat of an invasion"."""
    token, cues = step.token, step.kb.cue_words("hypothetical")
    if step.governs and (token.lemma_.lower() in cues or token.lower_ in cues):
        return "hypothetical"
    return None


@rule("modality.be_to")
def be_to(trigger: Token) -> bool:
    """The modal "be to" announces a future act: "the envoy is to meet the king"."""
    return trigger.dep_ == "xcomp" and trigger.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
