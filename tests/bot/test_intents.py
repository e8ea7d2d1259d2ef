"""Reading one message into one intent: whole-message words (flows/keywords.yaml) and, with no
conversation to answer, what the words say anywhere (flows/understanding.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.intents import Keywords, KeywordsError, fold
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = Keywords.load(ROOT / "flows" / "keywords.yaml", ["QUIET", "SILENCIO"])
ENGINE = Engine(load_content(ROOT / "config"))


def intent_of(body: str, num_media: int = 0) -> str:
    return ENGINE.read(body, num_media)[0]


@pytest.mark.parametrize(("body", "intent"), [
    # STOP family: the whole message, any case, outer punctuation ignored (safety rule 7).
    ("STOP", "stop"), ("stop", "stop"), ("Stop.", "stop"), (" stop! ", "stop"), ("StopAll", "stop"),
    ("UNSUBSCRIBE", "stop"), ("cancel", "stop"), ("End", "stop"), ("QUIT", "stop"), ("revoke", "stop"),
    ("optout", "stop"),
    ("START", "start"), ("unstop", "start"),
    ("HELP", "help"), ("Info?", "help"), ("DELETE", "delete"), ("Borrar", "delete"),
    ("EN", "language_en"), ("english", "language_en"), ("Inglés", "language_en"),
    ("ES", "language_es"), ("español", "language_es"), ("ESPAÑOL", "language_es"), ("Spanish", "language_es"),
    # Answers.
    ("1", "choice_1"), ("#1", "choice_1"), ("1.", "choice_1"), ("1 please", "choice_1"), ("uno", "choice_1"),
    ("2", "choice_2"), ("two", "choice_2"), ("dos", "choice_2"), ("3", "choice_3"), ("Tres", "choice_3"),
    ("  yes!", "yes"), ("YES", "yes"), ("y", "yes"), ("ok", "yes"), ("sí", "yes"), ("si", "yes"), ("Claro", "yes"),
    ("yes please", "yes"), ("no", "no"), ("No.", "no"), ("nope", "no"), ("no gracias", "no"), ("hoy no", "no"),
    # Quiet: the organisation's words alone, or "can't talk" anywhere, straight or curly apostrophe.
    ("QUIET", "quiet"), ("quiet.", "quiet"), ("Silencio", "quiet"), ("I can't talk", "quiet"),
    ("i can\u2019t talk rn", "quiet"), ("cant talk", "quiet"), ("No puedo hablar", "quiet"),
    # Danger, anywhere in the message, with or without accents.
    ("he hit me", "danger"), ("He's coming", "danger"), ("he\u2019s coming back", "danger"),
    ("they took my phone and I can't leave", "danger"), ("there is a gun", "danger"), ("me pega", "danger"),
    ("me pegó", "danger"), ("Estoy en PELIGRO", "danger"), ("tiene un cuchillo", "danger"),
    ("no me deja salir", "danger"), ("AUXILIO!!", "danger"), ("he hit me \U0001F62D", "danger"),
    # Danger wins over "can't talk" and over asking for a person.
    ("can't talk, he's coming", "danger_quiet"), ("I need a real person, he has a knife", "danger"),
    # Asking for a person (safety rule 6).
    ("can I talk to someone", "ask_person"), ("a real person please", "ask_person"), ("HUMAN", "ask_person"),
    ("humano", "ask_person"), ("quiero una persona", "ask_person"), ("hablar con alguien", "ask_person"),
    # Word boundaries: a danger word inside another word is not danger.
    ("skill", "text"), ("armario", "text"), ("Killeen", "text"), ("gunther", "text"), ("hurtado", "text"),
    ("kill", "danger"), ("el arma", "danger"),
    # Anything else is words.
    ("hello", "text"), ("hola", "text"), ("\U0001F642", "text"), ("12", "text"),
    ("stop texting me so much", "text"), ("yes, maybe", "text"), ("\u0623\u0646\u0627 \u0628\u062e\u064a\u0631", "text"),
    ("", "unreadable"), ("   ", "unreadable"), ("?!", "unreadable"),
])
def test_classify(body, intent):
    assert intent_of(body) == intent


@pytest.mark.parametrize(("body", "num_media", "intent"), [
    ("", 1, "media"), ("  ", 3, "media"), ("he hit me", 1, "danger"), ("Long Beach", 2, "text"), ("STOP", 1, "stop"),
])
def test_classify_with_pictures(body, num_media, intent):
    assert intent_of(body, num_media) == intent


@pytest.mark.parametrize(("body", "lang"), [
    ("hola", "es"), ("Hola, necesito ayuda", "es"), ("¿me puedes ayudar?", "es"), ("si", "es"), ("buenas noches", "es"),
    ("me pega", "es"), ("me pegó mi esposo", "es"), ("me golpea", "es"), ("auxilio", "es"), ("tengo miedo", "es"),
    ("hello", "en"), ("hi", "en"), ("I need help", "en"), ("he hit me", "en"), ("help me", "en"), ("Hola, I need help", "en"),
    ("\U0001F642", "en"), ("", "en"), ("1", "en"),
])
def test_first_message_language(body, lang):
    assert KEYWORDS.guess_language(body) == lang


@pytest.mark.parametrize(("text", "folded"), [
    ("ESPAÑOL", "espanol"), ("Can\u2019t  Talk", "can't talk"), ("  ¿Qué   pasó? ", "¿que paso?"), ("ﬁne", "fine"),
])
def test_fold_ignores_case_accents_apostrophes_and_spacing(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("quiet_word", ["CALLADO", "shh"])
def test_the_organisation_chooses_its_quiet_words(quiet_word):
    keywords = Keywords.load(ROOT / "flows" / "keywords.yaml", [quiet_word])
    assert keywords.command(quiet_word.lower() + ".") == "quiet"
    assert keywords.command("QUIET") is None


def test_a_missing_word_list_is_refused_naming_it(tmp_path):
    broken = tmp_path / "keywords.yaml"
    text = (ROOT / "flows" / "keywords.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("  stop: [", "  halt: ["), encoding="utf-8")
    with pytest.raises(KeywordsError, match=r"keywords\.yaml: 'whole\.stop' must be a list of words"):
        Keywords.load(broken, ["QUIET"])
