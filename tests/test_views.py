"""The HTML view: self-contained and offline, inert with hostile text, usable at scale.

Browser tests open the written file in a real headless Chromium (selenium + chromedriver) and
check what a user would get: nodes drawn, no request leaving the page, no console error, text
from articles shown literally and never run.
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest
from conftest import make_view_dataset, open_view

from graphbuild.store import close
from graphbuild.views.html import ViewError, json_for_script, write_graph_view

HOSTILE_NAME = "<img src=x onerror=\"window.__injected='name'\"> Smith"
HOSTILE_QUOTE = "we never </script><script>window.__injected='quote'</script> said \"href\" <!-- there"
HOSTILE_TITLE = "Talks </script><img src=x onerror=\"window.__injected='title'\"> \"href\""
HOSTILE_PUBLISHER = "<a href=\"javascript:window.__injected='publisher'\">Gazette</a>"

BORDER_TEXT = (
    "Ruritania shelled Borduria on Monday. Borduria may sanction Ruritania. "
    f"{HOSTILE_NAME} said “{HOSTILE_QUOTE}” on Tuesday. Borduria did not shell Ruritania. "
    f"Borduria and Ruritania agreed to talks, {HOSTILE_NAME} said."
)
ARTICLES = [
    {
        "id": "border-1", "title": HOSTILE_TITLE, "publisher": HOSTILE_PUBLISHER, "published": "2024-03-04",
        "text": BORDER_TEXT,
        "actors": [
            ("r", "Ruritania", "Country", "RUR"), ("b", "Borduria", "Country", "BOR"),
            ("s", HOSTILE_NAME, "Person", "RUR", ["Smith"]), ("u", "Border Union", "Organization", None),
        ],
        "events": [
            ("ASSAULT", "r", "b", "asserted", "Ruritania shelled Borduria on Monday."),
            ("SANCTION", "b", "r", "hypothetical", "Borduria may sanction Ruritania."),
            ("ASSAULT", "b", "r", "negated", "Borduria did not shell Ruritania."),
            ("AGREE", "b", "r", "asserted", f"Borduria and Ruritania agreed to talks, {HOSTILE_NAME} said."),
            ("ACCUSE", "s", "b", "asserted", f"{HOSTILE_NAME} said “{HOSTILE_QUOTE}” on Tuesday."),
        ],
        "statements": [("s", HOSTILE_QUOTE, f"{HOSTILE_NAME} said “{HOSTILE_QUOTE}” on Tuesday.")],
    },
    {
        "id": "union-2", "title": "Union statement", "publisher": "Union Press", "published": "2024-06-01",
        "text": "The Border Union urged Borduria to talk.",
        "actors": [("u", "Border Union", "Organization", None), ("b", "Borduria", "Country", "BOR")],
        "events": [("REQUEST", "u", "b", "asserted", "The Border Union urged Borduria to talk.")],
    },
]


@pytest.fixture(scope="module")
def border_dataset(tmp_path_factory):
    dataset = make_view_dataset(tmp_path_factory.mktemp("border"), ARTICLES)
    yield dataset
    close(dataset)


@pytest.fixture(scope="module")
def border_view(border_dataset, tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "graph.html"
    write_graph_view(border_dataset, path)
    return path


# ---- the file itself (no browser) ---------------------------------------------------------


def test_json_for_script_cannot_break_out_and_round_trips():
    value = {"text": "</script><!-- <script>&\u2028\u2029 <img src=x>"}
    encoded = json_for_script(value)
    assert not re.search(r"[<>&\u2028\u2029]", encoded)
    assert json.loads(encoded) == value


class _Attributes(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_page_is_self_contained(border_view):
    page = border_view.read_text(encoding="utf-8")
    parser = _Attributes()
    parser.feed(page)
    tags = [tag for tag, _ in parser.elements]
    # nothing to fetch: no external script, stylesheet, image or frame
    assert not [a for _, a in parser.elements if "src" in a or "href" in a]
    assert "link" not in tags and "iframe" not in tags
    scripts = [a for tag, a in parser.elements if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "graph-data"}, {}, {}]
    csp = next(a["content"] for tag, a in parser.elements if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "vis-network" in page and "sourceMappingURL" not in page


def test_hostile_text_is_escaped_in_the_file(border_view):
    page = border_view.read_text(encoding="utf-8")
    # the only </script> tags are the three closing the page's own script elements
    assert page.lower().count("</script") == 3
    assert "onerror" not in page.split('id="graph-data">')[0]  # not in the head or controls
    data = page.split('<script type="application/json" id="graph-data">')[1].split("</script>")[0]
    decoded = json.loads(data)
    assert HOSTILE_NAME in [actor["label"] for actor in decoded["actors"]]


def test_writing_a_view_leaves_nothing_in_the_working_directory(border_dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_graph_view(border_dataset, tmp_path / "out" / "graph.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.html"]


def test_pruned_and_neighbourhood_views_say_so(border_dataset, tmp_path):
    summary = write_graph_view(border_dataset, tmp_path / "top.html", max_nodes=2)
    assert "most central of 4 actors" in summary
    assert "Pruned: showing the 2 most central of 4 actors" in (tmp_path / "top.html").read_text(encoding="utf-8")
    summary = write_graph_view(border_dataset, tmp_path / "union.html", actor="border union", hops=1)
    assert summary.startswith(f"{tmp_path / 'union.html'}: 2 actors")
    with pytest.raises(ViewError, match="no actor named"):
        write_graph_view(border_dataset, tmp_path / "none.html", actor="Atlantis")


# ---- in the browser -----------------------------------------------------------------------


def _local_only(requests: list[str], page: Path) -> list[str]:
    """Requests for anything other than the page itself and inline data: URLs."""
    return [url for url in requests if url != page.resolve().as_uri() and not url.startswith("data:")]


def _severe(console: list[dict]) -> list[dict]:
    return [entry for entry in console if entry["level"] == "SEVERE"]


def _click_node(driver, node_id: int) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    x, y, width, height = driver.execute_script(
        "const v = window.graphView, p = v.network.canvasToDOM(v.network.getPosition(arguments[0]));"
        "const box = document.getElementById('graph').getBoundingClientRect();"
        "return [p.x, p.y, box.width, box.height];",
        node_id,
    )
    graph = driver.find_element("id", "graph")
    ActionChains(driver).move_to_element_with_offset(graph, int(x - width / 2), int(y - height / 2)).click().perform()


def _node_id(driver, label: str) -> int:
    return driver.execute_script(
        "return window.graphView.nodes.get({filter: n => n.label === arguments[0]})[0].id", label
    )


def _painted_pixels(driver) -> int:
    return driver.execute_script(
        "const c = document.querySelector('#graph canvas'), ctx = c.getContext('2d');"
        "const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;"
        "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;"
    )


@pytest.mark.browser
def test_view_draws_offline_without_errors(chromium, border_view):
    requests, console = open_view(chromium, border_view)
    assert _local_only(requests, border_view) == []
    assert _severe(console) == []
    assert chromium.execute_script("return window.__cspViolations") == []
    assert chromium.execute_script("return window.graphView.shownNodeCount()") == 4
    assert chromium.execute_script("return window.graphView.shownEdgeCount()") == 6
    assert _painted_pixels(chromium) > 1000


@pytest.mark.browser
def test_request_detection_works(chromium, border_view, tmp_path):
    """The checks above can fail: a page that asks for a remote image is caught, and with the
    view's Content-Security-Policy in place the same image is refused."""
    page = border_view.read_text(encoding="utf-8")
    probe = '<img src="http://127.0.0.1:9/probe.png" alt="">'
    leaky = tmp_path / "leaky.html"
    leaky.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace(
        "<main>", "<main>" + probe), encoding="utf-8")
    requests, _ = open_view(chromium, leaky)
    assert "http://127.0.0.1:9/probe.png" in _local_only(requests, leaky)

    guarded = tmp_path / "guarded.html"
    guarded.write_text(page.replace("<main>", "<main>" + probe), encoding="utf-8")
    _, console = open_view(chromium, guarded)
    assert chromium.execute_script("return window.__cspViolations") == ["img-src http://127.0.0.1:9/probe.png"]
    assert any("Content Security Policy" in entry["message"] for entry in _severe(console))


@pytest.mark.browser
def test_hostile_text_shows_literally_and_never_runs(chromium, border_view):
    requests, console = open_view(chromium, border_view)
    assert _severe(console) == []
    speaker = _node_id(chromium, HOSTILE_NAME)
    _click_node(chromium, speaker)
    details = chromium.find_element("id", "details").get_property("textContent")
    assert HOSTILE_NAME in details
    assert HOSTILE_QUOTE in details
    assert HOSTILE_TITLE in details and HOSTILE_PUBLISHER in details
    # nothing injected became an element, ran, or was refused by the CSP (which would mean it tried)
    assert chromium.execute_script("return document.querySelectorAll('#details *:not(h2,h3,p,ul,li,blockquote,span,button,strong)').length") == 0
    assert chromium.execute_script("return document.querySelectorAll('img, a, iframe').length") == 0
    assert chromium.execute_script("return window.__injected") is None
    assert chromium.execute_script("return [window.__cspViolations, window.__pageErrors]") == [[], []]


@pytest.mark.browser
def test_hostile_name_in_a_neighbourhood_heading(chromium, border_dataset, tmp_path):
    path = tmp_path / "actor.html"
    write_graph_view(border_dataset, path, actor="Smith", hops=1)
    _, console = open_view(chromium, path)
    assert chromium.title == f"Neighbourhood of {HOSTILE_NAME}"
    assert chromium.find_element("id", "heading").text == f"Neighbourhood of {HOSTILE_NAME}"
    # the focus actor is selected and described without a click
    assert HOSTILE_QUOTE in chromium.find_element("id", "details").get_property("textContent")
    assert chromium.execute_script("return window.__injected") is None
    assert _severe(console) == []


@pytest.mark.browser
def test_filters_search_and_edge_details(chromium, border_view):
    open_view(chromium, border_view)
    edges = lambda: chromium.execute_script("return window.graphView.shownEdgeCount()")  # noqa: E731
    nodes = lambda: chromium.execute_script("return window.graphView.shownNodeCount()")  # noqa: E731

    chromium.find_element("css selector", "#filter-event-types input[value='ASSAULT']").click()
    assert edges() == 4
    chromium.find_element("css selector", "#filter-modalities input[value='hypothetical']").click()
    assert edges() == 3
    chromium.find_element("id", "event-types-all").click()
    chromium.find_element("css selector", "#filter-modalities input[value='hypothetical']").click()
    assert edges() == 6

    chromium.find_element("css selector", "#filter-actor-types input[value='Organization']").click()
    assert (nodes(), edges()) == (3, 5)
    chromium.find_element("css selector", "#filter-actor-types input[value='Organization']").click()

    chromium.execute_script(  # date inputs take typed dates differently per locale; set the value directly
        "const i = document.getElementById('date-from'); i.value = '2024-05-01'; i.dispatchEvent(new Event('change'));"
    )
    assert edges() == 1  # only the Union's June request
    # actors without shown events are hidden by default, unless they are quoted (Smith)
    assert chromium.find_element("id", "hide-isolated").is_selected()
    assert nodes() == 3
    chromium.find_element("id", "hide-isolated").click()
    assert nodes() == 4
    chromium.execute_script(
        "const i = document.getElementById('date-from'); i.value = ''; i.dispatchEvent(new Event('change'));"
    )
    assert (nodes(), edges()) == (4, 6)

    search = chromium.find_element("id", "search")
    search.send_keys("smith")  # an alias: the actor was mentioned as "Smith"
    results = chromium.find_element("id", "search-results").text
    assert HOSTILE_NAME in results
    search.send_keys("\n")
    assert chromium.find_element("css selector", "#details h2").text == HOSTILE_NAME
    assert chromium.execute_script("return window.graphView.network.getSelectedNodes()") == [
        _node_id(chromium, HOSTILE_NAME)
    ]

    # an event's details: evidence sentence, title, publisher, date
    chromium.find_element("xpath", "//#details//button[starts-with(., 'ACCUSE')]".replace("//#details", "//*[@id='details']")).click()
    text = chromium.find_element("id", "details").get_property("textContent")
    assert "ACCUSE" in text and "2024-03-04" in text and HOSTILE_TITLE in text


@pytest.mark.browser
def test_large_view_is_laid_out_in_python_and_drawn_without_physics(chromium, tmp_path):
    count = 520  # above the layout threshold
    sentences = [f"Actor {i} met Actor {(i * 7 + 1) % count}." for i in range(count)]
    article = {
        "id": "many", "title": "Many", "publisher": "P", "published": "2024-01-01", "text": " ".join(sentences),
        "actors": [(f"a{i}", f"Actor {i}", "Person", None) for i in range(count)],
        "events": [("CONSULT", f"a{i}", f"a{(i * 7 + 1) % count}", "asserted", s) for i, s in enumerate(sentences)],
    }
    dataset = make_view_dataset(tmp_path / "store", [article])
    path = tmp_path / "large.html"
    write_graph_view(dataset, path)
    close(dataset)
    data = json.loads(path.read_text(encoding="utf-8").split('id="graph-data">')[1].split("</script>")[0])
    assert data["physics"] is False and all("x" in node and "y" in node for node in data["nodes"])

    requests, console = open_view(chromium, path)
    assert _local_only(requests, path) == [] and _severe(console) == []
    assert chromium.execute_script("return window.graphView.shownNodeCount()") == count
    assert chromium.execute_script("return window.graphView.network.physics.physicsEnabled") is False
    assert _painted_pixels(chromium) > 1000


# ---- built by the pipeline from article files -----------------------------------------------

HOSTILE_ARTICLE = """# title: Talks fail </script><img src=x onerror="window.__injected='title'"> "href"
# publisher: The <b>Gazette</b> "href"
# published: 2024-05-02

Russia attacked Ukraine on Tuesday, officials said.

“We will never give up </script><script>window.__injected='quote'</script> <img src=x onerror="window.__injected='img'"> href,” said Volodymyr Zelensky.
"""
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def built_view(tmp_path_factory):
    """The seed article plus a hostile one, built by the real pipeline (spaCy and all)."""
    import shutil

    from graphbuild.pipeline import BuildOptions, build

    articles = tmp_path_factory.mktemp("articles")
    shutil.copy(SEEDS / "000_fec8ec42891de7d7.txt", articles)
    (articles / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    output = tmp_path_factory.mktemp("built")
    build([articles], BuildOptions(output_dir=output, store="memory"))
    return output / "graph.html"


@pytest.mark.browser
def test_built_view_of_real_articles(chromium, built_view):
    requests, console = open_view(chromium, built_view)
    assert _local_only(requests, built_view) == [] and _severe(console) == []
    # shown: every actor with an event or a quotation; actors only mentioned start hidden
    data = json.loads(built_view.read_text(encoding="utf-8").split('id="graph-data">')[1].split("</script>")[0])
    involved = {e["source"] for e in data["events"]} | {e["target"] for e in data["events"]}
    involved |= {i for i, actor in enumerate(data["actors"]) if actor["quotes"]}
    shown = chromium.execute_script("return window.graphView.network.body.data.nodes.getIds()")
    assert set(shown) == involved
    labels = {data["actors"][i]["label"] for i in shown}
    assert {"Joe Biden", "Russia", "Ukraine", "Volodymyr Zelensky"} <= labels
    assert _painted_pixels(chromium) > 1000

    _click_node(chromium, _node_id(chromium, "Volodymyr Zelensky"))
    details = chromium.find_element("id", "details").get_property("textContent")
    assert "</script><script>window.__injected='quote'</script>" in details
    assert "Talks fail </script><img src=x onerror=\"window.__injected='title'\"> \"href\"" in details
    assert chromium.execute_script("return document.querySelectorAll('img, a, iframe, b').length") == 0
    assert chromium.execute_script("return window.__injected") is None
    assert chromium.execute_script("return [window.__cspViolations, window.__pageErrors]") == [[], []]


def test_view_command_writes_a_neighbourhood_and_reports_unknown_actors(built_view, capsys):
    from graphbuild.cli import main

    output = built_view.parent
    assert main(["view", "-o", str(output), "--actor", "Biden", "--hops", "1"]) == 0  # an alias
    assert "Neighbourhood of Joe Biden" in (output / "actor.html").read_text(encoding="utf-8")
    assert main(["view", "-o", str(output), "--actor", "Atlantis"]) == 2
    assert "no actor named 'Atlantis'" in capsys.readouterr().err


# ---- event clusters and claims in the page ---------------------------------------------------


@pytest.fixture(scope="module")
def claims_view(tmp_path_factory):
    from test_cluster import article, store

    from graphbuild.store import open_dataset

    folder = tmp_path_factory.mktemp("claims-view")
    dataset = open_dataset(folder, "memory")
    store(dataset,
          article("a.txt", "Zandia struck Veloria.", "2031-05-02", "Herald", [("ASSAULT", "zan", "vel", "asserted", "struck")]),
          article("b.txt", "Zandia struck Veloria again.", "2031-05-03", "Post", [("ASSAULT", "zan", "vel", "asserted", "struck")]),
          article("c.txt", f"Veloria says Zandia shelled it first, {HOSTILE_QUOTE}.", "2031-05-04", "Post",
                  claims=[("ASSAULT", "zan", "vel", "asserted", "shelled")]))
    path = folder / "graph.html"
    write_graph_view(dataset, path)
    close(dataset)
    return path


@pytest.mark.browser
def test_arrows_and_panels_show_cluster_counts_disputes_and_claims(chromium, claims_view):
    _requests, console = open_view(chromium, claims_view)
    assert not [entry for entry in console if entry["level"] == "SEVERE"]
    data = chromium.execute_script("return JSON.parse(document.getElementById('graph-data').textContent)")
    [edge] = [j for j, e in enumerate(data["events"]) if e["type"] == "ASSAULT"]
    assert data["edges"][edge]["label"].endswith("⚑")  # asserted by two articles, only claimed in a third
    chromium.execute_script(f"window.graphView.showEvent({edge})")
    text = chromium.find_element("id", "details").get_property("textContent")
    assert "reported by 3 articles from 2 sources (3 mentions) · disputed" in text

    zandia = _node_id(chromium, "Zandia")
    chromium.execute_script(f"window.graphView.showActor({zandia})")
    text = chromium.find_element("id", "details").get_property("textContent")
    assert "Claims about Zandia (1)" in text and "Zandia → ASSAULT → Veloria, says Veloria" in text
    assert HOSTILE_QUOTE in text  # the claim's sentence, as text
    chromium.execute_script(f"window.graphView.showActor({_node_id(chromium, 'Veloria')})")
    assert "Claims made (1)" in chromium.find_element("id", "details").get_property("textContent")

    # the claim as a dotted arrow, only when asked for
    edges = lambda: chromium.execute_script("return window.graphView.shownEdgeCount()")  # noqa: E731
    before = edges()
    chromium.find_element("id", "show-claims").click()
    assert edges() == before + 1
    [claim] = data["claims"]
    chromium.execute_script(f"window.graphView.showClaim(0)")
    assert "Zandia → ASSAULT → Veloria, says Veloria" in chromium.find_element("id", "details").text
    assert data["edges"][len(data["events"])]["dashes"] == [2, 5] and claim["sentence"].endswith(".")
    chromium.find_element("id", "show-claims").click()
    assert edges() == before
    assert chromium.execute_script("return window.__injected === undefined")


CONFIDENT = {"rules": ("event.trigger.word", "event.source.subject", "event.target.lexicon"),
             "lexicon_entry": "shell VERB ASSAULT", "confidence": 0.9}
UNSURE = {"rules": ("event.trigger.word", "event.source.subject", "event.target.discourse_partner"),
          "lexicon_entry": "warn VERB THREATEN", "confidence": 0.45}
MIDDLING = {"rules": ("event.trigger.word", "event.source.subject"), "lexicon_entry": "meet VERB CONSULT",
            "confidence": 0.7}


@pytest.fixture(scope="module")
def confidence_dataset(tmp_path_factory):
    text = "Ruritania shelled Borduria. Borduria warned Ruritania. Ruritania met Borduria."
    dataset = make_view_dataset(tmp_path_factory.mktemp("confidence"), [{
        "id": "c-1", "title": "Border", "publisher": "Gazette", "published": "2024-03-04", "text": text,
        "actors": [("r", "Ruritania", "Country", "RUR"), ("b", "Borduria", "Country", "BOR")],
        "events": [("ASSAULT", "r", "b", "asserted", "Ruritania shelled Borduria.", CONFIDENT),
                   ("THREATEN", "b", "r", "asserted", "Borduria warned Ruritania.", UNSURE),
                   ("CONSULT", "r", "b", "asserted", "Ruritania met Borduria.", MIDDLING)],
    }])
    yield dataset
    close(dataset)


def view_data_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8").split('id="graph-data">')[1].split("</script>")[0])


def test_a_view_leaves_out_events_below_its_confidence(confidence_dataset, tmp_path):
    write_graph_view(confidence_dataset, tmp_path / "sure.html", min_confidence=0.6)
    types = {e["type"] for e in view_data_of(tmp_path / "sure.html")["events"]}
    assert types == {"ASSAULT", "CONSULT"}
    write_graph_view(confidence_dataset, tmp_path / "all.html", min_confidence=0)
    assert {e["type"] for e in view_data_of(tmp_path / "all.html")["events"]} == {"ASSAULT", "CONSULT", "THREATEN"}


@pytest.mark.browser
def test_the_evidence_panel_says_why_an_event_was_coded_and_the_slider_filters_by_confidence(
        chromium, confidence_dataset, tmp_path):
    path = tmp_path / "graph.html"
    write_graph_view(confidence_dataset, path, min_confidence=0)
    _requests, console = open_view(chromium, path)
    assert not [entry for entry in console if entry["level"] == "SEVERE"]
    data = chromium.execute_script("return JSON.parse(document.getElementById('graph-data').textContent)")
    [assault] = [j for j, e in enumerate(data["events"]) if e["type"] == "ASSAULT"]
    chromium.execute_script(f"window.graphView.showEvent({assault})")
    details = chromium.find_element("id", "details")
    text = details.get_property("textContent")
    assert "coded by the lexicon row “shell VERB ASSAULT”" in text and "confidence 0.90" in text
    rule = details.find_element("css selector", "abbr.rule")
    assert rule.text == "event.trigger.word" and rule.get_attribute("title").startswith("A one-word lexicon row")

    edges = lambda: chromium.execute_script("return window.graphView.shownEdgeCount()")  # noqa: E731
    assert edges() == 3
    chromium.execute_script(
        "const s = document.getElementById('min-confidence'); s.value = '0.8'; s.dispatchEvent(new Event('input'));")
    assert edges() == 1
    assert chromium.find_element("id", "min-confidence-value").text == "0.80"
