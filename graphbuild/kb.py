"""Load the domain knowledge in ``ontology/`` once into the lookup structures the
pipeline components need: the actor knowledge base, the PLOVER typology and the
trigger, cue and office lexicons.

Turtle is parsed with pyoxigraph (fast); the result is cached per process.
"""

from __future__ import annotations

import csv
import functools
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import confidence

GB = "https://w3id.org/graphbuild/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT_SOURCE = "http://purl.org/dc/terms/source"
SCHEMA_SAMEAS = "https://schema.org/sameAs"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

ACTOR_TYPES = {GB + "State": "Country", GB + "Organization": "Organization",
               GB + "ArmedGroup": "Organization", GB + "Person": "Person"}

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


TRIGGER_POS = ("VERB", "NOUN", "ADJ")  # "attacked", "the attack", "grateful to"


def default_ontology_dir() -> Path:
    """``GRAPHBUILD_ONTOLOGY`` or the ``ontology/`` folder of the source tree."""
    configured = os.environ.get("GRAPHBUILD_ONTOLOGY")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "ontology"


@dataclass(frozen=True)
class Office:
    role: str  # as reported: "Prime Minister"
    of: str  # KB id of the state or organisation
    start: str | None = None  # ISO dates
    end: str | None = None


@dataclass
class KBEntry:
    id: str  # KB IRI
    name: str
    type: str  # "Country" | "Organization" | "Person" | "Place"
    country: str | None = None  # ISO alpha-3
    aliases: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    armed_group: bool = False
    web_domains: list[str] = field(default_factory=list)  # where it publishes its own words
    news_media: bool = False  # an outlet actors speak through ("said on Fox News"), not a party to events
    latitude: float | None = None  # WGS84 degrees (geo:lat, geo:long), for places the gazetteer lacks
    longitude: float | None = None


@dataclass(frozen=True)
class Trigger:
    lemma: str  # one lemma or several joined by spaces ("pull out", "peace talk")
    pos: str  # VERB | NOUN
    type: str  # PLOVER type
    target: tuple[str, ...]  # dependency specs: dobj, dative, prep:with, of, poss, nsubj, none
    source: tuple[str, ...]  # empty: the default (subject / agent / possessor)
    mode: str | None = None
    strict: bool = False  # an event only when the target spec finds an actor ("measures against X")


@dataclass(frozen=True)
class PloverType:
    name: str
    label: str
    quad_class: str | None
    intensity: float | None
    cameo_roots: tuple[str, ...]
    target_required: bool = False  # an event of this type means nothing without its target


@dataclass
class KnowledgeBase:
    entries: dict[str, KBEntry]
    plover: dict[str, PloverType]
    triggers: dict[tuple[str, str], list[Trigger]]  # (first verb lemma or noun head, pos) → triggers
    cues: dict[str, dict[str, str]]  # kind → {cue: scope}
    offices: dict[str, str]  # lowercased title → role as reported
    office_kinds: dict[str, str]
    names: dict[str, list[str]] = field(default_factory=dict)  # surface form → KB ids (aliases, prefLabel)
    metonyms: dict[str, list[str]] = field(default_factory=dict)  # surface form → KB ids
    demonyms: dict[str, list[str]] = field(default_factory=dict)  # lowercased adjective → KB ids
    descriptors: dict[str, list[str]] = field(default_factory=dict)  # lowercased noun → KB ids
    by_iso3: dict[str, str] = field(default_factory=dict)  # ISO alpha-3 → state KB id
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # extraction.tsv: kind → words
    trigger_lemmas: frozenset[str] = frozenset()  # first lemmas of all triggers, for a fast scan
    _cue_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    _derived: dict[str, object] = field(default_factory=dict)
    surnames: dict[str, list[str]] = field(default_factory=dict)  # last name (also ASCII-folded) → person ids
    source_dir: Path | None = None
    calibration: confidence.Calibration = field(default_factory=lambda: confidence.Calibration(prior=0.5))

    def cue_words(self, kind: str) -> dict[str, str]:
        return self.cues.get(kind, {})

    def cue_set(self, kind: str) -> frozenset[str]:
        """The cue words of a kind as one stable set (extractors hash it once per vocabulary)."""
        if kind not in self._cue_sets:
            self._cue_sets[kind] = frozenset(self.cues.get(kind, {}))
        return self._cue_sets[kind]

    @functools.cached_property
    def office_titles(self) -> frozenset[str]:
        return frozenset(self.offices)

    @functools.cached_property
    def title_words(self) -> frozenset[str]:
        """Every word of an office title, and honorifics: words that are not part of a name."""
        return frozenset(w for title in self.offices for w in title.split()) | self.word_list("honorific")

    def derived(self, name: str, compute):
        """A value an extractor derives from the knowledge base, computed once per load."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    def word_list(self, kind: str) -> frozenset[str]:
        return self.words.get(kind, frozenset())

    def state(self, iso3: str | None) -> KBEntry | None:
        return self.entries.get(self.by_iso3.get(iso3 or "", ""))

    @functools.cached_property
    def _web_domains(self) -> dict[str, str]:
        return {domain.lower(): entry.id for entry in self.entries.values() for domain in entry.web_domains}

    def publisher(self, host: str) -> KBEntry | None:
        """The actor that publishes under a host name: the longest domain suffix it has in the
        KB ("www.state.gov" → the State Department, "bidenwhitehouse.archives.gov" → the US)."""
        labels = host.lower().rstrip(".").split(".")
        for start in range(len(labels)):
            entry_id = self._web_domains.get(".".join(labels[start:]))
            if entry_id:
                return self.entries.get(entry_id)
        return None


def _literal(term) -> str:
    return term.value if isinstance(term, ox.Literal) else str(term.value)


def _load_turtle(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError, OSError) as err:
            raise ValueError(f"{path}: cannot load ontology data ({err})") from None
    return store


def _load_entries(store: ox.Store) -> dict[str, KBEntry]:
    entries: dict[str, KBEntry] = {}
    place_type = GB + "Place"
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
        subject, cls = quad.subject, quad.object.value
        if not isinstance(subject, ox.NamedNode):
            continue
        kind = ACTOR_TYPES.get(cls) or ("Place" if cls == place_type else None)
        if kind is None:
            continue
        entry = entries.setdefault(subject.value, KBEntry(id=subject.value, name="", type=kind))
        if entry.type == "Place" and kind != "Place":  # an actor type wins over Place
            entry.type = kind
        entry.armed_group = entry.armed_group or cls == GB + "ArmedGroup"

    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(GB + "NewsMedia")):
        if quad.subject.value in entries:
            entries[quad.subject.value].news_media = True

    multi = {SKOS + "altLabel": "aliases", GB + "metonym": "metonyms", GB + "demonym": "demonyms",
             GB + "descriptor": "descriptors", GB + "webDomain": "web_domains"}
    for quad in store.quads_for_pattern(None, None, None):
        entry = entries.get(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
        if entry is None:
            continue
        predicate = quad.predicate.value
        if predicate == SKOS + "prefLabel":
            entry.name = _literal(quad.object)
        elif predicate in multi:
            getattr(entry, multi[predicate]).append(_literal(quad.object))
        elif predicate == GB + "isoAlpha3":
            entry.country = _literal(quad.object)
        elif predicate == GB + "country" and not entry.country:
            entry.country = quad.object.value.rsplit("/", 1)[-1]
        elif predicate == GB + "holds":
            entry.offices.append(_office(store, quad.object))
        elif predicate == GEO + "lat":
            entry.latitude = float(_literal(quad.object))
        elif predicate == GEO + "long":
            entry.longitude = float(_literal(quad.object))
    return {k: v for k, v in entries.items() if v.name}


def _office(store: ox.Store, node) -> Office:
    values = {q.predicate.value: q.object for q in store.quads_for_pattern(node, None, None)}
    get = lambda name: _literal(values[GB + name]) if GB + name in values else None  # noqa: E731
    of = values.get(GB + "roleIn")
    return Office(role=get("roleName") or "", of=of.value if of is not None else "",
                  start=get("startDate"), end=get("endDate"))


def _load_plover(store: ox.Store) -> dict[str, PloverType]:
    plover: dict[str, PloverType] = {}
    namespace = "https://w3id.org/graphbuild/plover#"
    for name in PLOVER_TYPES:
        node = ox.NamedNode(namespace + name)
        values: dict[str, list] = defaultdict(list)
        for quad in store.quads_for_pattern(node, None, None):
            values[quad.predicate.value].append(quad.object)
        label = values.get(SKOS + "prefLabel", [ox.Literal(name.title())])[0]
        quad_class = values.get(GB + "quadClass")
        intensity = values.get(GB + "intensity")
        plover[name] = PloverType(
            name=name,
            label=_literal(label),
            quad_class=quad_class[0].value.rsplit("#", 1)[-1] if quad_class else None,
            intensity=float(intensity[0].value) if intensity else None,
            cameo_roots=tuple(sorted(_literal(v) for v in values.get(GB + "cameoRoot", []))),
            target_required=any(_literal(v) == "true" for v in values.get(GB + "targetRequired", [])),
        )
    return plover


def _read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(lines, delimiter="\t")]


def _specs(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _load_triggers(path: Path) -> dict[tuple[str, str], list[Trigger]]:
    triggers: dict[tuple[str, str], list[Trigger]] = defaultdict(list)
    for number, row in enumerate(_read_tsv(path), start=2):
        if row.get("type") not in PLOVER_TYPES or row.get("pos") not in TRIGGER_POS:
            raise ValueError(f"{path}: row {number} has an unknown type or pos: {row}")
        lemma = " ".join(row["lemma"].lower().split())
        target = row.get("target", "").strip()
        trigger = Trigger(lemma=lemma, pos=row["pos"], type=row["type"], target=_specs(target.rstrip("!")),
                          source=_specs(row.get("source", "")), mode=row.get("mode") or None,
                          strict=target.endswith("!"))
        # Verbs are found by their first word ("pull out"), nouns by their head, the last word ("peace talk").
        head = lemma.split()[-1] if trigger.pos == "NOUN" else lemma.split()[0]
        triggers[(head, trigger.pos)].append(trigger)
    for candidates in triggers.values():
        candidates.sort(key=lambda t: -len(t.lemma.split()))  # longest phrase first
    return dict(triggers)


def _load_word_lists(path: Path) -> dict[str, frozenset[str]]:
    lists: dict[str, set[str]] = defaultdict(set)
    for row in _read_tsv(path):
        lists[row["kind"]].add(" ".join(row["word"].lower().split()))
    return {kind: frozenset(words) for kind, words in lists.items()}


def _surnames(entries: dict[str, KBEntry]) -> dict[str, list[str]]:
    surnames: dict[str, list[str]] = defaultdict(list)
    for entry in entries.values():
        if entry.type == "Person" and len(entry.name.split()) > 1:
            last = entry.name.split()[-1]
            for form in {last, ascii_fold(last)}:
                if entry.id not in surnames[form]:
                    surnames[form].append(entry.id)
    return dict(surnames)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _index(entries: dict[str, KBEntry]) -> dict[str, dict[str, list[str]]]:
    indexes: dict[str, dict[str, list[str]]] = {
        "names": defaultdict(list), "metonyms": defaultdict(list),
        "demonyms": defaultdict(list), "descriptors": defaultdict(list),
    }

    def add(index: str, key: str, entry_id: str) -> None:
        if entry_id not in indexes[index][key]:
            indexes[index][key].append(entry_id)

    for entry in entries.values():
        for name in [entry.name, *entry.aliases]:
            add("names", name, entry.id)
        for name in entry.metonyms:
            add("metonyms", name, entry.id)
        for name in entry.demonyms:
            add("demonyms", name.lower(), entry.id)
        for name in entry.descriptors:
            add("descriptors", name.lower(), entry.id)
    return {key: dict(value) for key, value in indexes.items()}


@functools.lru_cache(maxsize=4)
def load(ontology_dir: Path | None = None) -> KnowledgeBase:
    directory = Path(ontology_dir) if ontology_dir else default_ontology_dir()
    if not directory.is_dir():
        raise ValueError(f"{directory}: ontology folder not found")
    actor_files = sorted((directory / "actors").glob("*.ttl"))
    store = _load_turtle(actor_files + [p for p in [directory / "plover.ttl"] if p.exists()])
    entries = _load_entries(store)
    cues: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _read_tsv(directory / "cues.tsv"):
        cues[row["kind"]][" ".join(row["cue"].lower().split())] = row.get("scope", "")
    offices_rows = _read_tsv(directory / "offices.tsv")
    kb = KnowledgeBase(
        entries=entries,
        plover=_load_plover(store),
        triggers=_load_triggers(directory / "triggers.tsv"),
        cues=dict(cues),
        offices={" ".join(r["title"].lower().split()): r["role"] for r in offices_rows},
        office_kinds={" ".join(r["title"].lower().split()): r.get("kind", "") for r in offices_rows},
        words=_load_word_lists(directory / "extraction.tsv"),
        by_iso3={e.country: e.id for e in entries.values() if e.type == "Country" and e.country},
        source_dir=directory,
        calibration=confidence.load(directory / confidence.CALIBRATION_FILE),
    )
    kb.trigger_lemmas = frozenset(lemma for lemma, _ in kb.triggers)
    kb.surnames = _surnames(entries)
    indexes = _index(entries)
    kb.names, kb.metonyms = indexes["names"], indexes["metonyms"]
    kb.demonyms, kb.descriptors = indexes["demonyms"], indexes["descriptors"]
    return kb
