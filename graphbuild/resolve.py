"""Merge actors and places across documents.

Knowledge-base entities keep their KB IRI, so every document that mentions "the
Kremlin" or "Russia" points at the same node. Other actors are identified by type and
name; a one-word person name ("Sullivan") that matches the surname of exactly one
fully named person in the corpus joins that person. The resolver is fed batch by batch
as a build streams through the corpus, and remembers what it has seen.

Places are located here too (with a gazetteer): coordinates and a country, an ambiguous name
decided by the countries of the article's actors and places. A located place that is not in
the knowledge base is named by its GeoNames id, so "Tripoli" in Libya and in Lebanon stay two.
"""

from __future__ import annotations

from .gazetteer import Gazetteer
from .model import Actor, Extraction, Place
from .vocab import actor_iri, place_iri


class Resolver:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer
        self.full_names: dict[str, set[str]] = {}  # surname → full person names seen
        self.actors: dict[str, Actor] = {}  # IRI → canonical record
        self.places: dict[str, Place] = {}

    def resolve(self, extractions: list[Extraction]) -> tuple[list[Actor], list[Place]]:
        """Set ``iri`` on every actor and place of the batch; return the canonical records
        of the entities the batch mentions (new or already known)."""
        for extraction in extractions:
            for actor in extraction.actors:
                parts = actor.name.split()
                if actor.type == "Person" and len(parts) > 1:
                    self.full_names.setdefault(parts[-1], set()).add(actor.name)
        actors: dict[str, Actor] = {}
        places: dict[str, Place] = {}
        for extraction in extractions:
            for actor in extraction.actors:
                if actor.type == "Person" and not actor.kb_id and len(actor.name.split()) == 1:
                    candidates = self.full_names.get(actor.name, set())
                    if len(candidates) == 1:
                        actor.name = next(iter(candidates))
                actor.iri = str(actor_iri(actor.type, actor.name, actor.kb_id))
                known = self.actors.setdefault(actor.iri, Actor(actor.key, actor.name, actor.type, actor.country,
                                                                actor.kb_id, iri=actor.iri))
                known.country = known.country or actor.country
                actors[actor.iri] = known
            countries = frozenset(e.country for e in [*extraction.actors, *extraction.places] if e.country)
            for place in extraction.places:
                self._locate(place, countries)
                place.iri = str(place_iri(place.name, place.kb_id, place.geonames_id))
                places[place.iri] = self.places.setdefault(
                    place.iri, Place(place.key, place.name, place.kb_id, place.country, iri=place.iri,
                                     latitude=place.latitude, longitude=place.longitude,
                                     geonames_id=place.geonames_id))
        return list(actors.values()), list(places.values())

    def _locate(self, place: Place, article_countries: frozenset[str]) -> None:
        location = self.gazetteer.locate(place, article_countries) if self.gazetteer else None
        if location is None:
            return
        place.latitude, place.longitude = location.latitude, location.longitude
        place.country = place.country or location.country
        if not place.kb_id:
            place.geonames_id = location.geonames_id

