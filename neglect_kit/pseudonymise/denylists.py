"""Deny-lists built from a case's own records: every way a record may name its people, its
professionals and its places.

People: full name, each part, each half of a hyphenated part, every `known_as`, the surname's plural
("the Fenwicks"), initials with dots ("M.F.", "M. F.") and without ("MF": capitals only, and never an
abbreviation the records use, such as "ED" or "HV"). Professionals: the names and collar or staff
numbers in the recorded-by column ("HV (S. Ortiz)", "PC 2417", "Dr R. Castell"). Places: the streets,
buildings, towns and postcodes of the people's addresses, the council's town, and schools and surgeries
named in recorded-by columns or given by the caller.

A variant that is also an everyday word ("Will", "Rose") is matched only with a capital (see
`common_words.txt`); the engine turns these lists into Presidio recognizers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .labels import Person, agency_prefix
from .residual import word_set

# abbreviations the records use that two initials could spell: never scrubbed as initials
ABBREVIATIONS = word_set("""
AM PM OK TV UK US EU ID IT IN OR ON AT TO IS IF NO SO UP ME MY BE DO GO HE WE AS AN BY OF OH HI AH EH AA
ED GP HV SW PC PS DC DS DI OM TA SN MW CP DV DA NI FE HE AE CT MRI ENT DNA WNB CIN CSC DSL PSO EHA EHCP
SEN SEND CAMHS CMHT MASH NHS IDVA YOT PRU EWO ADHD ASD NFA NPS CRC TAC TAF LAC CLA CPP RHI ICPC RCPC
""")
# words that say what a professional is, not who: never taken as a name from a recorded-by column
ROLE_WORDS = word_set("""
assistant attendance band care centre child children class community consultant council dental designated
deputy doctor duty early family gp head health help helper home hospital housing lead liaison manager mental
midwife midwifery named nurse nursery officer outreach paediatric paediatrician practice practitioner primary
probation psychological recovery safeguarding school senior service social specialist staff student support
surgery teacher teaching team therapist visitor ward worker year youth police constable sergeant detective
inspector the of and for
""")
TITLES = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof", "Nurse", "Sister", "PC", "PS", "DC", "DS", "Sgt",
          "DI", "Insp", "Cllr", "Rev")
STREET_TYPES = {"Road": "Rd", "Street": "St", "Lane": "Ln", "Avenue": "Ave", "Close": "Cl", "Drive": "Dr",
                "Way": "", "Walk": "", "Rise": "", "Court": "Ct", "Crescent": "Cres", "Place": "Pl",
                "Grove": "Gr", "Gardens": "Gdns", "Terrace": "Terr", "Row": "", "Hill": "", "Square": "Sq",
                "Mews": "", "Parade": "Pde", "View": "", "Green": "", "Park": "", "Vale": "", "End": ""}
BUILDING_TYPES = ("House", "Court", "Lodge", "Tower", "Towers", "Mansions", "Buildings", "Heights", "Point",
                  "Flats", "Hall", "Cottages")
# kinds of institution, with the placeholder each becomes
INSTITUTION_TYPES = {
    "Primary School": "school", "Infant School": "school", "Junior School": "school", "High School": "school",
    "Secondary School": "school", "School": "school", "Primary": "school", "Academy": "school",
    "College": "school", "Nursery": "school", "Pre-School": "school", "Children's Centre": "place",
    "Family Centre": "place", "Surgery": "surgery", "Medical Centre": "surgery", "Health Centre": "surgery",
    "Medical Practice": "surgery", "Practice": "surgery", "Hospital": "place", "Clinic": "place",
}
# words before an institution's kind that name none ("the school", "GP Surgery")
_GENERIC = word_set("the a an our his her their its this that my your gp local new old community general "
                 "district primary secondary high infant junior nursery special village")
_INSTITUTION = re.compile(
    r"(?<![\w'])((?:[A-Z][\w'’.-]*\s+){1,4}(?:"
    + "|".join(sorted((re.escape(k) for k in INSTITUTION_TYPES), key=len, reverse=True)) + r"))(?![\w'])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)


@cache
def common_words() -> frozenset[str]:
    """The everyday words that are also names (lower case), from `common_words.txt`."""
    text = files(__package__).joinpath("common_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def is_common(word: str) -> bool:
    return word.lower() in common_words()


def name_variants(person: Person) -> set[str]:
    """The ways a record may name someone: full name, each part, each half of a hyphenated part, the
    surname's plural, and every nickname (initials are `initials`)."""
    variants = {person.name.strip(), *(k.strip() for k in person.known_as)}
    parts = person.name.split()
    for part in parts:
        variants.add(part)
        variants.update(p for p in part.split("-") if p)
    if len(parts) > 1:  # "the Fenwicks", "the Pryces" (each half of a hyphenated surname too)
        variants.update(p + "s" for p in {parts[-1], *parts[-1].split("-")} if p)
    return {v for v in variants if len(v) >= 2}


def initials(name: str) -> tuple[set[str], set[str]]:
    """(dotted, bare) initials of a name of two or more parts: ({"M.F.", "M. F.", "M.F"}, {"MF"}); a
    hyphenated part gives its halves' letters too ("R.A.K."). Bare initials that spell an abbreviation
    the records use ("ED") are left out."""
    parts = [p for p in re.split(r"\s+", name.strip()) if p[:1].isalpha()]
    if len(parts) < 2:
        return set(), set()
    spellings = {"".join(p[0] for p in parts).upper(),
                 "".join(h[0] for p in parts for h in p.split("-") if h).upper(),
                 (parts[0][0] + parts[-1][0]).upper()}
    dotted = set()
    for s in spellings:
        dotted |= {".".join(s) + ".", ". ".join(s) + ".", ".".join(s)}
    bare = {s for s in spellings if s not in ABBREVIATIONS}
    return dotted, bare


@dataclass(frozen=True)
class Professional:
    """A professional of the case as the recorded-by columns name them, with the label they get."""

    label: str
    names: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class RecordedBy:
    """What one recorded-by text holds: names, collar or staff numbers, and institutions."""

    names: tuple[tuple[str, str], ...]  # (title or "", name)
    numbers: tuple[tuple[str, str], ...]  # (title or "", number)
    institutions: tuple[str, ...]


def institutions_in(text: str) -> list[str]:
    """Schools, surgeries and the like named in `text` ("Millbrook Primary", "Oak Tree Surgery")."""
    found = []
    for match in _INSTITUTION.finditer(text or ""):
        words = match.group(1).split()
        while words and words[0].lower() in _GENERIC | {"at", "from", "to", "in", "and"}:
            words = words[1:]
        kind_words = next(k for k in sorted(INSTITUTION_TYPES, key=len, reverse=True)
                          if " ".join(words).endswith(k)).split()
        if len(words) > len(kind_words):
            found.append(" ".join(words))
    return found


def parse_recorded_by(text: str) -> RecordedBy:
    """The names, numbers and institutions in a recorded-by text.

    A name is a run of capitalised words or initials that is not wholly role words ("Health visitor",
    "Duty worker (CMHT)" hold none), optionally after a title ("Dr R. Castell"). A number of three or more
    digits is a collar or staff number ("PC 2417").
    """
    text = text or ""
    places = institutions_in(text)
    rest = text
    for place in places:
        rest = rest.replace(place, " ")
    numbers = tuple((m.group(1) or "", m.group(2)) for m in
                    re.finditer(r"(?:\b(" + "|".join(TITLES) + r")\.?\s*)?(?<![\d])([A-Z]{0,2}\d{3,}[A-Z]?)\b", rest))
    names = []
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*\.?|\S", rest)
    run: list[str] = []
    title = ""

    def close() -> None:
        nonlocal run, title
        words = [t for t in run if t.rstrip(".").lower() not in ROLE_WORDS]
        proper = [t for t in words if len(t.rstrip(".")) > 1]
        if proper:
            names.append((title, " ".join(run)))
        run, title = [], ""

    for i, token in enumerate(tokens):
        bare = token.rstrip(".")
        initial = len(bare) == 1 and bare.isupper()
        if bare in TITLES and not run:
            title = bare
            continue
        abbreviation = bare.isupper() and len(bare) > 1
        capital = bare[:1].isupper() and not abbreviation and bare.lower() not in ROLE_WORDS
        # a first capitalised word followed by a lower-case one is a role written as a sentence ("Housing officer")
        followed_lower = i + 1 < len(tokens) and tokens[i + 1][:1].islower()
        if (capital and not (i == 0 and followed_lower)) or (initial and i + 1 < len(tokens)):
            run.append(token)
        else:
            close()
            title = ""
    close()
    return RecordedBy(tuple(names), numbers, tuple(places))


def professionals_from(rows: Iterable[tuple[str, str]]) -> list[Professional]:
    """The professionals named in (agency code, recorded-by text) rows, in order of first appearance, each
    labelled by agency and number ("HV1", "HV2", "PC1"). The same surname (or number) within an agency is
    one professional."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    order: list[tuple[str, str]] = []
    for agency, text in rows:
        parsed = parse_recorded_by(text)
        for title, name in parsed.names:
            key = (agency, name.split()[-1].rstrip(".").lower())
            entry = found.setdefault(key, {"names": set(), "numbers": set()})
            entry["names"] |= _professional_variants(title, name)
            if key not in order:
                order.append(key)
        for title, number in parsed.numbers:
            key = (agency, "#" + number)
            entry = found.setdefault(key, {"names": set(), "numbers": set()})
            entry["numbers"] |= {number, *( {f"{title} {number}", f"{title}{number}"} if title else set())}
            if key not in order:
                order.append(key)
    counts: dict[str, int] = {}
    out = []
    for key in order:
        prefix = agency_prefix(key[0])
        counts[prefix] = counts.get(prefix, 0) + 1
        out.append(Professional(f"{prefix}{counts[prefix]}", tuple(sorted(found[key]["names"])),
                                tuple(sorted(found[key]["numbers"]))))
    return out


def _professional_variants(title: str, name: str) -> set[str]:
    """A professional's name, its parts, and the surname after a title. A part that is an everyday word
    ("Little" of "Little Acorns key worker") is kept only within the name or after a title ("Ms Little"):
    the parsing of a recorded-by text is a guess, and "Little food in the fridge" must stay."""
    parts = name.split()
    surname = parts[-1]
    variants = {name, *(p for p in parts if len(p.rstrip(".")) > 1 and not is_common(p.rstrip(".")))}
    for t in {title, "Mr", "Mrs", "Ms", "Miss", "Dr"} - {""}:
        variants |= {f"{t} {surname}", f"{t}. {surname}", f"{t} {name}"}
    if len(parts) > 1:
        variants.add(f"{parts[0][0]}. {surname}")
    return {v for v in variants if len(v.rstrip(".")) >= 2}


@dataclass(frozen=True)
class Place:
    """A place of the case and the placeholder kind it becomes (street, town, building, postcode, school...)."""

    text: str
    kind: str


def places_from_address(address: str) -> list[Place]:
    """The street, building, town and postcode of an address ("Flat 3, 21 Mill Road, Eastmere ZZ99 2EF")."""
    out: list[Place] = []
    for postcode in _POSTCODE.findall(address or ""):
        out.append(Place(postcode, "postcode"))
        compact = re.sub(r"\s+", "", postcode)
        out.append(Place(compact, "postcode"))
        out.append(Place(f"{compact[:-3]} {compact[-3:]}", "postcode"))
    rest = _POSTCODE.sub(" ", address or "")
    for part in (p.strip() for p in rest.split(",")):
        words = [w for w in part.split() if not re.fullmatch(r"(?:flat|apartment|apt|unit)|\d+\w?", w, re.I)]
        if not words:
            continue
        phrase = " ".join(words)
        if words[-1] in STREET_TYPES:
            out.append(Place(phrase, "street"))
            if STREET_TYPES[words[-1]]:
                out.append(Place(" ".join([*words[:-1], STREET_TYPES[words[-1]]]), "street"))
        elif words[-1] in BUILDING_TYPES:
            out.append(Place(phrase, "address"))
        else:
            out.append(Place(phrase, "town"))
    return out


def council_place(local_authority: str) -> str:
    """The town a council is named for: "Eastmere Borough Council (fictional)" -> "Eastmere"."""
    name = re.sub(r"\(.*?\)", " ", local_authority or "")
    name = re.sub(r"\b(?:Metropolitan|Royal|Borough|City|County|District|Council|of|and|the)\b", " ", name,
                  flags=re.I)
    return " ".join(name.split())


def place_kind(text: str) -> str:
    """The placeholder kind of a place given by name: street, school, surgery, address or place."""
    words = text.split()
    if words and words[-1] in STREET_TYPES:
        return "street"
    for kind_words, kind in sorted(INSTITUTION_TYPES.items(), key=lambda kv: len(kv[0]), reverse=True):
        if text.endswith(kind_words):
            return kind
    if words and words[-1] in BUILDING_TYPES:
        return "address"
    return "place"


def institution_variants(name: str) -> set[str]:
    """An institution's name and its distinctive part alone ("Millbrook Primary" -> "Millbrook"), unless
    that part is an everyday word."""
    variants = {name}
    for kind_words in sorted(INSTITUTION_TYPES, key=len, reverse=True):
        if name.endswith(" " + kind_words):
            own = name[: -len(kind_words)].strip()
            if own and not all(is_common(w) or w.lower() in _GENERIC for w in own.split()):
                variants.add(own)
            break
    return variants
