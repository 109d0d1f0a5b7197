"""A fictional case holding every form of identifier the scrubbing engine must take out (test data only).

Every person, place and number here is invented: phone numbers from Ofcom's drama ranges, e-mails at
example domains, an NHS number that passes its check digit but belongs to no one we know of, postcodes
in the made-up ZZ99 area or of no real street. `tests/test_pseudonymise.py` uses it, and the research
extract's tests may too:

- `PEOPLE`, `PROFESSIONALS`, `PLACES`, `LOGINS`: what `Scrubber.for_case` is given (store-shaped rows);
- `ENTRIES`: (agency, recorded_by, text) rows written the way records are, every identifier somewhere;
- `IDENTIFIERS`: every spelling that must not survive; `leaks(text)` lists those found in a text, whole
  word and in any letter case (an everyday-word name or bare initials in lower case, "will", "kap", are the
  documented exceptions);
- `ORDINARY`: sentences whose everyday words must survive (Will as a verb, May the month...).
"""

from __future__ import annotations

import re
from datetime import date

PEOPLE = [
    {"id": "kayden", "kind": "child", "name": "Kayden Ashworth-Pryce", "known_as": ["Kay-Kay", "Kaydo"],
     "date_of_birth": date(2015, 4, 3), "relationships": {}, "address": ""},
    {"id": "lilymay", "kind": "child", "name": "Lily-May Ashworth", "known_as": ["Lils"],
     "date_of_birth": date(2018, 9, 12), "relationships": {}, "address": ""},
    {"id": "shannon", "kind": "adult", "name": "Shannon Ashworth", "known_as": ["Shaz"],
     "date_of_birth": date(1993, 1, 27), "relationships": {"kayden": "mother", "lilymay": "mother"},
     "address": "14 Larch Close, Wexcombe ZZ99 3AB"},
    {"id": "will", "kind": "adult", "name": "Will Pryce", "known_as": [], "date_of_birth": date(1990, 6, 5),
     "relationships": {"kayden": "father"}, "address": "Flat 2b, Mercer House, Tanner Street, Wexcombe ZZ99 7HD"},
    {"id": "rose", "kind": "adult", "name": "Rose Quilliam", "known_as": ["Nanna Rose"], "date_of_birth": None,
     "relationships": {"kayden": "grandparent", "lilymay": "grandparent"},
     "address": "3 Osier Way, Brantholme NE1 4XX"},
]
LABELS = {"kayden": "Child A", "lilymay": "Child B", "shannon": "Mother", "will": "Father", "rose": "Grandparent"}

PROFESSIONALS = [
    {"agency": "childrens_social_care", "recorded_by": "SW (Priya Okafor)"},
    {"agency": "health_visiting", "recorded_by": "HV Jo Tennant"},
    {"agency": "police", "recorded_by": "PC 4471"},
    {"agency": "gp", "recorded_by": "Dr M. Quarshie"},
    {"agency": "school", "recorded_by": "Class teacher (Brackenfield Primary)"},
    {"agency": "health_visiting", "recorded_by": "Health visitor"},
]
PLACES = ["Wexcombe Borough Council (fictional)", "Fernlea Surgery"]
LOGINS = ["priya.okafor"]

ENTRIES = [
    ("childrens_social_care", "SW (Priya Okafor)",
     "Home visit to Kayden Ashworth-Pryce (DOB 03/04/2015) and Lily-May at 14 Larch Close, Wexcombe ZZ99 3AB. "
     "KAYDEN's room was cold; kay-kay said Shaz was asleep. Priya Okafor spoke to Mum (Shannon Ashworth)."),
    ("health_visiting", "HV Jo Tennant",
     "Lils (born 12th September 2018) not brought to clinic. Jo Tennant phoned Shannon on 07700 900461 and the "
     "landline 01632 960 118; email shaz.ashworth@example.com. NHS number 943 476 5919."),
    ("police", "PC 4471",
     "PC 4471 attended Flat 2b, Mercer House after a call from Will Pryce's neighbour. Will had been drinking; "
     "Mr Pryce gave NI number AB 123456 C. Officer 4471 told the Pryces to expect a referral."),
    ("gp", "Dr M. Quarshie",
     "Dr Quarshie at Fernlea Surgery saw Kaydo: D.O.B. 3 April 2015. Nanna Rose brought him from 3 Osier Way, "
     "Brantholme NE1 4XX. Mother's partner unknown. Ashworth family registered since 2016."),
    ("school", "Class teacher (Brackenfield Primary)",
     "Brackenfield Primary School: K.A.P. late 9 times; KAP said Lily-May's coat was wet. Brackenfield staff "
     "gave breakfast. S.A. (mum) rang from 020 7946 0321. Teacher wrote to Tanner Street, Wexcombe."),
    ("health_visiting", "Health visitor",
     "Ms Ashworth seen with LILY-MAY; Rose Quilliam (date of birth not known) was there. Lily and May are "
     "Lily-May's names for her dolls. Saved by priya.okafor."),
]

# every spelling that must not survive scrubbing (checked whole word, any letter case)
IDENTIFIERS = [
    "Kayden", "Ashworth-Pryce", "Ashworth", "Pryce", "Pryces", "Kay-Kay", "Kaydo", "Lily-May", "Lils", "Shannon",
    "Shaz", "Quilliam", "Nanna Rose", "K.A.P.", "KAP", "S.A.", "Priya", "Okafor", "Tennant", "Quarshie", "4471",
    "priya.okafor", "Larch Close", "Mercer House", "Tanner Street", "Osier Way", "Wexcombe", "Brantholme",
    "Brackenfield", "Fernlea", "ZZ99 3AB", "NE1 4XX", "07700 900461", "01632 960 118", "020 7946 0321",
    "shaz.ashworth@example.com", "943 476 5919", "AB 123456 C", "03/04/2015", "3 April 2015",
    "12th September 2018", "Will", "Rose", "Lily",
]
# names that are everyday words: their lower-case forms are kept by design ("will" the verb); so are initials
# without dots in lower case ("kap" is no one's initials)
EVERYDAY = {"will", "rose", "lily", "may"}
CAPITALS_ONLY = EVERYDAY | {"kap"}

ORDINARY = [
    ("She will come on Monday if she may.", ["will", "may", "Monday"]),
    ("The roses rose in the garden; Grace said grace.", ["roses", "rose", "Grace", "grace"]),
    ("A bill for 2 weeks; the ward nurse marked it amber.", ["bill", "ward", "amber", "2"]),
    ("The ED nurse and the GP told the HV and SW.", ["ED", "GP", "HV", "SW"]),
]


def leaks(text: str) -> list[str]:
    """The identifiers still in `text`: whole words, any letter case (an everyday word only with a capital)."""
    found = []
    for ident in IDENTIFIERS:
        flags = 0 if ident.lower() in CAPITALS_ONLY else re.I
        if re.search(r"(?<![\w@.])" + re.escape(ident) + r"(?![\w@])", text, flags):
            found.append(ident)
    return found
