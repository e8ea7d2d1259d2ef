"""The must-catch list (flows/understanding.yaml `must_catch:`): every inflected form is danger, whatever the
model says; a reassurance settles only the danger read in its own clause."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.misreads import MisreadRefused, checked_misread, copies_their_words
from bot.must_catch import inflect, with_clitic_attached
from bot.understanding import Understanding, UnderstandingError
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Engine(load_content(ROOT / "config"))
U = ENGINE.understanding
FORMS = U.must_catch_forms()


def test_the_list_covers_every_category_the_issue_names():
    named = {category for category, _, _ in FORMS}
    assert {"threat", "weapon", "present_now", "confinement", "documents", "sold_moved", "minor",
            "forced_sex"} <= named
    assert {lang for _, lang, _ in FORMS} == {"en", "es"} and len(FORMS) > 1000


@pytest.mark.parametrize("category, lang, form", FORMS, ids=[f"{c}-{lang}-{f}" for c, lang, f in FORMS])
def test_every_must_catch_form_is_danger_in_its_category(category, lang, form):
    assert category in U.read(form).categories


@pytest.mark.parametrize("body", [
    "me quiere matar", "mi novio me quiere matar", "quiere matarme", "me quieren matar", "dijo que me va a matar",
    "va a matarme", "he wants to kill me", "hes gonna kill me", "he said he'd kill me", "they're going to kill me",
])
def test_a_threat_to_kill_is_danger_from_the_first_message_and_never_yes(body):
    outcome = ENGINE.step(*_first(body))
    assert outcome.intent == "danger" and "911" in outcome.replies[0]


def _first(body):
    from bot.conversation import Conversation, Inbound
    conv = Conversation(key="k", address="+15555550161", state="new", created_at=0.0)
    return conv, Inbound("SM1", conv.address, body), 10.0


@pytest.mark.parametrize("reassurance", ["estoy bien pero ", "no pasa nada, ", "im ok but ", "im fine now, "])
@pytest.mark.parametrize("danger", ["me quiere matar", "he wants to kill me", "hes outside", "me quitaron el pasaporte"])
def test_danger_in_another_clause_stands_beside_a_reassurance(reassurance, danger):
    assert U.read(reassurance + danger).categories


@pytest.mark.parametrize("body", ["no pasa nada estoy bien", "hes not here", "he's not here", "no esta aqui",
                                  "im okay now", "estoy bien"])
def test_a_reassurance_settles_its_message(body):
    assert U.read(body).categories == ()


def test_the_pronoun_goes_onto_the_infinitive_only_after_a_verb_like_querer():
    modals = frozenset({"quiere", "va"})
    assert with_clitic_attached("me quiere matar", modals) == "quiere matarme"
    assert with_clitic_attached("no me dejan salir", modals) is None


def test_english_forms_agree_with_their_subject_and_are_contracted():
    forms = inflect("threat", "en", "{means} kill me", 1, {"means": ["be going to", "want to"]}).forms
    assert {"they are going to kill me", "he wants to kill me", "hes gonna kill me", "they're gonna kill me",
            "my boyfriend wants to kill me"} <= set(forms)


def test_a_must_catch_form_read_as_no_danger_stops_start_up_naming_its_line(tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    path = flows / "understanding.yaml"
    old = '      - "{means} (kill|hurt) us"\n'
    text = path.read_text(encoding="utf-8")
    assert old in text
    # A supposition ("what if someone…") governs its sentence, which takes the threat out: such a form must not be
    # on the list. ("lol" does not: no context marker cancels a must-catch phrase.)
    path.write_text(text.replace(old, old + '      - "what if someone {means} kill me"\n'), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "what if someone {means} kill me" in row)
    with pytest.raises(UnderstandingError, match=rf"understanding\.yaml:{line}: must_catch .* is not read as threat"):
        Understanding.load(path)


def test_a_must_catch_phrase_with_an_unknown_slot_stops_start_up(tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    path = flows / "understanding.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"nos {quiere} matar"', '"nos {wants} matar"'),
                    encoding="utf-8")
    with pytest.raises(UnderstandingError, match=r"understanding\.yaml:\d+: must_catch .*no forms for \{wants\}"):
        Understanding.load(path)


# --- what an advocate may teach (bot/misreads.py) ---------------------------------------------------
def test_a_paraphrase_that_copies_their_words_is_refused():
    message = "mi jefe dice que me va a matar si me voy"
    assert copies_their_words("they said me va a matar si", message)
    assert not copies_their_words("her boss threatens her life if she leaves", message)
    assert copies_their_words("hes outside", "hes outside")  # a short message, copied whole
    with pytest.raises(MisreadRefused, match="repeats their words"):
        checked_misread("threat", "dice que me va a matar", message, U.categories)
    with pytest.raises(MisreadRefused, match="right reading"):
        checked_misread("feelings", "a threat to her life", message, U.categories)
    assert checked_misread("threat", "  boss threatens  her life ", message, U.categories) == (
        "threat", "boss threatens her life")
