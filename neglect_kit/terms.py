"""The words the kit's readers look for in an entry's free text, a partnership's defaults.

Three readers share the matcher of `chronology/risk_terms.py` (whole words, a trailing `*` for any
ending, negation read clause by clause): the parental factors (`RISK_TERMS`, settings `[risk_terms]`),
the child seen, seen alone, not seen and heard (`CONTACT_TERMS`, settings `[contact_terms]`), and the
category of a row with no category column (`CATEGORY_WORDS`, `CATEGORY_RANKS`, `CATEGORY_FALSE_FRIENDS`).
The controlled vocabularies (codes and labels) are in `vocab.py`.
"""

from __future__ import annotations

# Words in a description that point to one of the four parental factors. A partnership reads
# and edits these in its settings (`[risk_terms]`). A trailing `*` matches any ending
# ("drink*": drinks, drinking, drinker); near misspellings of longer words are matched too
# (see chronology/risk_terms.py), and a category of the same code always counts.
RISK_TERMS: dict[str, tuple[str, ...]] = {
    "parental_alcohol": (
        "alcohol*", "drink*", "drank", "drunk*", "intoxicat*", "under the influence", "hangover*",
        "hungover", "wine", "beer*", "lager", "cider", "vodka", "booze*", "units a week", "had a few",
        "sober since", "been sober", "stayed sober", "staying sober",
        # what a child sees the adult do, in a child's words
        "smelly juice", "funny juice", "special juice", "grown up juice", "special drink*", "grown up drink*",
        "wobbly", "mum's bottle", "mummy's bottle", "dad's bottle", "daddy's bottle", "mum’s bottle",
        "mummy’s bottle", "dad’s bottle", "daddy’s bottle"),
    "parental_drugs": (
        "drug*", "cannabis", "weed", "heroin", "cocaine", "crack", "methadone", "amphetamine*",
        "spice", "ketamine", "substance misuse", "needle*", "clean since", "been clean", "using again",
        "spliff*", "skunk", "ganja",
        # what a child sees the adult use, in a child's words (counted only when a parent is named with them)
        "green leaves", "green stuff", "funny cigarette*", "funny smoke", "smelly smoke", "smelly cigarette*",
        "special cigarette*", "white powder"),
    "parental_mental_health": (
        "mental health", "depress*", "anxiety", "anxious", "low mood", "antidepressant*", "psychosis",
        "psychotic", "bipolar", "schizophreni*", "self-harm*", "self harm*", "suicid*", "overdose*",
        "personality disorder", "ptsd", "low in mood", "feels low", "feeling low", "felt low", "feel low",
        "in bed all day", "sad all the time", "cries all the time", "crying all the time"),
    "domestic_abuse": (
        "domestic abuse", "domestic violence", "domestic incident*", "dash", "marac", "idva",
        "coercive", "controlling behaviour", "hit her", "hit him", "non-molestation", "refuge",
        "threw"),
    # recovery and relapse with no substance named: counted for the alcohol or drugs named beside them
    "recovery": ("relapse*", "in recovery", "detox*", "rehab", "back on it", "fell off the wagon"),
}

# Words in an entry's description, action, outcome and impact note that say whether a child was
# seen, seen alone or heard (see chronology/contact_words.py and docs/analysis-rules.md section 2).
# A partnership reads and edits these in its settings (`[contact_terms]`); matching and negation
# are those of the risk terms. "speech" are the verbs of the child's own words ("Jodie said ...").
# A visit with no access, in words: read both for the child not seen (`CONTACT_TERMS`) and for the
# category of the visit (`CATEGORY_WORDS`), each adding its own few below.
NO_ACCESS_WORDS = (
    "no reply", "no answer", "no access", "nobody home", "nobody at home", "nobody in", "no one home",
    "no one at home", "no one in", "no-one home", "no-one in", "refused entry", "refused access", "denied entry",
    "denied access", "not allowed in", "door not answered", "did not answer the door", "didn't answer the door",
    "unable to gain access", "could not gain access", "couldn't gain access", "no response at the door")

CONTACT_TERMS: dict[str, tuple[str, ...]] = {
    "seen": (
        "seen", "saw", "sighted", "observed", "spoke to", "spoke with", "spoken to", "spoken with",
        "talked to", "talked with", "met with", "safe and well", "visible",
        # a child at a clinic or a drop-in was seen there ("brought to" is left out: "not brought to the
        # clinic" says where the child was not taken, not whether anyone could see the child)
        "came to", "came in", "came into", "came with", "weighed", "examined"),
    "alone": (
        "alone", "on her own", "on his own", "on their own", "by herself", "by himself", "by themselves",
        "without mum present", "without mum", "without dad present", "without dad", "without parents present",
        "without a parent present", "without an adult present", "away from mum", "away from dad",
        "away from parents", "away from her parents", "away from his parents", "in private", "privately",
        "one to one", "individually"),
    "with_adult": (
        "with mum", "with dad", "with mummy", "with daddy", "with her mum", "with his mum", "with her mother",
        "with his mother", "with her dad", "with his dad", "with her father", "with his father", "with parents",
        "with her parents", "with his parents", "with both parents", "with carer", "with her carer",
        "with his carer", "mum present", "dad present", "mother present", "father present", "parents present",
        "parent present", "carer present", "in the presence of", "in front of mum", "in front of dad",
        "in front of parents"),
    "not_seen": (
        "not seen", "unseen", "did not see", "didn't see", "unable to see", "not able to see", "could not see",
        "couldn't see", "not sighted", "no sighting", "not visible"),
    # a child "not at home" at a visit was not seen there; as a category it would name a parent's absence
    "no_access": (*NO_ACCESS_WORDS, "not at home"),
    "asleep": ("asleep", "sleeping", "in bed", "napping", "in her cot", "in his cot", "in the cot"),
    "out": (
        "at school", "in school", "at nursery", "in nursery", "at playgroup", "at college", "at a friend's",
        "at a friends", "at nan's", "at nans", "at grandma's", "at her dad's", "at his dad's", "staying with",
        "out with", "was out", "were out", "gone out", "at the park", "at the shops"),
    "speech": (
        "said", "say", "tell", "told", "stated", "states", "spoke", "speak", "talked", "talk", "explained",
        "explains", "disclosed", "discloses", "described", "describes", "shared", "asked", "asks", "replied",
        "replies", "answered", "whispered", "shouted", "commented", "mentioned", "reported", "reports"),
    # a visit to the child's home: a child "at school" or "staying with nan" then was not seen at it
    # (a visit to the home only: "GP visit", "contact visit" are not)
    "visit": (
        "home visit*", "unannounced visit*", "announced visit*", "statutory visit*", "visited the home",
        "visited the house", "visited the flat", "visited the address", "visited the family", "called at the home",
        "called at the house", "called at the address", "attended the home", "attended the address",
        "attended the house", "attended the property"),
}

# Words in a row's description, action or outcome that name a category, for returns with no
# category column (chronology/categorise.py; the parental factors are read with RISK_TERMS
# instead, so both readers share one list). Written as in RISK_TERMS: a trailing `*` takes any
# ending, a plain word also takes -s, -es, -ed and -ing. Kept to words that name the event
# itself: a bare "visit" or "dirty" says too little ("GP visit", "dirty kitchen"). The reader
# forgives one slip in a word of 7+ letters, so a word one letter from an everyday one is left
# out ("swelling": smelling, "hoarding": boarding, "starving": starting).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "was_not_brought": (
        "not brought", "was not brought", "wnb", "dna", "did not attend", "didn't attend", "failed to attend",
        "missed appointment", "missed her appointment", "missed his appointment", "missed the appointment",
        "appointment missed", "appointment was missed", "no show", "not taken to the appointment",
        "not taken to clinic", "not taken to the clinic"),
    # the signs of a visit that got no answer, which say nothing of any one child ("curtains closed")
    "no_access": (*NO_ACCESS_WORDS, "curtains closed", "card left", "left a card", "calling card", "failed visit",
                  "unsuccessful visit"),
    "attendance": (
        "attendance", "absent from school", "absent from nursery", "absent from class", "absent today",
        "absent again", "absent for", "marked absent", "school absence*", "unauthorised absence*",
        "authorised absence*", "persistent absen*", "absence from school", "absence from nursery", "unauthorised",
        "truant*", "truancy", "late to school", "late for school", "late into school", "arrived late",
        "registered late", "not in school", "not at school", "off school", "missed school", "missing education"),
    "hunger_food": (
        "hungry", "hunger", "no food", "little food", "food bank*", "food parcel*", "food poverty",
        "no breakfast", "not had breakfast", "without breakfast", "no lunch", "no packed lunch",
        "asked for food", "stealing food", "stole food", "took food", "hoarding food", "fridge empty",
        "empty fridge", "cupboards empty", "cupboards bare", "empty cupboards", "underfed", "not fed",
        "not been fed", "malnourish*", "scavenging", "poor diet",
        # signs in what a child does or says: asking for or taking food, eating fast, no meal at home
        "asking for food", "asks for food", "begging for food", "begged for food", "for seconds", "second helping*",
        "extra helping*", "asked for more food", "asked for snacks", "asked for toast", "asked for a snack",
        "taking food", "takes food", "taken food", "steals food", "stolen food", "took extra food", "took extra fruit",
        "food home", "ate quickly", "ate very quickly", "eating quickly", "ate ravenously", "ravenous", "was starving",
        "is starving", "wolfed", "gobbled down", "gobbled it", "nothing to eat", "nothing in the cupboard*",
        "nothing in the fridge", "no tea",
        "no dinner", "no supper", "not had any tea", "not had tea", "not had any dinner", "not had dinner",
        "not had anything to eat", "had not eaten", "hadn't eaten", "not eaten since", "food voucher*"),
    "physical_care": (
        "hygiene", "head lice", "nits", "lice", "unkempt", "unwashed", "grubby", "soiled",
        "matted hair", "body odour", "smelly", "smelt of urine", "smelled of urine", "smell of urine",
        "dirty clothes", "clothes dirty", "clothes were dirty", "dirty uniform", "uniform dirty",
        "uniform was dirty", "appeared dirty", "looked dirty", "same clothes", "clothes too small",
        "shoes too small", "ill-fitting", "no coat", "without a coat", "inappropriately dressed",
        "not dressed for the weather", "physical care", "poor presentation", "presentation was poor",
        "unkempt presentation",
        # smell, unwashed body and clothes, a nappy left unchanged
        "urine", "smelt of wee", "smelled of wee", "smells of wee", "smell of wee", "smelling of wee",
        "not been washed", "hadn't been washed", "not been bathed", "not bathed", "not had a bath",
        "not had a wash", "needed a bath", "needed a wash", "dirty vest", "dirty clothing", "dirty nappy",
        "dirty socks", "dirty pyjamas", "dirty top", "dirty jumper", "dirty trousers", "dirty school uniform",
        "stained clothes", "stained clothing", "stained uniform", "nappy not changed", "nappy had not been changed",
        "nappy hadn't been changed", "nappy has not been changed",
        "wet nappy", "soaking nappy", "sodden nappy", "heavy nappy", "nappy was soaked", "nappy was full"),
    "growth_weight": (
        "weight", "weighed", "growth", "centile*", "faltering growth", "failure to thrive",
        "underweight", "overweight", "obese", "obesity", "bmi"),
    "dental": (
        "dental", "dentist*", "tooth", "teeth", "toothache", "tooth decay", "dental decay", "extraction*"),
    "medical_need": (
        "untreated", "not treated", "not been treated", "no treatment", "treatment not sought",
        "medical advice not sought", "not taken to the gp", "not taken to a doctor", "medication not given",
        "not given medication", "not given her medication", "not given his medication", "missed doses",
        "prescription not collected", "medication not collected", "medical need*", "medical neglect",
        "no inhaler", "without her inhaler", "without his inhaler",
        # a condition left to worsen: its skin broken or infected, or weeks before anyone sought help
        "skin broken", "broken skin", "skin was broken", "became infected", "become infected", "is infected",
        "was infected", "looked infected",
        "looks infected", "appeared infected", "infected sore*", "infected eczema", "infected bite*", "weeping sore*",
        "weeping eczema", "weeping rash", "open sore*", "pressure sore*",
        "before he was brought", "before she was brought", "before being brought", "before they were brought",
        "before he was taken to", "before she was taken to", "before being taken to", "before help was sought",
        "before advice was sought", "delay in seeking", "delayed seeking", "delay in presenting",
        "delayed presentation", "late presentation", "been like this for", "not seen a doctor",
        "not been seen by a doctor", "not been seen by the gp", "no medication", "no medicine",
        "not had her medication", "not had his medication", "ran out of medication", "run out of medication",
        "medication ran out", "medication has run out", "antibiotics not given", "antibiotics were not given",
        "not given the antibiotics", "not given his antibiotics", "not given her antibiotics",
        "medication was not given", "cream not applied", "cream was not applied"),
    "home_conditions": (
        "home conditions", "home condition", "conditions in the home", "conditions at home",
        "state of the home", "state of the house", "home was dirty", "house was dirty", "dirty house",
        "dirty home", "dirty nappies", "cluttered", "clutter", "hoard*", "overflowing", "rubbish", "squalid",
        "squalor", "mould*", "damp", "faeces", "dog mess", "dog urine", "no heating", "no electricity", "no gas",
        "no hot water",
        "broken window*", "overcrowded", "unsanitary", "infestation", "cockroaches", "bin bags",
        "no beds", "mattress on the floor", "home environment", "living conditions", "house smel*", "flat smel*",
        "smell in the house", "smell in the flat", "unwashed dishes", "dirty dishes", "dirty pots"),
    "domestic_abuse": ("operation encompass", "encompass", "dv", "da", "domestic", "women's aid", "womens aid",
                       "by the throat", "strangled", "pushed her against", "pushed her into"),
    "police_callout": (
        "police called", "police were called", "police attended", "police attendance", "police call*",
        "called the police", "999 call", "call-out", "callout", "officers attended", "police visit*"),
    "referral": ("referral*", "referred", "mash", "contact received", "safeguarding concern raised"),
    "conference_plan": (
        "conference", "icpc", "rcpc", "core group", "cin review", "cin meeting", "strategy meeting",
        "strategy discussion", "section 47", "s47", "taf meeting", "tac meeting", "review meeting", "lac review",
        "looked after review", "child in need plan", "child protection plan", "early help plan", "cin plan",
        "cp plan", "plan agreed", "plan reviewed", "plan was agreed", "plan was reviewed", "safety plan"),
    "worker_change": (
        "new social worker", "new worker", "change of worker", "change of social worker", "reallocated",
        "re-allocated", "case transferred", "worker left", "social worker left", "handover", "handed over",
        "new health visitor", "new key worker", "new lead professional", "allocated to"),
    "household_change": (
        "moved house", "new address", "house move", "change of address", "new partner", "moved in",
        "moved out", "evicted", "eviction", "temporary accommodation", "emergency accommodation"),
    "injury": (
        "injur*", "bruis*", "burn", "burnt", "fracture*", "broken arm", "broken leg", "scald*", "bite mark*",
        "graze*", "accident*", "swollen", "mark on", "marks on", "cut to her", "cut to his", "cut on her",
        "cut on his", "after a fall", "fell down", "fell off", "fell from", "falling down"),
    "health": (
        "health review", "health check", "developmental check", "development check", "development review",
        "immunisation*", "vaccination*", "vaccine*", "unwell", "illness", "poorly", "diagnosed", "asthma",
        # a condition named: a medical need only with the signs of it left (medical_need)
        "nappy rash", "rash", "eczema", "infection*", "discharge from the ear", "discharge from her ear",
        "discharge from his ear", "ear discharge", "discharging ear", "sticky eye*", "fever",
        "urine sample*", "urine test*", "urine infection*",
        # an attendance at hospital is not a school attendance
        "ed attendance", "a&e attendance", "hospital attendance", "attendance at a&e", "attendance at ed",
        "attendance at hospital", "attendance at the emergency department", "attended a&e", "attended ed"),
    "child_voice": ("direct work", "wishes and feelings", "in her own words", "in his own words",
                    "voice of the child", "child's views"),
    "home_visit": (
        "home visit*", "visited the home", "visited at home", "visit to the home", "visit to home",
        "visited the family", "visit to the family", "unannounced visit*", "announced visit*",
        "statutory visit*", "joint visit*", "hv visit*", "cp visit*", "cin visit*", "new birth visit*",
        "seen at home", "seen in the home", "visit completed"),
    "positive": ("good progress", "doing well", "well presented", "clean and tidy", "thriving", "improved",
                 "improvement*", "engaged well", "settled well",
                 # praise and achievement: the child's, or a parent's pride in the child
                 "proud of her", "proud of him", "proud of his", "proud of their", "proud of them", "so proud",
                 "very proud", "certificate*", "award*", "was praised", "praised for", "praised in", "praised by",
                 "star of the week",
                 "well done", "made progress", "making progress", "progressing well", "achievement*",
                 "achieved", "good report", "good school report"),
}

# Which category a row's words choose when they name several: lower ranks win, and within a
# rank the category named first. What did not happen (a missed appointment, no access) comes
# first; then a meeting (a review that discusses attendance is a review, not a new absence);
# then a concern; then a contact or process around it (a call-out, a referral, a health check);
# a routine visit or good news last.
# Phrases that hold a category's word but name no category ("hungry for attention"): read as nothing.
CATEGORY_FALSE_FRIENDS: tuple[str, ...] = (
    "hungry for attention", "hungry for affection", "hungry for praise", "hungry for company", "hungry to learn",
    "hungry for knowledge", "is starving for attention", "was starving for attention", "rash decision*")
CATEGORY_RANKS: dict[str, int] = {
    "was_not_brought": 1, "no_access": 1,
    "conference_plan": 2,
    "domestic_abuse": 3, "injury": 3, "hunger_food": 3, "physical_care": 3, "growth_weight": 3, "dental": 3,
    "medical_need": 3, "home_conditions": 3, "attendance": 3, "parental_alcohol": 3, "parental_drugs": 3,
    "parental_mental_health": 3,
    "police_callout": 4, "referral": 4, "worker_change": 4, "household_change": 4, "health": 4, "child_voice": 4,
    "home_visit": 5, "positive": 5,
}
