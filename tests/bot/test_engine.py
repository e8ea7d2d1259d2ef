"""The survivor line through the pure engine: no Flask, no Redis, no network."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.conversation import (
    Conversation, EraseTranscript, Inbound, LiftOptOut, Priority, RecordOptOut, RelayToAdvocate, RequestAdvocate,
    WithdrawRequest,
)
from bot.engine import Engine, clean_area
from config.content import load_content

CONFIG = Path(__file__).resolve().parents[2] / "config"
ENGINE = Engine(load_content(CONFIG))
SAFETY_NUMBERS = ("911", "1-888-373-7888", "233733")
HOLD = ENGINE.content.org.holding_interval.total_seconds()
ADDRESS = "+15555550101"
START = 1_800_000_000.0
LANGS = ("en", "es")
SAYS = {
    "en": {"hello": "hello", "yes": "yes", "no": "no", "danger": "he hit me", "cant_talk": "I can't talk",
           "area": "123 Main St, Long Beach", "area_kept": "Main St, Long Beach"},
    "es": {"hello": "hola", "yes": "si", "no": "no", "danger": "me pega", "cant_talk": "no puedo hablar",
           "area": "Santa Ana, calle 4 #12", "area_kept": "Santa Ana, calle"},
}
# States that only exist while a request is open, and the priority that put them there.
OPEN_REQUEST = {"danger_offer": Priority.URGENT, "ask_area": Priority.HIGH, "offer_advocate": Priority.NORMAL,
                "waiting": Priority.NORMAL, "with_advocate": Priority.NORMAL}
# An invented advocate, for the state an advocate's CLAIM puts a conversation in.
ADVOCATE = {"advocate": "adv-0101", "advocate_name": "Rosa", "claimed_at": START}


def say(key: str, lang: str) -> str:
    return ENGINE.say(key, lang)


class Chat:
    """One survivor texting the line; the conversation is carried from one step to the next."""

    def __init__(self, state: str = "new", lang: str = "en", **fields):
        fields.setdefault("priority", OPEN_REQUEST.get(state))
        if state == "with_advocate":
            fields = {**ADVOCATE, **fields}
        self.conv = Conversation(key="k", address=ADDRESS, state=state, lang=lang,
                                 created_at=0.0 if state == "new" else START, **fields)
        self.now = START
        self.outcome = None

    def send(self, body: str = "", media: int = 0, wait: float = 5.0) -> list[str]:
        self.now += wait
        self.outcome = ENGINE.step(self.conv, Inbound(f"SM{self.now:.0f}", ADDRESS, body, media), self.now)
        self.conv = self.outcome.conversation
        return self.outcome.replies

    @property
    def effects(self) -> list:
        return self.outcome.effects


def started(lang: str, *answers: str) -> Chat:
    chat = Chat()
    chat.send(SAYS[lang]["hello"])
    for answer in answers:
        chat.send(answer)
    return chat


def names_safety_numbers(text: str) -> bool:
    return all(number in text for number in SAFETY_NUMBERS)


@pytest.mark.parametrize("lang", LANGS)
def test_first_message_gets_greeting_naming_911_and_hotline(lang):
    chat = Chat()
    replies = chat.send(SAYS[lang]["hello"])
    assert replies == [say("greeting", lang)] and names_safety_numbers(replies[0])
    assert (chat.conv.state, chat.conv.lang) == ("safety_check", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_first_message_in_danger_gets_danger_reply_at_once(lang):
    chat = Chat()
    assert chat.send(SAYS[lang]["danger"]) == [say("danger", lang)]
    assert chat.conv.lang == lang and chat.effects == [RequestAdvocate(Priority.URGENT)]


@pytest.mark.parametrize("answer", ["2", "danger"])
@pytest.mark.parametrize("lang", LANGS)
def test_in_danger_pages_urgently_and_names_911(lang, answer):
    chat = started(lang)
    replies = chat.send(SAYS[lang].get(answer, answer))
    assert replies == [say("danger", lang)] and names_safety_numbers(replies[0])
    assert chat.effects == [RequestAdvocate(Priority.URGENT)]
    assert (chat.conv.state, chat.conv.contact_ok) == ("danger_offer", True)


@pytest.mark.parametrize("lang", LANGS)
def test_safe_place_tonight_asks_only_the_general_area(lang):
    chat = started(lang, "1")
    assert chat.conv.state == "needs" and chat.outcome.replies == [say("needs_question", lang)]
    assert chat.send("1") == [say("area_question", lang)]
    effects = chat.effects
    assert chat.send(SAYS[lang]["area"]) == [say("area_received", lang)]
    assert effects + chat.effects == [RequestAdvocate(Priority.HIGH)]
    assert chat.conv.area == SAYS[lang]["area_kept"]
    assert (chat.conv.state, chat.conv.priority, chat.conv.contact_ok) == ("waiting", Priority.HIGH, True)


@pytest.mark.parametrize(("text", "kept"), [
    ("123 Main St, Long Beach", "Main St, Long Beach"), ("call me 555-0101", "call me"), ("1234", None),
    ("  ", None), ("North Long Beach near the harbor and the old pier", "North Long Beach near the harbor and the"),
])
def test_area_keeps_no_digits_and_stays_short(text, kept):
    assert clean_area(text) == kept


@pytest.mark.parametrize("lang", LANGS)
def test_asking_for_an_advocate_queues_a_normal_request(lang):
    chat = started(lang, "1")
    assert chat.send("2") == [say("advocate_coming", lang)]
    assert chat.effects == [RequestAdvocate(Priority.NORMAL)]
    assert (chat.conv.state, chat.conv.contact_ok) == ("waiting", True)


@pytest.mark.parametrize("lang", LANGS)
def test_other_help_lists_the_resources_of_that_language(lang):
    lines = yaml.safe_load((CONFIG / "resources.yaml").read_text(encoding="utf-8"))[lang]
    chat = started(lang, "1")
    assert chat.send("3") == [say("resources_intro", lang), "\n".join(lines)]
    assert chat.conv.state == "needs" and chat.effects == []


@pytest.mark.parametrize("lang", LANGS)
def test_yes_to_a_safe_place_asks_the_area(lang):
    chat = started(lang, "2")
    assert chat.send(SAYS[lang]["yes"]) == [say("area_question", lang)]
    assert chat.conv.state == "ask_area" and chat.conv.priority == Priority.URGENT


@pytest.mark.parametrize("lang", LANGS)
def test_no_then_no_withdraws_the_request_and_comes_back_to_greeting(lang):
    chat = started(lang, "2")
    assert chat.send(SAYS[lang]["no"]) == [say("safe_place_declined", lang)]
    assert (chat.conv.state, chat.conv.contact_ok) == ("offer_advocate", False)
    # Declining help: asked once whether one check-in may come later (tests/bot/test_checkins.py).
    assert chat.send(SAYS[lang]["no"]) == [say("checkin_question", lang)]
    assert chat.effects == [WithdrawRequest()] and "911" in chat.outcome.replies[0]
    assert (chat.conv.state, chat.conv.priority, chat.conv.contact_ok) == ("checkin_offer", None, False)
    assert chat.send(SAYS[lang]["no"]) == [say("respect_no", lang)]
    assert (chat.conv.state, chat.conv.checkin) == ("idle", None)
    assert chat.send(SAYS[lang]["hello"]) == [say("greeting", lang)]


@pytest.mark.parametrize("how", ["3", "quiet_word", "cant_talk"])
@pytest.mark.parametrize("lang", LANGS)
def test_cant_talk_goes_quiet_with_a_short_neutral_line(lang, how):
    chat = started(lang)
    word = ENGINE.content.org.quiet_words[lang] if how == "quiet_word" else SAYS[lang].get(how, how)
    replies = chat.send(word)
    assert replies == [say("quiet", lang)] and len(replies[0]) <= 12
    assert (chat.conv.state, chat.conv.contact_ok) == ("quiet", False)
    assert chat.send(SAYS[lang]["hello"]) == [say("greeting", lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_back_from_quiet_with_an_open_request_is_welcomed_back_to_waiting(lang):
    chat = started(lang, "2", ENGINE.content.org.quiet_words[lang])
    assert chat.conv.state == "quiet" and chat.conv.priority == Priority.URGENT
    assert chat.send(SAYS[lang]["hello"]) == [say("welcome_back_waiting", lang)]
    assert chat.conv.state == "waiting" and chat.effects == []


@pytest.mark.parametrize("words", ["can I talk to someone", "a real person", "humano", "persona"])
@pytest.mark.parametrize("state", ["new", "safety_check", "needs", "danger_offer", "idle"])
def test_asking_for_a_person_reaches_one_from_any_state(state, words):
    chat = Chat(state)
    replies = chat.send(words)
    assert replies == [say("first_advocate_coming" if state == "new" else "advocate_coming", "en")]
    assert chat.conv.state == "waiting" and chat.conv.priority is not None and chat.conv.contact_ok


@pytest.mark.parametrize("state", ["safety_check", "needs", "danger_offer", "offer_advocate"])
def test_two_unreadable_answers_hand_off_without_a_trap(state):
    chat = Chat(state)
    first = chat.send("zzz")
    assert first == [say("unreadable", "en"), say(ENGINE.flow.prompts[state], "en")]
    chat.send("qqq")
    assert chat.conv.state in ("offer_advocate", "waiting") and chat.conv.priority is not None
    replies = [reply for _ in range(6) for reply in chat.send("zzz")]
    assert replies.count(say("unreadable", "en")) <= 1 and chat.conv.state == "waiting"


@pytest.mark.parametrize("word", [
    "STOP", "stop", "Stop.", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "Revoke", "OPTOUT", "optout!",
])
def test_stop_words_opt_out_at_once_without_a_reply(word):
    chat = Chat("waiting", contact_ok=True)
    assert chat.send(word) == []
    assert chat.effects == [RecordOptOut(), WithdrawRequest()]
    assert (chat.conv.state, chat.conv.priority, chat.conv.contact_ok) == ("opted_out", None, False)


@pytest.mark.parametrize("body", ["hi", "he hit me", "me pega", "HELP", "INFO", "a real person", "QUIET", "ES", "1",
                                  "STOP", "DELETE", ""])
def test_opted_out_is_silent_for_every_message(body):
    chat = Chat("opted_out")
    assert chat.send(body, media=0 if body else 1) == []
    assert chat.conv.state == "opted_out" and not any(isinstance(e, RequestAdvocate) for e in chat.effects)


@pytest.mark.parametrize(("word", "lang"), [("START", "en"), ("unstop", "en"), ("Start", "es")])
def test_start_lifts_the_opt_out_with_the_greeting(word, lang):
    chat = Chat("opted_out", lang=lang)
    assert chat.send(word) == [say("greeting", lang)]
    assert chat.effects == [LiftOptOut()] and chat.conv.state == "safety_check"


@pytest.mark.parametrize("word", ["HELP", "info", "Help!"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", ["safety_check", "needs", "waiting"])
def test_help_answers_with_911_and_hotline_and_keeps_the_state(state, lang, word):
    chat = Chat(state, lang=lang)
    replies = chat.send(word)
    assert replies == [say("info", lang)] and names_safety_numbers(replies[0])
    assert chat.conv.state == state


@pytest.mark.parametrize(("word", "lang", "done"), [("DELETE", "en", "Done."), ("borrar", "es", "Listo."),
                                                    ("BORRAR", "en", "Done.")])
def test_delete_erases_and_says_so_briefly(word, lang, done):
    chat = Chat("waiting", lang=lang, area="Long Beach", answers={"needs": "an advocate"})
    assert chat.send(word) == [done]
    assert chat.effects == [WithdrawRequest(), EraseTranscript()]
    assert (chat.conv.state, chat.conv.area, chat.conv.answers, chat.conv.priority) == ("new", None, {}, None)


@pytest.mark.parametrize(("word", "lang"), [("ES", "es"), ("Español", "es"), ("spanish", "es"), ("EN", "en"),
                                            ("English", "en")])
@pytest.mark.parametrize("state", ["safety_check", "needs", "ask_area"])
def test_language_switch_at_any_point_repeats_the_question(state, word, lang):
    chat = Chat(state, lang="es" if lang == "en" else "en")
    assert chat.send(word) == [say("language_set", lang), say(ENGINE.flow.prompts[state], lang)]
    assert chat.conv.lang == lang and chat.conv.state == state


@pytest.mark.parametrize("lang", LANGS)
def test_a_picture_alone_is_answered_in_words(lang):
    assert Chat().send("", media=1) == [say("media", "en"), say("greeting", "en")]
    chat = Chat("needs", lang=lang)
    assert chat.send("", media=2) == [say("media", lang)] and chat.conv.state == "needs"


def test_waiting_holds_at_most_once_per_holding_interval():
    chat = Chat("waiting")
    assert chat.send("hi") == [say("holding", "en")]
    assert chat.send("hi", wait=HOLD - 1) == []
    assert chat.send("hi", wait=2) == [say("holding", "en")]


@pytest.mark.parametrize("lang", LANGS)
def test_waiting_never_greets_or_shows_a_menu_again(lang):
    chat = Chat("waiting", lang=lang)
    for body in ["hi", "hola", "1", "2", "3", "yes", "no", "START", "zzz", "zzz", "zzz", ""]:
        assert set(chat.send(body, media=0 if body else 1, wait=HOLD)) <= {say("holding", lang), say("media", lang)}
        assert chat.conv.state == "waiting" and chat.effects == []


@pytest.mark.parametrize("lang", LANGS)
def test_danger_with_an_advocate_alerts_them_and_the_bot_stays_out(lang):
    chat = Chat("with_advocate", lang=lang)
    assert chat.send("see you at 5") == [] and chat.effects == [RelayToAdvocate("see you at 5")]
    assert chat.send(SAYS[lang]["danger"]) == []  # the advocate answers; the bot says nothing
    assert chat.effects == [RelayToAdvocate(SAYS[lang]["danger"], danger=True)]
    assert (chat.conv.state, chat.conv.priority) == ("with_advocate", Priority.URGENT)


@pytest.mark.parametrize("lang", LANGS)
def test_danger_while_waiting_raises_the_request_to_urgent(lang):
    chat = Chat("waiting", lang=lang)
    replies = chat.send(SAYS[lang]["danger"])
    assert replies == [say("danger_waiting", lang)] and "911" in replies[0]
    assert chat.effects == [RequestAdvocate(Priority.URGENT)] and chat.conv.state == "waiting"


INTERRUPTS = {"stop": "STOP", "help": "HELP", "delete": "DELETE", "quiet": "QUIET", "danger": "he has a knife",
              "ask_person": "a real person", "language": "ESPAÑOL", "media": ""}


def check_interrupt(name: str, state: str, chat: Chat) -> None:
    conv, replies, lang = chat.conv, chat.outcome.replies, chat.conv.lang
    if state == "with_advocate" and name in ("ask_person", "language", "media", "danger"):
        # Words for the person already holding the conversation: passed on, the bot stays out of it.
        assert (conv.state, replies) == ("with_advocate", [])
        assert any(isinstance(effect, RelayToAdvocate) for effect in chat.effects)
    elif name == "stop":
        assert (conv.state, replies, conv.contact_ok, conv.priority) == ("opted_out", [], False, None)
        assert RecordOptOut() in chat.effects
    elif name == "help":
        assert conv.state == state and replies == [say("info", lang)]
    elif name == "delete":
        expected = say("deleted_first" if state == "new" else "deleted", lang)  # a first reply names 911
        assert (conv.state, replies, conv.priority) == ("new", [expected], None)
        assert EraseTranscript() in chat.effects
    elif name == "quiet":
        assert (conv.state, conv.contact_ok, conv.priority) == ("quiet", False, OPEN_REQUEST.get(state))
        first = say("quiet_first", lang)  # a first reply names 911 (safety rule 1)
        assert replies == ([] if state == "quiet" else [first] if state == "new" else [say("quiet", lang)])
    elif name == "danger":
        assert names_safety_numbers(replies[0]) and conv.priority == Priority.URGENT and conv.contact_ok
    elif name == "ask_person":
        assert conv.state == "waiting" and conv.priority is not None and (conv.contact_ok or state == "waiting")
        assert set(replies) <= {say(k, lang) for k in ("advocate_coming", "first_advocate_coming", "holding")}
    elif name == "language":
        assert conv.lang == "es" and replies[0] == say("language_set", "es")
    else:
        assert replies[0] == say("media", lang)


@pytest.mark.parametrize("interrupt", sorted(INTERRUPTS))
@pytest.mark.parametrize("state", sorted(ENGINE.flow.prompts))
def test_every_interrupt_in_every_state_keeps_the_safety_rules(state, interrupt):
    chat = Chat(state)
    chat.send(INTERRUPTS[interrupt], media=0 if INTERRUPTS[interrupt] else 1)
    assert chat.conv.state in ENGINE.flow.prompts
    if state == "opted_out":
        assert (chat.outcome.replies, chat.conv.state, chat.conv.lang) == ([], "opted_out", "en")
    else:
        check_interrupt(interrupt, state, chat)


def danger_and_first_reply_keys() -> set[str]:
    danger = {key for spec in ENGINE.flow.transitions for key in spec["step"].say
              if spec["trigger"] == "danger" or ("safety", "in danger") in spec["step"].record}
    first = {key for spec in ENGINE.flow.transitions if ENGINE.flow.initial in spec["sources"]
             and spec["trigger"] in ("any", "ask_person", "danger", "help") for key in spec["step"].say}
    return danger | first


# Derived from the flow, so a new danger or first-message transition is checked too.
FIRST_AND_DANGER_REPLIES = danger_and_first_reply_keys() | {"greeting", "first_advocate_coming", "danger",
                                                            "danger_waiting", "info"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(FIRST_AND_DANGER_REPLIES))
def test_safety_rule_1_first_and_danger_replies_name_911_and_hotline(key, lang):
    assert names_safety_numbers(say(key, lang)), f"{key} ({lang}) must name 911 and the national hotline"


def test_safety_numbers_come_from_org_config(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    org = yaml.safe_load((config / "org.yaml").read_text(encoding="utf-8"))
    org.update(emergency_number="112", hotline={"call": "0800-555-0100", "text": "55501"})
    (config / "org.yaml").write_text(yaml.safe_dump(org), encoding="utf-8")
    engine = Engine(load_content(config))
    for key in ("greeting", "danger", "danger_waiting", "info"):
        for lang in LANGS:
            text = engine.say(key, lang)
            assert all(n in text for n in ("112", "0800-555-0100", "55501")) and "911" not in text
