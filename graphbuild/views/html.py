"""The interactive HTML view: one self-contained file that works offline and is safe with hostile text.

pyvis builds the vis-network node and edge lists; the page itself comes from this package's
own template, not pyvis's, because pyvis's pages load Bootstrap and vis-network from CDNs,
write a ``lib/`` folder into the working directory and put untrusted text into ``innerHTML``.

Safety rests on three things:
- all data (names, quotes, evidence sentences, titles) travels as JSON inside a
  ``<script type="application/json">`` block, with ``<``, ``>``, ``&`` and U+2028/9
  written as ``\\u`` escapes, so no text can close the block or open a comment;
- the page's script builds every piece of text with ``textContent``, never ``innerHTML``;
  vis-network draws labels on a canvas, as text;
- a Content-Security-Policy allows no network access at all, and only the page's own
  scripts (by hash) to run, so even a mistake elsewhere could not load or run anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import networkx as nx

from ..network import actor_network, ego_network, records, top_actors

HERE = Path(__file__).resolve().parent

# Above this many actors the browser gets precomputed positions and no physics: a force
# simulation of thousands of nodes takes minutes to settle (see benchmarks/bench_views.py).
LAYOUT_THRESHOLD = 500

# Actor types: vis-network shape and colours. The legend is drawn from the same table.
ACTOR_STYLES = {
    "Person": {"shape": "dot", "background": "#4e79a7", "border": "#2b4a70"},
    "Organization": {"shape": "square", "background": "#b07aa1", "border": "#6d4563"},
    "Country": {"shape": "hexagon", "background": "#e6a532", "border": "#8a6010"},
    "Unknown": {"shape": "dot", "background": "#b5b5b5", "border": "#707070"},
}
# Quad classes (from the ontology's gb:quadClass): cooperation green, conflict red.
QUAD_CLASS_STYLES = {
    "VerbalCooperation": {"color": "#6cae75", "label": "verbal cooperation"},
    "MaterialCooperation": {"color": "#1d7a3a", "label": "material cooperation"},
    "VerbalConflict": {"color": "#e8873a", "label": "verbal conflict"},
    "MaterialConflict": {"color": "#c0282d", "label": "material conflict"},
    "Unknown": {"color": "#8c8c8c", "label": "unclassified"},
}
MODALITY_STYLES = {
    "asserted": "solid line",
    "hypothetical": "dashed (faint in large views): threatened, planned, possible",
    "negated": "denied, or did not happen",
}
NEGATED_MARK = "✕ NOT "
CLAIM_COLOUR = "#7a5ab5"  # dotted arrows of claims (shown on request)
DISPUTED_MARK = " ⚑"  # some article asserts the act while another denies it or only reports a claim
SPEAKER_BORDER = 4  # actors with quotations get a thick border

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_PATTERN = re.compile("[<>&\u2028\u2029]")


class ViewError(ValueError):
    """The view asked for cannot be made (unknown actor, ...)."""


def json_for_script(value) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever strings it holds.

    The characters escaped only ever occur inside JSON strings, where ``\\uXXXX`` means the
    same character, so ``JSON.parse`` returns the original text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_PATTERN.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _vis_network_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package (no CDN)."""
    import pyvis

    folder = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    # the source map is not shipped; the comment would only make developer tools ask for it
    script = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", script)
    return script, style


def _check_inlinable(text: str, closing: str, what: str) -> None:
    # inlined code must not be able to end its own element early
    if closing in text.lower() or "<!--" in text:
        raise RuntimeError(f"{what} contains {closing!r} or '<!--' and cannot be inlined")


@dataclass
class View:
    """What one page shows: the actor network plus the words around it."""

    graph: nx.MultiDiGraph
    heading: str
    notes: list[str] = field(default_factory=list)
    centre: str | None = None  # the focus actor of a neighbourhood view
    min_confidence: float = 0.0  # events below it were left out of the network


def select_view(
    graph: nx.MultiDiGraph, actor: str | None = None, hops: int = 2, max_nodes: int | None = None,
    min_confidence: float = 0.0,
) -> View:
    """The whole network, an actor's neighbourhood, or either pruned to the most central actors."""
    heading = "Actor network"
    centre = None
    notes: list[str] = []
    if actor:
        from ..network import ActorNotFound

        try:
            graph = ego_network(graph, actor, hops)
        except ActorNotFound as err:
            raise ViewError(str(err)) from None
        centre = graph.graph["centre"]
        name = graph.nodes[centre]["label"]
        heading = f"Neighbourhood of {name}"
        notes.append(f"Actors within {hops} hop{'s' if hops != 1 else ''} of {name}, in either direction.")
    if max_nodes is not None and graph.number_of_nodes() > max_nodes:
        total = graph.number_of_nodes()
        graph = top_actors(graph, max_nodes)
        if centre is not None and centre not in graph:
            raise ViewError(f"--max-nodes {max_nodes} leaves out the actor asked for; raise it")
        notes.append(
            f"Pruned: showing the {graph.number_of_nodes():,} most central of {total:,} actors "
            f"(by PageRank); raise --max-nodes to see more."
        )
    if graph.number_of_nodes() > LAYOUT_THRESHOLD:
        notes.append(
            f"Large graph: positions computed in advance, physics off, arrow labels hidden "
            f"(hover or click an arrow for its event type); --max-nodes {LAYOUT_THRESHOLD} gives a lighter view."
        )
    if min_confidence > 0:
        notes.append(f"Events with a confidence of at least {min_confidence:.2f}; "
                     "`graphbuild view --min-confidence 0` draws them all.")
    return View(graph=graph, heading=heading, notes=notes, centre=centre, min_confidence=min_confidence)


class _DocumentTable:
    """Document title, publisher and id stored once; each record of evidence points to its row."""

    def __init__(self) -> None:
        self.documents: list[dict] = []
        self._rows: dict[tuple, int] = {}

    def compact(self, record: dict) -> dict:
        key = (record.get("document", ""), record.get("title", ""), record.get("publisher", ""))
        if key not in self._rows:
            self._rows[key] = len(self.documents)
            self.documents.append({"document": key[0], "title": key[1], "publisher": key[2]})
        rest = {k: v for k, v in record.items() if k not in ("document", "title", "publisher")}
        return {"doc": self._rows[key], **rest}


def _edge_width(reports: int) -> float:
    return round(min(1.0 + 1.8 * math.log2(max(reports, 1)), 12.0), 2)


def _node_value(centrality: float, maximum: float) -> float:
    # square root: PageRank is heavy-tailed, and linear sizes would leave all but the hubs tiny
    return round(1.0 + 99.0 * math.sqrt(centrality / maximum if maximum else 0.0), 2)


def view_data(view: View) -> dict:
    """The page's data: vis-network nodes, edges and options (built with pyvis) plus details."""
    from pyvis.network import Network

    graph = view.graph
    large = graph.number_of_nodes() > LAYOUT_THRESHOLD
    positions = {}
    if large:
        from .layout import community_layout

        positions = community_layout(graph)

    sources = _DocumentTable()
    net = Network(directed=True)
    index = {iri: number for number, iri in enumerate(graph.nodes)}
    top = max((c for _, c in graph.nodes(data="centrality", default=0.0)), default=0.0)
    actors = []
    for iri, attributes in graph.nodes(data=True):
        quotes = records(attributes.get("quotes", ""))
        options = {
            "group": attributes["actor_type"],  # colours come from the group; pyvis always sets a shape
            "value": _node_value(attributes.get("centrality", 0.0), top),
        }
        if quotes:
            options["borderWidth"] = SPEAKER_BORDER
        if iri == view.centre:
            options["borderWidth"] = SPEAKER_BORDER + 2
            options["font"] = {"size": 20, "bold": True}
        if large:
            x, y = positions[iri]
            options.update(x=round(x, 1), y=round(y, 1))
        net.add_node(index[iri], label=attributes["label"], shape=ACTOR_STYLES[attributes["actor_type"]]["shape"], **options)
        actors.append(
            {
                "iri": iri,
                "label": attributes["label"],
                "type": attributes["actor_type"],
                "country": attributes.get("country", ""),
                "centrality": attributes.get("centrality", 0.0),
                "aliases": [a for a in attributes.get("aliases", "").split("\n") if a],
                "quotes": [sources.compact(r) for r in quotes],
                "solo": [sources.compact(r) for r in records(attributes.get("solo_events", ""))],
                "claimsMade": [_claim_record(sources.compact(r), index) for r in records(attributes.get("claims_made", ""))],
                "claimsAbout": [_claim_record(sources.compact(r), index)
                                for r in records(attributes.get("claims_about", ""))],
            }
        )

    events = []
    parallel = Counter()  # edges already drawn between each pair of actors, either direction
    for number, (source, target, attributes) in enumerate(graph.edges(data=True)):
        quad_class = attributes["quad_class"] if attributes["quad_class"] in QUAD_CLASS_STYLES else "Unknown"
        modality = attributes["modality"]
        colour = QUAD_CLASS_STYLES[quad_class]["color"]
        options = {"id": number, "color": colour, "width": _edge_width(attributes["reports"])}
        if modality == "hypothetical" and large:
            options["color"] = {"color": colour, "opacity": 0.4}  # dashes cost half of each frame at scale
        elif modality == "hypothetical":
            options["dashes"] = [8, 6]
        clusters = records(attributes.get("clusters", ""))
        if not large:
            # thousands of edge labels make every frame slow; large views show the type on hover
            options["label"] = (NEGATED_MARK if modality == "negated" else "") + attributes["event_type"]
            if any(c["disputed"] for c in clusters):
                options["label"] += DISPUTED_MARK
            if modality == "negated":
                options["font"] = {"color": "#c0282d"}
            # parallel and opposite edges curve apart instead of drawing over each other
            pair = frozenset((source, target))
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.1 + 0.18 * parallel[pair]}
            parallel[pair] += 1
        net.add_edge(index[source], index[target], **options)
        events.append(
            {
                "source": index[source],
                "target": index[target],
                "type": attributes["event_type"],
                "modality": modality,
                "quadClass": quad_class,
                "reports": attributes["reports"],
                "confidence": attributes.get("confidence", 1.0),
                "clusters": clusters,
                "evidence": [sources.compact(r) for r in records(attributes.get("evidence", ""))],
            }
        )

    # Claims between two drawn actors, as dotted arrows from the claimed source (hidden until asked for).
    claims = []
    for iri, attributes in graph.nodes(data=True):
        for record in records(attributes.get("claims_about", "")):
            if record.get("source") != iri or record.get("target") not in index:
                continue  # each claim once: under its source
            options = {"id": len(events) + len(claims), "color": CLAIM_COLOUR, "dashes": [2, 5], "width": 1.5}
            if not large:
                options["label"] = "“" + (NEGATED_MARK if record["modality"] == "negated" else "") + record["type"] + "”"
                options["font"] = {"color": CLAIM_COLOUR}
            net.add_edge(index[iri], index[record["target"]], **options)
            claims.append(_claim_record(sources.compact(record), index))

    used_rules = {rule_id for e in events for r in e["evidence"] for rule_id in r.get("rules", [])}
    dates = sorted(
        {r["date"] for e in events for r in e["evidence"] if r["date"]}
        | {r["date"] for a in actors for r in a["quotes"] + a["solo"] if r["date"]}
    )
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _vis_options(graph.number_of_nodes(), large),
        "documents": sources.documents,
        "actors": actors,
        "events": events,
        "claims": claims,
        "physics": not large,
        # actors only mentioned (no event, no quotation) start hidden when there is anything else to show
        "hideIsolated": bool(events),
        "centre": index.get(view.centre) if view.centre else None,
        "eventTypes": sorted({e["type"] for e in events} | {r["type"] for a in actors for r in a["solo"]}),
        "actorTypes": [t for t in ACTOR_STYLES if any(a["type"] == t for a in actors)],
        "dateRange": [dates[0][:10], dates[-1][:10]] if dates else None,
        "minConfidence": view.min_confidence,
        "rules": _rule_descriptions(used_rules),
    }


def _rule_descriptions(rule_ids: set[str]) -> dict[str, str]:
    """What each rule behind the drawn events does, for the evidence panel."""
    from ..extract.rules import REGISTRY

    return {rule_id: REGISTRY[rule_id].description for rule_id in sorted(rule_ids) if rule_id in REGISTRY}


def _claim_record(record: dict, index: dict[str, int]) -> dict:
    """A claim for the page: its parties as actor numbers (absent when not drawn)."""
    parties = {role: index[record.pop(role)] for role in ("claimant", "source", "target")
               if record.get(role) in index}
    for role in ("claimant", "source", "target"):
        record.pop(role, None)
    return {**record, **parties}


def _vis_options(node_count: int, large: bool) -> dict:
    groups = {
        name: {
            "shape": style["shape"],
            "color": {
                "background": style["background"],
                "border": style["border"],
                "highlight": {"background": style["background"], "border": "#111111"},
                "hover": {"background": style["background"], "border": "#111111"},
            },
        }
        for name, style in ACTOR_STYLES.items()
    }
    return {
        "groups": groups,
        "nodes": {
            "borderWidth": 1,
            "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 24, "drawThreshold": 4}},
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 10, "face": "sans-serif", "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "physics": (
            {"enabled": False}
            if large
            else {
                "enabled": True,
                "solver": "barnesHut",
                "barnesHut": {
                    "gravitationalConstant": -5000, "centralGravity": 0.5, "springLength": 150, "avoidOverlap": 0.3
                },
                "stabilization": {
                    "enabled": True, "iterations": 400 if node_count <= 200 else 200, "updateInterval": 50, "fit": True
                },
            }
        ),
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 100},
    }


def _summary(graph: nx.MultiDiGraph) -> str:
    reports = sum(r for _, _, r in graph.edges(data="reports"))
    quotes = sum(q for _, q in graph.nodes(data="statements", default=0))
    return (
        f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} event links "
        f"({reports:,} reports), {quotes:,} quotations"
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every {{ value }} is HTML-escaped unless marked safe
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_view(view: View) -> str:
    """The complete HTML page for a view."""
    vis_js, vis_css = _vis_network_assets()
    app_js = (HERE / "static" / "graph_view.js").read_text(encoding="utf-8")
    app_css = (HERE / "static" / "graph_view.css").read_text(encoding="utf-8")
    for text, closing, what in ((vis_js, "</script", "vis-network.min.js"), (app_js, "</script", "graph_view.js"),
                                (vis_css, "</style", "vis-network.css"), (app_css, "</style", "graph_view.css")):
        _check_inlinable(text, closing, what)
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}",
            "style-src 'unsafe-inline'",  # vis-network sets inline styles on its elements
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return _environment().get_template("graph.html.j2").render(
        heading=view.heading,
        summary=_summary(view.graph),
        notes=view.notes,
        csp=csp,
        data_json=json_for_script(view_data(view)),
        vis_js=vis_js,
        vis_css=vis_css,
        app_js=app_js,
        app_css=app_css,
        actor_styles=ACTOR_STYLES,
        quad_styles=QUAD_CLASS_STYLES,
        modality_styles=MODALITY_STYLES,
        claim_colour=CLAIM_COLOUR,
    )


def write_graph_view(
    dataset, path: str | Path, actor: str | None = None, hops: int = 2, max_nodes: int | None = None,
    min_confidence: float | None = None,
) -> str:
    """Write the HTML view of a built dataset to ``path``; returns a one-line summary. Events
    below ``min_confidence`` (default: the calibrated threshold) are left out."""
    if min_confidence is None:
        from .. import kb

        min_confidence = kb.load().calibration.threshold
    view = select_view(actor_network(dataset, min_confidence=min_confidence), actor=actor, hops=hops,
                       max_nodes=max_nodes, min_confidence=min_confidence)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_view(view), encoding="utf-8")
    notes = "".join(f"\n  {note}" for note in view.notes)
    return f"{path}: {_summary(view.graph)}{notes}"


__all__ = ["ViewError", "View", "json_for_script", "render_view", "select_view", "view_data", "write_graph_view"]
