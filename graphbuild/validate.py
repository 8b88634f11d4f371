"""Check a built graph against the SHACL shapes in ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import owlrl
import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from .kb import default_ontology_dir
from .vocab import ontology_graph_iri


@dataclass
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def union_graph(dataset: Dataset) -> Graph:
    """All data triples of a dataset in one graph (the ontology graph left out): the shapes
    relate things across named graphs (events in a document graph, actors in the entities one)."""
    union = Graph()
    ontology = ontology_graph_iri()
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        if getattr(graph, "identifier", graph) != ontology:
            union.add((s, p, o))
    return union


def owl_rl_inconsistencies(graph: Graph) -> list[str]:
    """What an OWL 2 RL closure (owlrl) of the graph finds inconsistent: its error messages
    and any individual inferred to be owl:Nothing. The graph itself is left unchanged."""
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(message) for message in closure.objects(None, _OWLRL_ERROR)]
    errors += [f"{node} is owl:Nothing" for node in closure.subjects(RDF.type, OWL.Nothing)]
    return errors


_OWLRL_ERROR = URIRef(str(owlrl.Namespaces.ERRNS) + "error")  # where owlrl reports what it finds


def validate(dataset: Dataset, shapes_path: Path | None = None) -> ValidationReport:
    shapes = Graph().parse(shapes_path or default_ontology_dir() / "shapes.ttl", format="turtle")
    # advanced=True: some shapes are SPARQL-based constraints (span text equals the document's).
    conforms, report, text = pyshacl.validate(union_graph(dataset), shacl_graph=shapes, inference="none",
                                              advanced=True)
    count = len(list(report.subjects(predicate=SH.resultSeverity)))
    summary = "The graph conforms to the shapes." if conforms else f"{count} violation(s):\n{text}"
    return ValidationReport(conforms=conforms, violations=count, text=summary)
