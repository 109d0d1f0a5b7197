import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from neglect_kit import config


def refusal(tmp_path: Path, text: str) -> tuple[Path, str]:
    """A settings file holding `text`, and the one line the kit refuses it with."""
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(config.SettingsError) as err:
        config.load_settings(path)
    return path, str(err.value)


def test_database_url_from_environment_or_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("NEGLECT_KIT_DB", "postgresql://kit@db.internal/kit")
    assert config.database_url() == "postgresql://kit@db.internal/kit"
    monkeypatch.delenv("NEGLECT_KIT_DB")
    monkeypatch.setenv("NEGLECT_KIT_DATA", str(tmp_path))
    assert config.database_url() == f"sqlite:///{tmp_path / 'neglect_kit.sqlite'}"


def test_current_user_prefers_the_hub_then_the_kit_setting(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "hub.user")
    monkeypatch.setenv("NEGLECT_KIT_USER", "kit.user")
    assert config.current_user() == "hub.user"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert config.current_user() == "kit.user"
    monkeypatch.delenv("NEGLECT_KIT_USER")
    assert config.current_user()


def test_a_partnership_adds_agencies_and_timescales(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[agencies]\nyouth_justice = { label = "Youth justice", synonyms = ["YOT"] }\n'
                    'police = "Northmoor Police"\n[review_weeks]\nchild_in_need = 8\n')
    cfg = config.load_settings(path)
    assert cfg.agencies.resolve("yot") == "youth_justice"
    assert cfg.agencies.label("police") == "Northmoor Police"
    assert cfg.agencies.resolve("PPU") == "police"  # built-in synonyms kept
    assert cfg.review_weeks["child_in_need"] == 8
    assert cfg.review_weeks["child_protection"] == 26


@pytest.mark.parametrize(("text", "message"), [
    ("colour = 1", "unknown setting(s) colour"),
    ("agencies = 3", "[agencies] must be a table"),
    ("[review_weeks]\nchild_in_need = 0", "review_weeks.child_in_need must be a whole number"),
    ("[agencies", "not a readable TOML file"),
])
def test_bad_settings_name_file_and_key(tmp_path, text, message):
    path, refused = refusal(tmp_path, text)
    assert str(path) in refused and message in refused


def test_no_settings_file_means_the_defaults(tmp_path):
    assert config.load_settings(tmp_path / "absent.toml").source == "built-in defaults"


def test_a_partnership_sets_how_long_before_a_child_unseen_is_flagged(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[contact_days]\nseen_alone = 28\n")
    assert config.load_settings(path).contact_days == {"seen": 20, "seen_alone": 28, "heard": 42}
    path.write_text("[contact_days]\nsmelt = 3\n")
    with pytest.raises(config.SettingsError, match=r"contact_days\.smelt is not one of seen, seen_alone, heard"):
        config.load_settings(path)


def test_a_partnership_rewords_what_a_grade_means(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[grade_meanings]\n4 = "Needs often unmet: the adults come first (Northmoor wording)."\n')
    meanings = config.load_settings(path).grade_meanings
    assert meanings[4].endswith("(Northmoor wording).")
    assert meanings[1].startswith("Needs met well")
    path.write_text('[grade_meanings]\n6 = "worse"\n')
    with pytest.raises(config.SettingsError, match=r"grade_meanings\.6 is not a grade"):
        config.load_settings(path)


def test_the_documented_settings_file_loads(tmp_path):
    """docs/settings.md shows a whole settings file: it must be one the kit reads."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "settings.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "settings.toml"
    path.write_text(example, encoding="utf-8")
    loaded = config.load_settings(path)
    assert loaded.pattern_window_days == 365 and loaded.indicator_thresholds["was_not_brought"] == 3
    assert "vodka" in loaded.risk_terms["parental_alcohol"] and loaded.drift_weeks["looked_after"] == 0
    assert loaded.escalation_stages[1] == ("Team managers", 3) and loaded.bank_holidays == "ENG"
    assert loaded.protective_marking == "OFFICIAL-SENSITIVE"


def test_the_protective_marking_is_official_sensitive_unless_a_partnership_says_otherwise(tmp_path):
    assert config.Settings().protective_marking == "OFFICIAL-SENSITIVE"
    path = tmp_path / "settings.toml"
    path.write_text('protective_marking = "  OFFICIAL  "\n')
    assert config.load_settings(path).protective_marking == "OFFICIAL"


@pytest.mark.parametrize(("text", "message"), [
    ('protective_marking = " "', r'protective_marking must be the marking printed on every page, e\.g\. "OFFICIAL-'),
    ("protective_marking = 1", r"protective_marking must be the marking printed on every page"),
    ('protective_marking = "OFFICIAL\\nSENSITIVE"', r"protective_marking must be one line of text"),
    (f'protective_marking = "{"X" * 61}"', r"protective_marking must be at most 60 characters.*\(61 given\)"),
])
def test_a_marking_that_cannot_be_printed_in_a_margin_is_refused(tmp_path, text, message):
    assert re.search(message, refusal(tmp_path, text)[1])


@pytest.mark.parametrize(("text", "message"), [
    ("[indicator_thresholds]\nbruises = 2\n", r"indicator_thresholds\.bruises is not one of"),
    ("[indicator_thresholds]\nattendance = 0\n", r"indicator_thresholds\.attendance must be a whole number"),
    ("[risk_terms]\ngambling = ['bet*']\n", r"risk_terms\.gambling is not a parental factor"),
    ("[risk_terms]\nparental_alcohol = ['wine', ' ']\n", r"risk_terms\.parental_alcohol must be a list"),
    ("[drift_weeks]\nchild_protection = -1\n", r"drift_weeks\.child_protection must be a whole number"),
    ("[record_shares]\nimpact_min = 50\n", r"record_shares\.impact_min must be a share from 0 to 1"),
    ("escalation_stages = [{ name = 'Managers' }]\n", r"escalation stage 1 \(Managers\) needs working_days"),
    ("bank_holidays = 'FR'\n", r"bank_holidays must be one of ENG, WLS, SCT, NIR"),
    ("pattern_window_days = 'year'\n", r"pattern_window_days must be a whole number of days, 1 or more"),
])
def test_bad_analysis_and_escalation_settings_are_named(tmp_path, text, message):
    assert re.search(message, refusal(tmp_path, text)[1])


def test_a_partnerships_synonyms_are_added_to_the_built_in_ones(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[agencies]\ncamhs = { synonyms = ["Northmoor Minds"] }\n'
                    'police = { label = "Northmoor Police", synonyms = ["NMP"] }\n'
                    '[categories]\nhunger_food = { synonyms = ["holiday hunger"] }\n')
    cfg = config.load_settings(path)
    assert cfg.agencies.resolve("Northmoor Minds") == "camhs"
    assert cfg.agencies.resolve("child and adolescent mental health") == "camhs"  # still known
    assert cfg.agencies.label("camhs") == "CAMHS"  # no label given: the built-in one stays
    assert cfg.agencies.resolve("NMP") == "police" and cfg.agencies.resolve("PPU") == "police"
    assert cfg.agencies.label("police") == "Northmoor Police"
    assert cfg.categories.resolve("holiday hunger") == "hunger_food"
    assert cfg.categories.resolve("food bank") == "hunger_food"


def test_a_partnerships_own_code_takes_a_word_from_a_built_in_one():
    cfg = config.settings_from_dict({"agencies": {
        "early_help_service": {"label": "Early help service", "synonyms": ["early help"]}}})
    assert cfg.agencies.resolve("Early help") == "early_help_service"
    assert cfg.agencies.resolve("MASH") == "childrens_social_care"


@pytest.mark.parametrize(("text", "message"), [
    ('[agencies]\nfamily_hub = ""', "agencies.family_hub needs a label"),
    ("[agencies]\nfamily_hub = 3", "agencies.family_hub must be a label or a table of label and synonyms"),
    ('[agencies]\nfamily_hub = { labl = "Family hub" }', "agencies.family_hub.labl is not one of label, synonyms"),
    ('[categories]\nhunger_food = { synonyms = "hungry" }', "categories.hunger_food.synonyms must be a list"),
    ('[categories]\nhunger_food = { synonyms = ["", "x"] }', "none blank"),
])
def test_bad_vocabulary_tables_name_the_key(tmp_path, text, message):
    assert re.search(message, refusal(tmp_path, text)[1])


def test_new_indicators_have_default_thresholds():
    thresholds = config.Settings().indicator_thresholds
    assert {k: thresholds[k] for k in ("hunger_food", "physical_care", "growth_weight", "no_access")} == {
        "hunger_food": 2, "physical_care": 3, "growth_weight": 2, "no_access": 3}


@pytest.mark.parametrize(("text", "message"), [
    ("duplicate_days = 7.5", "duplicate_days must be a whole number of days, 0 or more (not 7.5)"),
    ("duplicate_days = -1", "duplicate_days must be a whole number of days, 0 or more (not -1)"),
    ("pattern_window_days = 0", "pattern_window_days must be a whole number of days, 1 or more (not 0)"),
    ("max_description_chars = 0", "max_description_chars must be a whole number of characters, 1 or more (not 0)"),
    ("duplicate_similarity = 1.5", "duplicate_similarity must be a share from 0 to 1"),
    ("duplicate_similarity = -0.1", "duplicate_similarity must be a share from 0 to 1"),
    ("[record_shares]\nimpact_min = 2", "record_shares.impact_min must be a share from 0 to 1"),
    ("[contact_days]\nseen = 7.5", "contact_days.seen must be a whole number of days, 1 or more (not 7.5)"),
    ("[review_weeks]\nchild_in_need = 0",
     "review_weeks.child_in_need must be a whole number of weeks, 1 or more (not 0)"),
    ("grade_meanings = 3", "[grade_meanings] must be a table of grade = words (1 to 5)"),
])
def test_a_setting_out_of_its_range_is_refused_naming_the_key_and_the_range(tmp_path, text, message):
    path, refused = refusal(tmp_path, text)
    assert refused.startswith(f"{path}: {message}")


def test_whole_numbers_in_range_are_kept(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("duplicate_days = 0\npattern_window_days = 180\nduplicate_similarity = 1\n")
    cfg = config.load_settings(path)
    assert (cfg.duplicate_days, cfg.pattern_window_days, cfg.duplicate_similarity) == (0, 180, 1.0)


def test_a_settings_path_that_is_a_folder_is_named(tmp_path):
    with pytest.raises(config.SettingsError, match="is a folder; the settings are a TOML file"):
        config.load_settings(tmp_path)


def test_a_settings_file_named_by_the_environment_and_not_there_is_refused_not_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(tmp_path / "partnership.toml"))
    with pytest.raises(config.SettingsError, match=r"partnership.toml: no such settings file"):
        config.load_settings()


@pytest.mark.parametrize(("text", "message"), [
    ("[server]\nport = 8866", "server.port is not one of allowed_hosts, max_kernels, idle_seconds"),
    ("escalation_stages = [{ name = 'Managers', working_days = 3, days = 2 }]",
     "escalation stage 1: days is not one of name, working_days"),
    ('[agencies]\nfamily_hub = { label = "Family hub", colour = "green" }',
     "agencies.family_hub.colour is not one of label, synonyms"),
    ("colour = 1\nsize = 2", "unknown setting(s) colour, size; known: agencies, bank_holidays,"),
    ("[contact_days]\nseen = 0", "contact_days.seen must be a whole number of days, 1 or more (not 0)"),
    ("pattern_window_days = 0", "pattern_window_days must be a whole number of days, 1 or more (not 0)"),
    ("[server]\nmax_kernels = 0", "server.max_kernels must be a whole number of kernels, 1 or more (not 0)"),
    ('[grade_meanings]\n4 = " "', "grade_meanings.4 needs words saying what the grade means"),
    ("bank_holidays = 3", "bank_holidays must be one of ENG, WLS, SCT, NIR"),
])
def test_an_unknown_key_at_any_depth_or_a_bad_value_is_one_line_naming_the_file_and_the_key(tmp_path, text, message):
    """A table's value is refused in the same words as a single value's, and an unknown key anywhere by name."""
    path, refused = refusal(tmp_path, text)
    assert refused.startswith(f"{path}: {message}") and "\n" not in refused


def test_settings_made_in_code_are_checked_as_a_file_is():
    """The model itself refuses what a file may not say, so no caller can make settings the kit cannot use."""
    with pytest.raises(ValidationError, match="is not one of seen, seen_alone, heard"):
        config.Settings(contact_days={"smelt": 3})
    with pytest.raises(ValidationError, match="must be a whole number of days, 0 or more"):
        config.Settings(duplicate_days=-1)
    with pytest.raises(ValidationError, match="whole number of kernels"):
        config.ServerSettings(max_kernels=0)
    assert config.Settings(contact_days={"seen": 10}).contact_days == {"seen": 10, "seen_alone": 42, "heard": 42}
