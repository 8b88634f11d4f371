"""Shared test fixtures. Each block belongs to one area; keep blocks separate."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Queries, exports, serve, push (issue 6): a small two-document graph made with the real
# RDF writer, in both store kinds. The articles are invented; their names and countries
# are fictional so that no test leans on the knowledge base or the evaluation texts.
# ---------------------------------------------------------------------------------------
import datetime as _dt
from pathlib import Path as _Path

import pytest

SAMPLE_ONTOLOGY_FILES = ("graphbuild.ttl", "plover.ttl")

SAMPLE_ARTICLES = {
    "north-gazette-1.txt": (
        "Ruritania accused Borduria of shelling the border town of Klopstock. "
        "\u201CWe will defend every village,\u201D said President Anna Weiss. "
        "Bordurian artillery attacked Ruritania overnight, the ministry said. "
        "Sean \"Hawk\" O'Neil; } DROP ALL warned that Borduria could impose sanctions on Ruritania."
    ),
    "south-courier-2.txt": (
        "Borduria denied that its forces attacked Ruritania. "
        "\u201CNot a single shell was fired,\u201D said Foreign Minister Karl Brandt. "
        "Borduria and Ruritania agreed to hold talks in Klopstock."
    ),
}


def _span(text: str, fragment: str, start_at: int = 0):
    from graphbuild.model import TextSpan

    start = text.index(fragment, start_at)
    return TextSpan(start, start + len(fragment), fragment)


def _sentence(text: str, fragment: str):
    """The sentence (ending at '.') that contains ``fragment``."""
    from graphbuild.model import TextSpan

    inner = text.index(fragment)
    start = text.rfind(". ", 0, inner)
    start = 0 if start < 0 else start + 2
    end = text.index(".", inner + len(fragment) - 1) + 1
    return TextSpan(start, end, text[start:end])


def sample_extractions():
    """Two extractions with actors resolved to shared IRIs, as the pipeline would leave them."""
    from graphbuild.model import Actor, Claim, Document, Event, Extraction, Place, Role, Statement
    from graphbuild.vocab import actor_iri, place_iri

    def actor(key, name, kind, country, text, *forms):
        mentions = [_span(text, form) for form in forms]
        return Actor(key, name, kind, country=country, aliases=set(forms), mentions=mentions,
                     iri=str(actor_iri(kind, name)))

    def event(text, kind, source, target, modality, trigger, place=None):
        return Event(kind, source, target, modality, _span(text, trigger), _sentence(text, trigger), place=place,
                     rules=("event.trigger.word", "event.source.subject", "event.target.lexicon"),
                     lexicon_entry=f"{trigger.split()[0]} VERB {kind}", confidence=0.9)

    first_text = SAMPLE_ARTICLES["north-gazette-1.txt"]
    first = Extraction(
        Document("north-gazette-1.txt", first_text, title="Shelling at the border", published=_dt.date(2024, 3, 1),
                 publisher="North Gazette", source="https://north.example/shelling", content_hash="h1"),
        actors=[
            actor("rur", "Ruritania", "Country", "RUR", first_text, "Ruritania"),
            actor("bor", "Borduria", "Country", "BOR", first_text, "Borduria", "Bordurian"),
            actor("weiss", "Anna Weiss", "Person", "RUR", first_text, "Anna Weiss"),
            actor("hawk", "Sean \"Hawk\" O'Neil; } DROP ALL", "Person", "RUR", first_text,
                  "Sean \"Hawk\" O'Neil; } DROP ALL"),
        ],
        places=[Place("klop", "Klopstock", country="RUR", mentions=[_span(first_text, "Klopstock")],
                      iri=str(place_iri("Klopstock")))],
        roles=[Role("weiss", "President", "rur", _span(first_text, "President Anna Weiss"))],
        statements=[Statement("weiss", "We will defend every village,", _span(first_text, "We will defend every village,"),
                              _sentence(first_text, "We will defend"))],
        events=[
            event(first_text, "ACCUSE", "rur", "bor", "asserted", "accused", place="klop"),
            event(first_text, "ASSAULT", "bor", "rur", "asserted", "attacked"),
            event(first_text, "SANCTION", "bor", "rur", "hypothetical", "impose sanctions"),
            event(first_text, "THREATEN", "hawk", "bor", "asserted", "warned"),
        ],
    )
    second_text = SAMPLE_ARTICLES["south-courier-2.txt"]
    second = Extraction(
        Document("south-courier-2.txt", second_text, title="Borduria denies attack", published=_dt.date(2024, 3, 2),
                 publisher="South Courier", source="https://south.example/denial", content_hash="h2"),
        actors=[
            actor("bor", "Borduria", "Country", "BOR", second_text, "Borduria"),
            actor("rur", "Ruritania", "Country", "RUR", second_text, "Ruritania"),
            actor("brandt", "Karl Brandt", "Person", "BOR", second_text, "Karl Brandt"),
        ],
        places=[Place("klop", "Klopstock", country="RUR", mentions=[_span(second_text, "Klopstock")],
                      iri=str(place_iri("Klopstock")))],
        roles=[Role("brandt", "Foreign Minister", "bor", _span(second_text, "Foreign Minister Karl Brandt"))],
        statements=[Statement("brandt", "Not a single shell was fired,", _span(second_text, "Not a single shell was fired,"),
                              _sentence(second_text, "Not a single shell"))],
        events=[
            event(second_text, "ASSAULT", "bor", "rur", "negated", "attacked"),
            event(second_text, "REJECT", "bor", "rur", "asserted", "denied"),
            event(second_text, "AGREE", "bor", "rur", "asserted", "agreed", place="klop"),
        ],
        # Brandt's words: the attack did not happen, as he says it
        claims=[Claim("brandt", event(second_text, "ASSAULT", "bor", "rur", "negated", "shell was fired"),
                      _span(second_text, "Not a single shell was fired,"))],
    )
    return [first, second]


def build_sample_dataset(output_dir: _Path, kind: str):
    """The sample graph in a fresh store of ``kind``, with the ontology in its own named graph."""
    from rdflib import Graph

    from graphbuild.cluster import update_clusters
    from graphbuild.rdf.writer import document_quads, entity_quads
    from graphbuild.store import add_quads, open_dataset
    from graphbuild.vocab import mint

    dataset = open_dataset(output_dir, kind)
    extractions = sample_extractions()
    for extraction in extractions:
        add_quads(dataset, document_quads(extraction))
    actors = {actor.iri: actor for extraction in extractions for actor in extraction.actors}
    places = {place.iri: place for extraction in extractions for place in extraction.places}
    add_quads(dataset, entity_quads(list(actors.values()), list(places.values())))
    update_clusters(dataset)
    ontology = Graph(dataset.store, identifier=mint("graph", "ontology"))
    ontology_dir = _Path(__file__).resolve().parent.parent / "ontology"
    for name in SAMPLE_ONTOLOGY_FILES:
        if (ontology_dir / name).exists():
            ontology.parse(ontology_dir / name, format="turtle")
    return dataset


@pytest.fixture(scope="session", params=["oxigraph", "memory"])
def sample_dataset(request, tmp_path_factory):
    """The sample graph, once per store kind and session; tests must not change it."""
    from graphbuild.store import close

    dataset = build_sample_dataset(tmp_path_factory.mktemp(f"sample-{request.param}"), request.param)
    yield dataset
    close(dataset)


@pytest.fixture(scope="session")
def sample_build_dir(tmp_path_factory):
    """A build folder holding the sample graph in an Oxigraph store, closed so that
    a `graphbuild` subprocess can open it."""
    from graphbuild.store import close

    folder = tmp_path_factory.mktemp("sample-build")
    close(build_sample_dataset(folder, "oxigraph"))
    return folder

@pytest.fixture(scope="session", params=["oxigraph", "memory"])
def seed_build(request, tmp_path_factory):
    """The seed articles built once per store kind and session by the real pipeline;
    yields (build folder, opened dataset). Tests must not change it."""
    from graphbuild.pipeline import BuildOptions, build
    from graphbuild.store import close, existing_dataset

    folder = tmp_path_factory.mktemp(f"seed-{request.param}")
    seeds = _Path(__file__).resolve().parent.parent / "seeds"
    build([seeds], BuildOptions(output_dir=folder, store=request.param, view=False))
    dataset = existing_dataset(folder)
    yield folder, dataset
    close(dataset)
# ------------------------------------------------------------------- end of issue 6 block


# ---------------------------------------------------------------------------------------
# Views and actor network (issue 5): a factory for small graphs written by the real RDF
# writer, and one headless Chromium per session for the browser tests.
# ---------------------------------------------------------------------------------------
def make_view_dataset(folder: _Path, articles: list[dict], kind: str = "memory"):
    """A dataset holding ``articles``, each a dict with ``id``, ``title``, ``publisher``,
    ``published`` (ISO), ``actors`` [(key, name, type, country[, surface forms])], ``events``
    [(type, source, target, modality, sentence[, {rules, lexicon_entry, confidence}])],
    ``statements`` [(speaker, quote, sentence)].
    Every sentence must occur in the article's ``text``. Actors with the same type and name
    get the same IRI, so they merge across articles as the resolver would merge them."""
    from graphbuild.model import Actor, Document, Event, Extraction, Statement, TextSpan
    from graphbuild.rdf.writer import document_quads, entity_quads
    from graphbuild.store import add_quads, open_dataset
    from graphbuild.vocab import actor_iri

    def span(text: str, fragment: str) -> TextSpan:
        start = text.index(fragment)
        return TextSpan(start, start + len(fragment), fragment)

    dataset = open_dataset(folder, kind)
    merged: dict[str, Actor] = {}
    for article in articles:
        text = article["text"]
        document = Document(
            id=article["id"], text=text, title=article.get("title"), publisher=article.get("publisher"),
            published=_dt.date.fromisoformat(article["published"]) if article.get("published") else None,
            content_hash=article["id"],
        )
        actors = []
        for key, name, actor_type, country, *surface_forms in article.get("actors", []):
            actor = Actor(key=key, name=name, type=actor_type, country=country, iri=str(actor_iri(actor_type, name)))
            for form in [name, *(surface_forms[0] if surface_forms else [])]:
                if form in text:
                    actor.mentions.append(span(text, form))
            actors.append(actor)
            merged.setdefault(actor.iri, actor)
        events = [
            Event(type=event_type, source=source, target=target, modality=modality,
                  trigger=span(text, sentence), sentence=span(text, sentence), **(provenance[0] if provenance else {}))
            for event_type, source, target, modality, sentence, *provenance in article.get("events", [])
        ]
        statements = [
            Statement(speaker=speaker, quote=quote, span=span(text, quote), sentence=span(text, sentence))
            for speaker, quote, sentence in article.get("statements", [])
        ]
        extraction = Extraction(document=document, actors=actors, events=events, statements=statements)
        add_quads(dataset, document_quads(extraction))
    add_quads(dataset, entity_quads(list(merged.values()), []))
    return dataset


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session, recording console and DevTools network logs.
    Tests open pages with ``open_view`` below, which clears the logs first."""
    from graphbuild.views.screenshot import BrowserUnavailable, headless_chromium

    try:
        context = headless_chromium(log_network=True)
        driver = context.__enter__()
    except BrowserUnavailable as err:
        pytest.skip(f"no headless browser: {err}")
    yield driver
    context.__exit__(None, None, None)


# Installed before any page script runs: records CSP violations and script errors, and
# whether anything injected managed to run (hostile test text sets window.__injected).
PAGE_PROBE = """
window.__cspViolations = [];
window.__pageErrors = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', e => window.__pageErrors.push(String(e.message)));
"""


def open_view(driver, html_path: _Path, timeout: float = 60.0):
    """Load a view in the shared browser, wait until it is drawn and settled; returns the
    requests (DevTools Network events) and console entries the load produced."""
    import json as _json
    import time as _time

    from graphbuild.views.screenshot import wait_until_drawn

    driver.get("about:blank")
    driver.get_log("performance")
    driver.get_log("browser")
    probe = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PAGE_PROBE})
    try:
        driver.get(_Path(html_path).resolve().as_uri())
        wait_until_drawn(driver, timeout)
        deadline = _time.monotonic() + timeout
        while not driver.execute_script("return window.graphView.settled") and _time.monotonic() < deadline:
            _time.sleep(0.05)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": probe["identifier"]})
    requests = []
    for entry in driver.get_log("performance"):
        message = _json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return requests, driver.get_log("browser")
# ------------------------------------------------------------------- end of issue 5 block


# ---------------------------------------------------------------------------------------
# Extraction (issue 4, statements and roles): the real spaCy pipeline and knowledge base,
# built once per session, and a helper that extracts one invented article.
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def nlp():
    from graphbuild.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def kb():
    from graphbuild import kb as kb_module

    return kb_module.load()


@pytest.fixture(scope="session")
def extract_text(nlp, kb):
    """text → Extraction, through the same stages as a build."""
    from graphbuild.extract import extract
    from graphbuild.model import Document

    from graphbuild.extract import RuleSet

    def run(text: str, title: str | None = None, published=None, source: str | None = None,
            publisher: str | None = None, disabled=()):
        document = Document(id="test.txt", text=text, title=title, published=published, source=source,
                            publisher=publisher)
        return extract(nlp(text), document, kb, RuleSet(disabled) if disabled else None)

    return run
# ------------------------------------------------------------------- end of issue 4 (statements, roles) block
