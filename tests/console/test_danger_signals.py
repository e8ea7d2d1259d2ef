"""What the console shows of the danger the bot read: the category and the message that raised it."""
from __future__ import annotations

from tests.console.conftest import SURVIVOR


def code_of(lantern) -> str:
    return lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code


def danger_section(page: str) -> str:
    return page[page.index("Danger the bot read"):page.index('id="about-title"')]


def test_each_danger_category_shows_with_the_message_that_raised_it(make_texter, work, signed_in, twilio_api,
                                                                     lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    survivor.send("he has my passport and says he will call immigration")
    work()
    code = code_of(lantern)
    section = danger_section(signed_in("Alexis Rivera").get(f"/console/c/{code}").get_data(as_text=True))
    for category in ("documents", "immigration threat"):
        assert f"<strong>{category}</strong>" in section
    assert "he has my passport and says he will call immigration" in section
    pages = [m.body for m in twilio_api.sent]
    assert pages and not any("passport" in body for body in pages)  # SMS pages stay words-free


def test_a_conversation_without_danger_words_shows_no_danger_section(make_texter, work, signed_in, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    survivor.send("talk to a person")
    work()
    page = signed_in("Alexis Rivera").get(f"/console/c/{code_of(lantern)}").get_data(as_text=True)
    assert "Danger the bot read" not in page


def test_a_need_named_beside_danger_is_kept_on_the_request(make_texter, work, signed_in, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    survivor.send("he hit me and i need a place to stay tonight")
    work()
    page = signed_in("Alexis Rivera").get(f"/console/c/{code_of(lantern)}").get_data(as_text=True)
    assert "also needs" in page and "a safe place tonight" in page
    assert "<strong>violence</strong>" in danger_section(page)
