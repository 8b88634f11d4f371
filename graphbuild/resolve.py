"""Merge actors and places across documents.

Knowledge-base entities keep their KB IRI, so every document that mentions "the
Kremlin" or "Russia" points at the same node. Other actors are identified by type and
name; a one-word person name ("Sullivan") that matches the surname of exactly one
fully named person elsewhere in the corpus joins that person.
"""

from __future__ import annotations

from .model import Actor, Extraction, Place
from .vocab import actor_iri, place_iri


def resolve(extractions: list[Extraction]) -> tuple[list[Actor], list[Place]]:
    """Set ``iri`` on every actor and place; return one canonical record per IRI."""
    full_names: dict[str, set[str]] = {}
    for extraction in extractions:
        for actor in extraction.actors:
            parts = actor.name.split()
            if actor.type == "Person" and len(parts) > 1:
                full_names.setdefault(parts[-1], set()).add(actor.name)

    canonical_actors: dict[str, Actor] = {}
    canonical_places: dict[str, Place] = {}
    for extraction in extractions:
        for actor in extraction.actors:
            name = actor.name
            if actor.type == "Person" and not actor.kb_id and len(name.split()) == 1:
                candidates = full_names.get(name, set())
                if len(candidates) == 1:
                    name = actor.name = next(iter(candidates))
            actor.iri = str(actor_iri(actor.type, name, actor.kb_id))
            known = canonical_actors.setdefault(actor.iri, Actor(actor.key, name, actor.type, actor.country,
                                                                 actor.kb_id, iri=actor.iri))
            known.country = known.country or actor.country
        for place in extraction.places:
            place.iri = str(place_iri(place.name, place.kb_id))
            canonical_places.setdefault(place.iri, Place(place.key, place.name, place.kb_id, place.country,
                                                         iri=place.iri))
    return list(canonical_actors.values()), list(canonical_places.values())
