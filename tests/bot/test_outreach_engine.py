"""Cards, check-ins and the safety word through the pure engine: no Flask, no Redis, no network."""
from __future__ import annotations

import dataclasses

import pytest

from bot.conversation import Priority, RecordOptOut, RelayToAdvocate, RequestAdvocate, TurnFacts
from bot.engine import Engine
from bot.outreach import Card, ForgetSafetyWord, ScheduleCheckIn, card_candidates, introduction, keep_for
from bot.safety_word import SafetyWordRejected, normalise, said_in
from tests.bot.test_engine import ENGINE, LANGS, SAYS, Chat, say

CARD = Card("NEMI9", "20261212-ab12", "alexis rivera", "2026-12-12")
WORD = "pizza"


def send(chat: Chat, body: str, **facts) -> list[str]:
    """Chat.send with facts about the world (a card in the message, their safety word)."""
    chat.now += 5
    chat.outcome = ENGINE.step(chat.conv, chat_inbound(chat, body), chat.now, TurnFacts(**facts))
    chat.conv = chat.outcome.conversation
    return chat.outcome.replies


def chat_inbound(chat: Chat, body: str):
    from bot.conversation import Inbound
    return Inbound(f"SM{chat.now:.0f}", chat.conv.address, body)


# --- card codes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", ["NEMI9", "hi nemi9", "Nemi9 hola, necesito ayuda"])
def test_a_card_code_in_the_first_message_links_and_is_not_read_as_words(body):
    chat = Chat()
    replies = send(chat, body, card=CARD)
    assert replies == [say("greeting", chat.conv.lang)]
    assert (chat.conv.outreach, chat.conv.card_advocate, chat.conv.met_on) == (CARD.outreach, CARD.advocate,
                                                                               CARD.met_on)
    assert "NEMI9" not in " ".join(replies)
    assert f"outreach.{CARD.outreach}.first" in chat.outcome.counts


def test_a_card_code_alone_later_links_and_asks_the_question_again_without_counting_it_unreadable():
    chat = Chat()
    chat.send("hello")
    assert send(chat, "NEMI9", card=CARD) == [say("safety_question", "en")]
    assert chat.conv.unreadable == 0 and chat.conv.outreach == CARD.outreach


def test_a_card_code_with_danger_is_still_danger_first():
    chat = Chat()
    replies = send(chat, "NEMI9 he hit me", card=CARD)
    assert replies == [say("danger", "en")] and chat.effects[0] == RequestAdvocate(Priority.URGENT)


def test_a_conversation_keeps_its_first_card_and_the_link_outlives_a_close_but_not_delete():
    chat = Chat()
    send(chat, "hi NEMI9", card=CARD)
    send(chat, "PAVO3", card=dataclasses.replace(CARD, code="PAVO3", outreach="other", advocate="riley chen"))
    assert chat.conv.outreach == CARD.outreach
    chat.send("DELETE")
    assert (chat.conv.outreach, chat.conv.card_advocate, chat.conv.met_on) == (None, None, None)


@pytest.mark.parametrize("body, found", [("hi luma7", ["LUMA7"]), ("K7Q2", []), ("call 5550100", []),
                                         ("i got NEMI9 and PAVO3", ["NEMI9", "PAVO3"])])
def test_only_words_shaped_like_a_card_code_are_looked_up(body, found):
    assert card_candidates(body) == found


def test_the_introduction_says_we_met_only_when_not_discreet_and_only_for_the_card_advocate():
    from bot.advocates import Advocate
    alexis, riley = Advocate("alexis rivera", "Alexis Rivera", "+12135550101"), Advocate("riley chen", "Riley Chen", "+12135550103")
    chat = Chat()
    send(chat, "hi NEMI9", card=CARD)
    assert introduction(ENGINE, chat.conv, alexis) == "Hi, this is Alexis, an advocate. I'm here with you now."
    content = ENGINE.content
    open_engine = Engine(dataclasses.replace(content, org=dataclasses.replace(content.org, discreet=False)))
    assert introduction(open_engine, chat.conv, alexis) == (
        "Hi, this is Alexis, an advocate with Lantern. We met on the 12th. I'm here with you now.")
    assert "met" not in introduction(open_engine, chat.conv, riley)


# --- check-ins ---------------------------------------------------------------------------------------
def declined(lang: str = "en") -> Chat:
    chat = Chat(lang=lang)
    chat.send(SAYS[lang]["hello"]), chat.send("2"), chat.send(SAYS[lang]["no"])
    assert chat.send(SAYS[lang]["no"]) == [say("checkin_question", lang)]
    return chat


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("answer, days", [("1", 7), ("in a week", 7), ("2", 30), ("next month", 30)])
def test_a_decline_is_asked_once_about_a_check_in_and_a_yes_schedules_one(lang, answer, days):
    chat = declined(lang)
    assert chat.send(answer) == [say("checkin_window_q", lang)]
    assert "checkin.consented" in chat.outcome.counts
    (scheduled,) = [e for e in chat.effects if isinstance(e, ScheduleCheckIn)]
    assert scheduled.due_at == chat.now + days * 86400 and chat.conv.checkin["window"] == "afternoon"
    assert chat.send("mornings") == [say("checkin_booked", lang)]
    assert (chat.conv.state, chat.conv.checkin["window"]) == ("idle", "morning")


def test_no_to_a_check_in_means_none_and_the_question_is_not_asked_again_that_session():
    chat = declined()
    assert chat.send("3") == [say("respect_no", "en")] and chat.conv.checkin is None
    chat.send("hello"), chat.send("2"), chat.send("no")
    assert chat.send("no") == [say("respect_no", "en")]  # asked once


def test_the_check_in_outlives_a_close_and_keeps_the_conversation_until_it_is_due():
    chat = declined()
    chat.send("1"), chat.send("3")
    assert keep_for(chat.conv, chat.now, 30 * 86400) > 7 * 86400
    fresh = Chat()
    from bot.outreach import carry_over
    carry_over(chat.conv, fresh.conv)
    assert fresh.conv.checkin == chat.conv.checkin


@pytest.mark.parametrize("after", ["STOP", "QUIET", "cant talk", "DELETE", "3"])
def test_never_a_check_in_after_stop_quiet_cant_talk_or_delete(after):
    chat = declined()
    chat.send("1"), chat.send("2")
    assert chat.conv.checkin is not None
    chat.send("hello") if after == "3" else None  # "3" is can't talk, to the safety question
    chat.send(after)
    assert chat.conv.checkin is None


def test_a_check_in_is_not_offered_on_the_web_chat():
    chat = Chat()
    chat.conv.address = "web:tab-token"
    chat.send("hello"), chat.send("2"), chat.send("no")
    assert chat.send("no") == [say("respect_no", "en")]


def test_answering_a_check_in_is_counted_once():
    chat = declined()
    chat.send("1"), chat.send("1")
    chat.conv.checkin, chat.conv.checkin_sent_at = None, chat.now + 100
    chat.send("hi", wait=200)
    assert "checkin.answered" in chat.outcome.counts and chat.outcome.conversation.checkin_sent_at is None
    chat.send("still there?")
    assert "checkin.answered" not in chat.outcome.counts


# --- the safety word ------------------------------------------------------------------------------------
@pytest.mark.parametrize("state", ["new", "idle", "safety_check", "waiting", "needs", "quiet"])
@pytest.mark.parametrize("body", ["pizza", "want PIZZAAA tonight?", "Pizza?"])
def test_the_safety_word_gets_an_ordinary_reply_an_urgent_request_and_nobody_texts_first(state, body):
    chat = Chat(state=state, safety_word_set=True, contact_ok=True)
    replies = send(chat, body, safety_word=WORD)
    assert replies == ["ok thanks!"]
    assert all(n not in replies[0] for n in ("911", "888", "help", "danger"))
    assert chat.conv.state == "quiet" and chat.conv.contact_ok is False and chat.conv.priority is Priority.URGENT
    assert chat.conv.safety_word_at == chat.now and chat.conv.answers["safety"] == "safety word: do not text first"
    assert "safety_word.used" in chat.outcome.counts
    if state not in ("waiting",):
        assert RequestAdvocate(Priority.URGENT) in chat.effects


def test_the_safety_word_in_spanish_and_with_an_advocate():
    chat = Chat(state="with_advocate", lang="es", safety_word_set=True)
    assert send(chat, "oye pizza", safety_word=WORD) == ["ok gracias!"]
    assert chat.effects == [RelayToAdvocate("oye pizza", danger=True, safety_word=True)]
    assert chat.conv.state == "quiet"


def test_other_words_are_not_the_safety_word_and_commands_come_first():
    chat = Chat(state="safety_check", safety_word_set=True)
    assert send(chat, "pizzeria", safety_word=WORD) != ["ok thanks!"]
    send(chat, "STOP", safety_word=WORD)
    assert chat.conv.state == "opted_out" and chat.conv.safety_word_set is False
    assert RecordOptOut() in chat.effects and ForgetSafetyWord() in chat.effects


def test_delete_erases_the_safety_word():
    chat = Chat(state="idle", safety_word_set=True)
    send(chat, "DELETE", safety_word=WORD)
    assert chat.conv.safety_word_set is False


@pytest.mark.parametrize("word", ["stop", "YES", "1", "quiet", "no", "ab", "clear", "one two three four five"])
def test_a_safety_word_the_line_already_answers_to_is_refused(word):
    with pytest.raises(SafetyWordRejected):
        normalise(word, ENGINE.keywords.reserved())


def test_a_safety_word_is_matched_after_folding():
    word = normalise("Grandma's Récipe")
    assert said_in("need GRANDMAS recipe!!", word) and said_in("grandmas recipeee", word)
    assert not said_in("grandma recipe", word) and not said_in("recipe grandmas", word)
