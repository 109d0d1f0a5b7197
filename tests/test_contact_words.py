"""Seen, seen alone, not seen (and why) and heard, read per child from an entry's words."""

import pytest

from neglect_kit.chronology.contact_words import ChildContact, ContactReader
from neglect_kit.config import SettingsError, settings_from_dict

READER = ContactReader({"jodie": ["Jodie", "Jo"], "kai": ["Kai"]}, ["Donna Pike", "Lee"])
BOTH = ["jodie", "kai"]


def read(text: str, kids=BOTH) -> dict[str, ChildContact]:
    return READER.read(text, kids)


def test_two_children_in_one_entry_are_read_apart():
    got = read("Jodie seen alone in her bedroom; Kai asleep upstairs, not seen.")
    assert got["jodie"] == ChildContact(seen=True, seen_alone=True)
    assert not got["kai"].seen and set(got["kai"].not_seen) == {"asleep", "not_seen"}


@pytest.mark.parametrize("text", [
    "Jodie seen alone in the kitchen.",
    "Spoke to Jo on her own about school.",
    "Jodie was seen without mum present.",
    "SW saw Jodie alone in the garden.",
    "Home visit. Seen away from mum in her room.",  # one child, no name: about her
])
def test_seen_alone(text):
    assert read(text, ["jodie"])["jodie"].seen_alone


@pytest.mark.parametrize("text", [
    "Jodie seen with mum in the lounge.",
    "Jodie was seen with her mother present.",
    "Seen in the presence of Donna.",
    "Jodie was not seen alone.",
    "Jodie left alone at home while Donna went out. Jodie seen at school the next day.",
])
def test_seen_but_not_alone(text):
    got = read(text, ["jodie"])["jodie"]
    assert not got.seen_alone and (got.not_alone or got.seen)


@pytest.mark.parametrize(("text", "why"), [
    ("No reply at the door.", "no_access"),
    ("Nobody home, curtains drawn.", "no_access"),
    ("Worker did not see the children.", "not_seen"),
    ("Donna answered; children at school so not seen.", "out"),
    ("The children were in bed and were not seen.", "asleep"),
    ("No reply; children believed to be at nursery.", "out"),
    ("Home visit: Donna answered; children at school.", "out"),
    ("Unannounced visit. The children were staying with their nan.", "out"),
    ("Donna seen at the door; the children were at school.", "out"),
    ("The children were not seen.", "not_seen"),
])
def test_not_seen_and_why_for_every_child_of_the_entry(text, why):
    got = read(text)
    assert set(got) == {"jodie", "kai"}
    assert all(why in c.not_seen and not c.seen for c in got.values())


def test_seen_and_well_said_of_a_child_not_seen_does_not_count():
    assert not read("Kai in bed - seen and well per mum.", ["kai"])["kai"].seen
    got = read("Donna says the children are seen and well, but Kai was asleep and not seen.")
    assert "jodie" not in got or not got["jodie"].seen  # her account, not a sighting
    assert not got["kai"].seen
    assert read("Jodie seen and well at clinic.", ["jodie"])["jodie"].seen  # nothing says otherwise


@pytest.mark.parametrize("text", [
    "Officers attended: mum present, children asleep, nothing of concern.",
    "Two small children in the house, in their cots.",
    "The children were in bed.",
    "Donna answered; children at school.",
    "Jodie and Kai napping upstairs when the worker arrived.",
    "Home visit at 9pm: the children asleep upstairs, Donna sober.",  # asleep in the home: looked in or not
    "GP visit for Donna's mood; the children were at nursery.",  # a visit, but not to the home
    "She drinks most nights once the children are in bed.",
])
def test_where_a_child_was_is_not_whether_the_child_was_seen(text):
    """Asleep, in bed, at school say where; only beside words that say the child was not seen are they why."""
    got = read(text)
    assert all(not c.seen and not c.not_seen and not c.says_alone for c in got.values()), got


@pytest.mark.parametrize("text", [
    "Jodie seen asleep in her cot.",
    "Officers saw Kai sleeping in bed.",
    "Observed Jodie asleep on the sofa, Donna present.",
])
def test_a_sleeping_child_looked_at_is_seen_but_not_heard_or_seen_alone(text):
    got = read(text)
    child = got["jodie" if "Jodie" in text else "kai"]
    assert child.seen and not child.heard and not child.seen_alone and not child.not_seen


@pytest.mark.parametrize("text", [
    "Kai asleep upstairs, not seen.",
    "Jodie was in bed so I could not see her.",
    "Told Kai was asleep; worker did not see him.",
])
def test_asleep_is_the_reason_beside_not_seen(text):
    got = read(text)
    child = got["jodie" if "Jodie" in text else "kai"]
    assert not child.seen and set(child.not_seen) >= {"asleep", "not_seen"}


@pytest.mark.parametrize("text", [
    "Donna seen at the door.",
    "Mum seen in town with Lee.",
    "Was Jodie seen alone?",  # a question records nothing
    "Donna saw the GP about her mood.",
    "The children saw the argument.",  # they did the seeing
    "Jodie fell asleep in class.",
])
def test_what_is_not_a_sighting_of_the_child(text):
    got = read(text, ["jodie"]).get("jodie", ChildContact())
    assert not got.seen and not got.seen_alone and not got.not_seen


@pytest.mark.parametrize("text", [
    'Jodie said "I had cereal for tea".',
    'Kai told the teacher: "mummy was asleep".',
    '"I\'m hungry," said Kai.',
    "Kai said he was hungry.",
    'Kai: "I don\'t like the dark".',
    "Jodie seen alone. She said she sleeps in her coat.",
    "Kai explained that he makes his own breakfast.",
    "Kai said no.",  # words after the verb never negate it
    'Kai came in from the garden while Donna was cooking, said "can I have a biscuit".',
    "Jodie sat with me while mum made tea, then told me she shares a bed with Kai.",
    "Jodie played with the dolls as Lee watched, and explained that the doll was sad.",
])
def test_the_childs_own_words(text):
    got = read(text)
    assert any(c.heard for c in got.values())
    who = "jodie" if "Jodie" in text else "kai"
    assert got[who].heard and all(not c.heard for k, c in got.items() if k != who)


@pytest.mark.parametrize("text", [
    'Mum said "she is fine".',
    "Donna said Kai was fine.",
    "Kai was told off by Lee.",
    "Kai would not speak to me.",
    "Jodie did not say anything.",
    "Jodie's teacher said she was tired.",
    "Referral from nursery: Kai grubby; home said to be cold.",
    "Kai was seen in the garden; the flat reported to have no heating.",
    "Jodie described as quiet and withdrawn.",
    "Kai reported to be hungry at school.",
    "Kai seen with Donna, who said he eats well.",
    "Kai in the lounge; Donna later said he had been poorly.",
])
def test_words_that_are_not_the_childs(text):
    assert not any(c.heard for c in read(text).values())


def test_a_name_two_children_share_counts_for_neither_and_the_terms_come_from_the_settings():
    reader = ContactReader({"a": ["Sam"], "b": ["Sam"]}, terms={"seen": ["clocked"], "alone": ["solo"]})
    assert reader.read("Sam clocked solo.", ["a", "b"]) == {}
    assert reader.read("Sam clocked solo.", ["a"])["a"].seen_alone
    assert reader.read("Sam seen alone.", ["a"]) == {}  # the built-in words are replaced
    with pytest.raises(ValueError, match="'glimpsed' is not one of seen, alone"):
        ContactReader({}, terms={"glimpsed": ["x"]})


def test_the_contact_terms_are_settings():
    cfg = settings_from_dict({"contact_terms": {"alone": ["solo", "Without Mum"]}})
    assert cfg.contact_terms["alone"] == ("solo", "without mum") and "seen" in cfg.contact_terms["seen"]
    for bad, message in (({"glimpsed": ["x"]}, r"contact_terms\.glimpsed is not a kind of contact"),
                         ({"seen": []}, r"contact_terms\.seen must be a list of words or phrases"),
                         (["seen"], r"\[contact_terms\] must be a table")):
        with pytest.raises(SettingsError, match=message):
            settings_from_dict({"contact_terms": bad}, "my.toml")


def test_a_child_elsewhere_missed_the_contact_another_child_had():
    got = read("Spoke to Jodie alone at school; Kai at nursery.")
    assert got["jodie"].seen_alone and not got["kai"].seen and got["kai"].not_seen == ("out",)
    got = read("Jodie seen alone in her room; Kai asleep.")  # asleep at home: may have been looked in on
    assert got["jodie"].seen_alone and not got["kai"].not_seen and not got["kai"].seen


@pytest.mark.parametrize("text", [
    "Jodie came to the drop-in and asked for a plaster.",
    "Jodie weighed and measured at the school nurse clinic.",
    "Jodie came in late and hungry, went straight to breakfast club.",
    "Kai weighed at baby clinic, 8.2 kg.",
])
def test_a_child_at_an_appointment_or_a_drop_in_was_seen(text):
    kids = ["kai"] if "Kai" in text else ["jodie"]
    assert read(text, kids)[kids[0]].seen


@pytest.mark.parametrize("text", [
    "Not brought to the dental appointment.",
    "Police came to the house after a neighbour called; no further details.",
    "Mum came to the office to ask about her benefits.",
])
def test_an_appointment_missed_or_an_adult_arriving_is_no_sighting(text):
    assert not read(text, ["jodie"]).get("jodie", ChildContact()).seen
