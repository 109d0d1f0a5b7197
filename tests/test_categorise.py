"""A category read from a row's words: ordinary agency prose, what beats what, and what must not count."""

import pytest

from neglect_kit.chronology.categorise import infer_category
from neglect_kit.config import settings_from_dict
from neglect_kit.terms import CATEGORY_RANKS, CATEGORY_WORDS
from neglect_kit.vocab import CATEGORIES


@pytest.mark.parametrize(("text", "code"), [
    # social workers' visit notes
    ("No reply at the door; curtains closed. Calling card left.", "no_access"),
    ("Unannounced visit, nobody home. Neighbour said the family were out.", "no_access"),
    ("Mum refused entry and spoke through the letterbox.", "no_access"),
    ("Home visit: Jodie seen in her bedroom, playing with her dolls.", "home_visit"),
    ("Statutory visit completed. Jodie and Kai seen with mum in the lounge.", "home_visit"),
    # school logs
    ("Absent from school again today, no call from home.", "attendance"),
    ("Attendance 78% this half term.", "attendance"),
    ("Arrived hungry, asked for toast at breakfast club.", "hunger_food"),
    ("Told staff there was no food in the house at the weekend.", "hunger_food"),
    ("Head lice again, uniform dirty.", "physical_care"),
    ("Came in without a coat in the snow; shoes too small.", "physical_care"),
    ("Operation Encompass notification: domestic incident at the home last night.", "domestic_abuse"),
    # health
    ("Not brought to dental appointment.", "was_not_brought"),
    ("DNA paediatric clinic for the second time.", "was_not_brought"),
    ("Weighed at clinic: dropped from the 25th to the 9th centile.", "growth_weight"),
    ("Faltering growth; referral to dietitian discussed.", "growth_weight"),
    ("Six teeth extracted under general anaesthetic due to decay.", "dental"),
    ("Ear infection left untreated for two weeks; discharge from the ear.", "medical_need"),
    ("Prescription not collected, so Jodie has had no inhaler for a week.", "medical_need"),
    ("Flu vaccination given at school.", "health"),
    ("ED attendance with a temperature and a rash.", "health"),
    ("Attendance at A&E with a head injury after a fall.", "injury"),
    # home, police, process
    ("Kitchen floor covered in dog faeces, bin bags in the hall.", "home_conditions"),
    ("Police called by neighbours after shouting; officers attended.", "police_callout"),
    ("Police attendance at the address after a report of a loud party.", "police_callout"),
    ("Referral received from the school about Jodie's poor presentation.", "physical_care"),
    ("Referral received from the GP.", "referral"),
    ("Initial child protection conference held; plan under neglect.", "conference_plan"),
    ("Case transferred to the long-term team; new social worker allocated.", "worker_change"),
    ("Family moved house to a flat on the Brookside estate.", "household_change"),
    ("Bruise on the left cheek, mum said she fell off the sofa.", "injury"),
    ("Dad was drunk at pick-up and slurring.", "parental_alcohol"),
    ("Mum told the HV she has stopped taking her antidepressants.", "parental_mental_health"),
    ("Good progress: reading at the expected level.", "positive"),
])
def test_ordinary_agency_prose_gives_its_category(text, code):
    assert infer_category(text, CATEGORIES) == code


@pytest.mark.parametrize(("text", "code"), [
    # a missed appointment or no access beats the routine words around it
    ("Home visit: no reply, curtains closed.", "no_access"),
    ("Dental check: not brought.", "was_not_brought"),
    # a concern beats a plain visit, a referral, a police call-out or a health check
    ("Home visit. Kitchen cluttered, no food in the fridge.", "home_conditions"),
    ("Police called to a domestic incident at the home.", "domestic_abuse"),
    ("Health review: weight below the 2nd centile.", "growth_weight"),
    # a meeting beats the concerns it discusses; a concern beats the referral it led to
    ("Review conference: attendance still poor; home conditions better.", "conference_plan"),
    ("Weight on the 2nd centile; referred to paediatrics.", "growth_weight"),
    # within one rank, the first named
    ("Hungry and unkempt on arrival.", "hunger_food"),
    ("Unkempt and hungry on arrival.", "physical_care"),
])
def test_precedence_when_a_row_names_several(text, code):
    assert infer_category(text, CATEGORIES) == code


@pytest.mark.parametrize("text", [
    "No concerns about home conditions.",
    "Jodie was not hungry and ate all her lunch.",
    "No injuries seen; no marks or bruising.",
    "Attendance: nil concerns.",
    "Nan drinks heavily at weekends.",  # someone outside the household
    "Letter sent to mum.",
    "Telephone call with the class teacher.",
    "Jodie enjoyed the trip to the farm.",
    "The GP visit went ahead.",  # a visit that is not a home visit
    "Dad has been absent from Jodie's life since 2019.",
    "In the absence of the class teacher, the TA spoke to mum.",
    "Presentation to the team about the family's history.",
    "Weighing up the options with mum.",
    # one letter from a category's word, but an everyday word
    "Mum was smelling the flowers in the garden.",
    "Jodie is starting at a boarding school in September.",
    "Tidied the dirty kitchen together.",
    "",
])
def test_words_that_must_not_choose_a_category(text):
    assert infer_category(text, CATEGORIES) == "other"


@pytest.mark.parametrize(("text", "code"), [
    # physical care: smell, an unwashed child or clothes, a nappy left
    ("Kai's jumper reeked and he smelled of wee all morning.", "physical_care"),
    ("Staff noticed a strong odour of urine on Jodie's coat again.", "physical_care"),
    ("Jodie's hair had not been washed for some days; she was wearing dirty socks.", "physical_care"),
    ("Baby in a sodden nappy that looked hours old; vest stained.", "physical_care"),
    ("Kai says he has not had a bath since the weekend.", "physical_care"),
    # a medical need left: worse before help was sought, or treatment not given
    ("A sore on her heel had become infected before she was taken to the GP.", "medical_need"),
    ("Eczema on both legs, skin broken and raw; mum had not used the cream.", "medical_need"),
    ("Kai has had no medication for his epilepsy since Friday.", "medical_need"),
    ("Ear infection: the school nurse says it has been like this for a fortnight.", "medical_need"),
    ("The antibiotics were not given and the ear is still discharging.", "medical_need"),
    # a condition named with nothing to say it was left is health, not a medical need
    ("Seen by the GP with a rash; cream prescribed.", "health"),
    ("Chest infection, antibiotics started the same day.", "health"),
    # good news: praise and achievement
    ("Jodie was praised by her teacher for her handwriting.", "positive"),
    ("Kai got a swimming award at the leisure centre.", "positive"),
    ("Dad said how proud of them he is after parents' evening.", "positive"),
    ("Star of the week for kindness to a new pupil.", "positive"),
    ("Jodie has made progress with her reading since Easter.", "positive"),
    # hunger in what a child does or says
    ("Kai begged for food from other children at break.", "hunger_food"),
    ("At lunch Jodie wolfed her dinner and went back for seconds.", "hunger_food"),
    ("Found taking food from the classroom snack box.", "hunger_food"),
    ("Jodie said there was nothing to eat at home on Sunday.", "hunger_food"),
    ("Kai told the TA he had no tea last night.", "hunger_food"),
    ("Mum given a food voucher at the children's centre.", "hunger_food"),
    # an assault between the adults told in plain words
    ("Mum said Lee grabbed her by the throat on Friday night.", "domestic_abuse"),
    ("She told the HV he pushed her into the bathroom door; given the Women's Aid number.", "domestic_abuse"),
    ("Mum has been in touch with Womens Aid about a refuge place.", "domestic_abuse"),
    ("Dad strangled her until she passed out, Jodie told her teacher.", "domestic_abuse"),
    # a smell that belongs to the home
    ("The flat smelt strongly of urine and smoke.", "home_conditions"),
    ("Unwashed dishes piled in the sink; the kitchen bin overflowing.", "home_conditions"),
])
def test_the_word_families_of_neglect_and_good_news(text, code):
    assert infer_category(text, CATEGORIES) == code


@pytest.mark.parametrize("text", [
    # negated
    "No smell of urine today and clothes clean.",
    "No rash seen at the check.",
    "Jodie did not ask for food at break and ate all her lunch.",
    "No nappy rash; skin intact.",
    # an adult's own body and health
    "Mum's untreated toothache kept her off work.",
    "Dad's chest infection is no better.",
    "Mother's own medication has run short, she says.",
    # a phrase that only looks like a category's
    "Kai is hungry for attention and follows staff around.",
    "Jodie seemed hungry to learn in the new class.",
    "Mum was proud of herself for getting to the appointment.",
    "Dad gave the worker a dirty look and left the room.",
    # everyday words one letter from a new one
    "Concern raised by the school nurse.",
    "The flat was infested with mice.",
    "Mum was weeping throughout the visit.",
    "Jodie was starting to settle at nursery.",
    "Mum is aware of the plan.",
    "Mum's parenting course was not completed.",
    "Kai pushed him over in the playground and was kept in at break.",
])
def test_what_the_new_word_families_must_not_catch(text):
    assert infer_category(text, CATEGORIES) == "other"


def test_an_adults_condition_leaves_the_parental_factor_to_choose():
    assert infer_category("Mum's untreated depression is worse; she stays in bed.", CATEGORIES) == \
        "parental_mental_health"


def test_head_lice_left_untreated_is_physical_care_the_condition_named_first():
    assert infer_category("Nits again, not treated since the letter home.", CATEGORIES) == "physical_care"


def test_a_denial_still_names_the_subject_of_the_row():
    assert infer_category("Mum denies drinking; says she has not had alcohol for a year.", CATEGORIES) == \
        "parental_alcohol"


def test_the_description_decides_and_the_action_and_outcome_are_read_when_it_names_nothing():
    parts = ["Telephone call from mum.", "Advised to book a dentist.", "Seen, two fillings."]
    assert infer_category(parts, CATEGORIES) == "dental"
    # the action's meeting does not turn the description's concern into a meeting
    parts = ["Home visit: bin overflowing, dog mess on the kitchen floor.", "Raised at core group.", ""]
    assert infer_category(parts, CATEGORIES) == "home_conditions"
    assert infer_category(["Theo's attendance this term is 48%.", "Raised at core group."], CATEGORIES) == \
        "attendance"
    assert infer_category(["Letter sent.", "", ""], CATEGORIES) == "other"


def test_a_partnership_word_and_category_are_read():
    cfg = settings_from_dict({"categories": {
        "hunger_food": {"synonyms": ["holiday hunger"]},
        "private_fostering": {"label": "Private fostering", "synonyms": ["staying with a family friend"]}}})
    assert infer_category("Jodie is staying with a family friend for the summer.", cfg.categories) == \
        "private_fostering"
    assert infer_category("Holiday hunger scheme place offered.", cfg.categories) == "hunger_food"


def test_the_partnership_risk_terms_are_the_parental_factors_words():
    terms = {"parental_alcohol": ("prosecco",), "parental_drugs": ("cannabis",),
             "parental_mental_health": ("low mood",), "domestic_abuse": ("domestic abuse",)}
    assert infer_category("Mum had drunk a bottle of prosecco.", CATEGORIES, risk_terms=terms) == \
        "parental_alcohol"
    assert infer_category("Mum had drunk a bottle of prosecco.", CATEGORIES) == "parental_alcohol"  # drunk*


def test_every_category_with_words_has_a_rank_and_is_a_category():
    assert set(CATEGORY_WORDS) <= set(CATEGORY_RANKS) <= set(CATEGORIES.codes())


@pytest.mark.parametrize(("text", "code"), [
    ("Child in need plan agreed with mum: the house cleared and dental appointments kept.", "conference_plan"),
    ("CP plan reviewed at core group; no change in home conditions.", "conference_plan"),
    ("Safety plan agreed with mum after the incident.", "conference_plan"),
    ("The early help plan was agreed at school with dad.", "conference_plan"),
    # "planned" and "plans to" are not a plan of the kit's kind
    ("Planned home visit. No reply.", "no_access"),
])
def test_a_plan_agreed_or_reviewed_is_a_plan_whatever_it_mentions(text, code):
    assert infer_category([text], CATEGORIES) == code
    assert infer_category(["Mum plans to move in with her sister next month."], CATEGORIES) != "conference_plan"
