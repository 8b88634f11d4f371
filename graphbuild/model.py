"""Plain dataclasses that cross stage boundaries: ingest → extract → resolve → rdf.

Character offsets always index ``Document.text`` (after header lines are removed),
so every fact can be traced back to the exact text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Document:
    id: str  # stable identifier: file name or JSONL ``id``
    text: str
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    source: str | None = None  # URL or citation of the original
    license: str | None = None
    content_hash: str = ""  # sha256 of text + metadata; unchanged documents are skipped
    path: str | None = None  # where it was read from, for error messages


@dataclass(frozen=True)
class TextSpan:
    start: int
    end: int
    text: str


@dataclass
class Actor:
    key: str  # document-local key, referenced by roles, statements and events
    name: str  # canonical name
    type: str  # "Person" | "Organization" | "Country"
    country: str | None = None  # ISO 3166-1 alpha-3 of the state it is or belongs to
    kb_id: str | None = None  # knowledge-base IRI when known
    aliases: set[str] = field(default_factory=set)  # surface forms seen in this document
    mentions: list[TextSpan] = field(default_factory=list)
    iri: str | None = None  # set by resolve: the same entity gets the same IRI in every document


@dataclass
class Place:
    key: str
    name: str
    kb_id: str | None = None
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[TextSpan] = field(default_factory=list)
    iri: str | None = None
    # set by resolve from the knowledge base or the gazetteer: WGS84 degrees, GeoNames id
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None


@dataclass
class Role:
    person: str  # actor key
    role: str  # office as stated: "Prime Minister"
    of: str | None  # actor key of the state or organisation
    evidence: TextSpan


@dataclass
class Statement:
    speaker: str | None  # actor key
    quote: str
    span: TextSpan  # the quoted text (without quotation marks) or the reported clause
    sentence: TextSpan
    kind: str = "direct"  # "direct" | "reported"


@dataclass
class Event:
    type: str  # PLOVER type: AGREE ... ASSAULT
    source: str | None  # actor key
    target: str | None  # actor key
    modality: str  # "asserted" | "negated" | "hypothetical"
    trigger: TextSpan
    sentence: TextSpan
    place: str | None = None  # place key
    date: date | None = None
    mode: str | None = None  # PLOVER mode, where the trigger lexicon gives one
    # Provenance: the ids of the extraction rules that found the trigger, source, target, type
    # and modality (``graphbuild rules`` lists them), and the trigger-lexicon row that typed it.
    rules: tuple[str, ...] = ()
    lexicon_entry: str | None = None  # "shell VERB ASSAULT"
    confidence: float | None = None  # calibrated probability that the event is right


@dataclass
class Claim:
    """An event that exists only in someone's words: a quotation, reported speech ("X said
    that Y attacked Z"), "according to X". It is the claimant's claim, not the article's report."""

    claimant: str | None  # actor key of the speaker
    event: Event  # the claimed event, with its own type, source, target and modality
    statement: TextSpan | None = None  # the quotation or reported clause that holds it


@dataclass
class Extraction:
    document: Document
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class ClusterMention:
    """An event or claim as the cluster stage reads it back from the store."""

    iri: str
    kind: str  # "event" | "claim"
    source: str | None  # actor IRIs
    type: str  # PLOVER type
    target: str | None
    modality: str  # "asserted" | "negated" | "hypothetical"
    document: str  # document IRI
    published: date | None = None
    origin: str | None = None  # who published the document: publisher, else the source URL's host
    date: date | None = None  # the event's own date
    country: str | None = None  # ISO alpha-3 of the country of its place


@dataclass
class EventCluster:
    """One act reported by one or more mentions; counted by graphbuild/cluster.py."""

    iri: str
    key: str  # the source, type and target the mentions share
    source: str | None  # actor IRIs
    type: str
    target: str | None
    anchor_date: date | None  # the founding mention's date: part of the IRI
    country: str | None  # ISO alpha-3 of where it happened, when a mention says
    mentions: list[ClusterMention] = field(default_factory=list)
    num_articles: int = 0
    num_sources: int = 0
    first_reported: date | None = None
    last_reported: date | None = None
    stances: dict[str, int] = field(default_factory=dict)  # asserted, negated, hypothetical, claimed → mentions
    disputed: bool = False
    disputing: list[str] = field(default_factory=list)  # mentions that deny or only claim what another article asserts
