"""Generate the state part of the actor knowledge base.

Writes two Turtle files into ``ontology/actors/`` (or ``--out-dir``):

- ``states.ttl``: one ``gb:State`` per sovereign state (UN members, the Vatican, Palestine,
  Taiwan, Kosovo) with ISO codes, official and short names from pycountry and
  country_converter, and the hand-curated demonyms, metonyms and aliases of
  ``state-extras.tsv``;
- ``state-places.ttl``: a ``gb:Place`` for every capital and every dependent territory.

The output is deterministic (sorted, no timestamps) so that a test can check that the
committed files match what this script produces. Run it with the project's virtualenv::

    .venv/bin/python ontology/scripts/generate_states.py
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import sys
from dataclasses import dataclass, field
from pathlib import Path

import country_converter
import pycountry

# Place IRIs are minted with the project's own slug rule, importable even when the package
# is not installed because the repository root is put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from graphbuild.vocab import slug  # noqa: E402

ACTORS_DIR = Path(__file__).resolve().parents[1] / "actors"
EXTRAS_FILE = ACTORS_DIR / "state-extras.tsv"
EXTRAS_SOURCE = "hand-curated from public record, 2025 (ontology/actors/state-extras.tsv)"

PREFIXES = """\
@prefix gb: <https://w3id.org/graphbuild/ontology#> .
@prefix kb: <https://w3id.org/graphbuild/kb/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd: <http://www.wikidata.org/entity/> .
"""


@dataclass
class Extras:
    """One row of state-extras.tsv, multi-valued cells split into lists."""

    iso3: str
    kind: str
    label: str = ""
    capital: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    qid: str = ""
    sovereign: str = ""
    disputed: bool = False


def split_cell(cell: str | None) -> list[str]:
    return [value.strip() for value in (cell or "").split("|") if value.strip()]


def read_extras(path: Path = EXTRAS_FILE) -> dict[str, Extras]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        iso3 = row["iso3"].strip()
        if iso3 in rows:
            raise ValueError(f"{path.name}: {iso3} listed twice")
        if row["kind"] not in ("state", "territory"):
            raise ValueError(f"{path.name}: {iso3} has kind {row['kind']!r}")
        demonyms = split_cell(row["demonyms"])
        rows[iso3] = Extras(
            iso3=iso3,
            kind=row["kind"],
            label=row["label"].strip(),
            capital=split_cell(row["capital"]),
            demonyms=[] if demonyms == ["-"] else demonyms,
            metonyms=split_cell(row["metonyms"]),
            aliases=split_cell(row["aliases"]),
            drop=split_cell(row["drop"]),
            qid=row["qid"].strip(),
            sovereign=row["sovereign"].strip(),
            disputed=row["status"].strip() == "disputed",
        )
    return rows


def read_country_converter() -> dict[str, dict[str, str]]:
    """country_converter's own table, read directly.

    Its CountryConverter class cannot be instantiated under pandas 3 (Namibia's ISO2 code
    "NA" is read as a missing value), and only two name columns are needed anyway.
    """
    table = Path(country_converter.__file__).with_name("country_data.tsv")
    with table.open(encoding="utf-8", newline="") as handle:
        return {row["ISO3"]: row for row in csv.DictReader(handle, delimiter="\t")}


def usable_name(name: str) -> str | None:
    """A package name as news would write it, or None.

    ISO's inverted forms ("Korea, Republic of", "Taiwan, Province of China") and
    parenthesised qualifiers ("Holy See (Vatican City State)") are not how articles name a
    country, and a leading "the" is the article, not part of the name.
    """
    name = name.strip()
    if not name or "," in name or "(" in name:
        return None
    if name.startswith("the "):
        name = name[4:]
    return name


def unique(values, exclude=()) -> list[str]:
    """Values in first-seen order without case-insensitive duplicates or excluded names."""
    seen = {value.casefold() for value in exclude}
    result = []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


def literal(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def block(subject: str, kind: str, properties: list[tuple[str, list[str]]]) -> str:
    """One readable Turtle block: the type, then one line per property value."""
    lines = [f"{subject} a {kind}"]
    for predicate, objects in properties:
        for obj in objects:
            lines.append(f"    {predicate} {obj}")
    return " ;\n".join(lines) + " .\n"


@dataclass
class Entry:
    iso3: str
    iso2: str
    label: str
    aliases: list[str]
    extras: Extras


def build_entries(extras: dict[str, Extras]) -> list[Entry]:
    converter = read_country_converter()
    packaged = {country.alpha_3: country for country in pycountry.countries}
    missing = sorted(set(packaged) - set(extras))
    if missing:
        raise ValueError(f"state-extras.tsv has no row for {', '.join(missing)}")
    entries = []
    for iso3 in sorted(extras):
        row = extras[iso3]
        country = packaged.get(iso3)
        cc_row = converter.get(iso3, {})
        package_names = []
        if country is not None:
            package_names += [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        package_names += [cc_row.get("name_short", ""), cc_row.get("name_official", "")]
        cleaned = [name for name in map(usable_name, package_names) if name]
        label = row.label or cc_row.get("name_short") or cleaned[0]
        aliases = unique(cleaned + row.aliases, exclude=[label, *row.drop])
        iso2 = country.alpha_2 if country is not None else cc_row["ISO2"]
        entries.append(Entry(iso3, iso2, label, aliases, row))
    return entries


def capital_iri(row: Extras) -> str:
    return f"kb:place-{slug(row.capital[0])}"


def state_block(entry: Entry, sources: list[str]) -> str:
    row = entry.extras
    metonyms = unique(row.capital + row.metonyms, exclude=[entry.label, *entry.aliases, *row.drop])
    properties = [
        ("skos:prefLabel", [literal(entry.label)]),
        ("skos:altLabel", [literal(alias) for alias in sorted(entry.aliases)]),
        ("gb:metonym", [literal(name) for name in sorted(metonyms)]),
        ("gb:demonym", [literal(name) for name in sorted(unique(row.demonyms))]),
        ("gb:isoAlpha3", [literal(entry.iso3, None)]),
        ("gb:isoAlpha2", [literal(entry.iso2, None)]),
        ("gb:capital", [capital_iri(row)] if row.capital else []),
        ("schema:sameAs", [f"wd:{row.qid}"] if row.qid else []),
        ("dcterms:source", [literal(source, None) for source in sources]),
    ]
    return block(f"kb:{entry.iso3}", "gb:State", properties)


def capital_block(entry: Entry) -> str:
    row = entry.extras
    name, *spellings = row.capital
    properties = [
        ("skos:prefLabel", [literal(name)]),
        ("skos:altLabel", [literal(spelling) for spelling in sorted(spellings)]),
        ("gb:country", [] if row.disputed else [f"kb:{entry.iso3}"]),
        ("dcterms:source", [literal(EXTRAS_SOURCE, None)]),
    ]
    return block(capital_iri(row), "gb:Place", properties)


def territory_block(entry: Entry, sources: list[str]) -> str:
    row = entry.extras
    properties = [
        ("skos:prefLabel", [literal(entry.label)]),
        ("skos:altLabel", [literal(alias) for alias in sorted(entry.aliases)]),
        ("gb:isoAlpha3", [literal(entry.iso3, None)]),
        ("gb:isoAlpha2", [literal(entry.iso2, None)]),
        ("gb:country", [f"kb:{row.sovereign}"] if row.sovereign and not row.disputed else []),
        ("dcterms:source", [literal(source, None) for source in sources]),
    ]
    return block(f"kb:place-{slug(entry.label)}", "gb:Place", properties)


def package_sources() -> list[str]:
    return [
        f"pycountry {importlib.metadata.version('pycountry')} (ISO 3166-1)",
        f"country_converter {importlib.metadata.version('country_converter')} (country_data.tsv)",
        EXTRAS_SOURCE,
    ]


def render(extras: dict[str, Extras]) -> dict[str, str]:
    """File name -> Turtle text."""
    entries = build_entries(extras)
    sources = package_sources()
    states = [entry for entry in entries if entry.extras.kind == "state"]
    territories = [entry for entry in entries if entry.extras.kind == "territory"]
    header = (
        "# Generated by ontology/scripts/generate_states.py from pycountry, country_converter and\n"
        "# state-extras.tsv. Do not edit by hand: edit state-extras.tsv and rerun the script.\n"
    )
    state_text = header + PREFIXES + "".join("\n" + state_block(entry, sources) for entry in states)
    place_blocks = [capital_block(entry) for entry in states if entry.extras.capital]
    place_blocks += [territory_block(entry, sources) for entry in territories]
    places_text = header + PREFIXES + "".join("\n" + text for text in sorted(place_blocks))
    return {"states.ttl": state_text, "state-places.ttl": places_text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=ACTORS_DIR, help="where to write the Turtle files")
    parser.add_argument("--extras", type=Path, default=EXTRAS_FILE, help="the hand-curated TSV")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render(read_extras(args.extras)).items():
        (args.out_dir / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out_dir / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
