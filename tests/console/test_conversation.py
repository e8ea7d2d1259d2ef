"""Working a conversation from the console: the same desk, jobs and safety re-check as SMS."""
from __future__ import annotations

import re

from tests.conftest import ALEXIS, SAM
from tests.console.conftest import SURVIVOR, post, waiting_request
from tests.apps import lantern_of


def page_of(client, code: str) -> str:
    return client.get(f"/console/c/{code}").get_data(as_text=True)


def claimed(signed_in, make_texter, work, name: str = "Alexis Rivera", number: str = SURVIVOR):
    survivor, code = waiting_request(make_texter, work, number)
    client = signed_in(name)
    response = post(client, f"/console/claim/{code}")
    assert response.headers["Location"] == f"/console/c/{code}"
    work()
    return survivor, code, client


def test_claim_introduces_the_advocate_and_shows_the_conversation(signed_in, make_texter, work, twilio_api,
                                                                   lantern):
    survivor, code, client = claimed(signed_in, make_texter, work)
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate. I'm here with you now."]
    page = page_of(client, code)
    assert f"{code} is yours. They see you as Alexis" in page
    assert "Them</span>" in page and "<p>2</p>" in page and "claimed by Alexis" in page
    assert "••• 0170" in page and "5555550170" not in page  # the number, masked, and never more of it
    [claim] = [e for e in lantern.stores.audit.entries(code=code) if e.event == "claim"]
    assert (claim.advocate, claim.via) == ("alexis rivera", "console")


def test_a_reply_goes_out_through_the_relay_job_and_the_answer_comes_back_live(signed_in, make_texter, work,
                                                                                twilio_api, lantern):
    survivor, code, client = claimed(signed_in, make_texter, work)
    before = client.get(f"/console/c/{code}/updates.json?after=0").get_json()["count"]
    post(client, f"/console/c/{code}/reply", {"text": "Are you somewhere safe right now?"}, f"/console/c/{code}")
    assert twilio_api.to(SURVIVOR)[-1] != "Are you somewhere safe right now?"  # queued, not sent inline
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Are you somewhere safe right now?"
    outbound = [m for m in twilio_api.sent if m.to == SURVIVOR][-1]
    assert outbound.from_ == "+15555550199"  # from the hotline, as every relay
    assert survivor.send("yes, at a friend's place") == []
    update = client.get(f"/console/c/{code}/updates.json?after={before}").get_json()
    assert [(e["who"], e["text"]) for e in update["entries"]] == [
        ("Alexis", "Are you somewhere safe right now?"), ("Them", "yes, at a friend's place")]
    assert update["status"]["mine"] and "5555550170" not in str(update)
    assert any(e.event == "reply" and e.via == "console" for e in lantern.stores.audit.entries(code=code))


def test_a_reply_queued_before_the_survivor_asked_for_quiet_is_never_sent(signed_in, make_texter, work,
                                                                          twilio_api):
    survivor, code, client = claimed(signed_in, make_texter, work)
    post(client, f"/console/c/{code}/reply", {"text": "Can you talk now?"}, f"/console/c/{code}")
    survivor.send("QUIET")
    work()  # the job's safety re-check drops it, and tells the advocate why
    assert "Can you talk now?" not in twilio_api.to(SURVIVOR)
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Not sent to {code}: they asked for quiet")
    post(client, f"/console/c/{code}/reply", {"text": "Still there?"}, f"/console/c/{code}")
    assert "Not sent to" in page_of(client, code)  # refused at once now that the quiet is recorded


def test_empty_and_too_long_replies_are_refused_with_the_reason(signed_in, make_texter, work, twilio_api):
    _, code, client = claimed(signed_in, make_texter, work)
    post(client, f"/console/c/{code}/reply", {"text": "   "}, f"/console/c/{code}")
    assert "Write a message first" in page_of(client, code)
    post(client, f"/console/c/{code}/reply", {"text": "x" * 1601}, f"/console/c/{code}")
    assert "at most 1600 characters; that one has 1601" in page_of(client, code)
    work()
    assert len(twilio_api.to(SURVIVOR)) == 1  # only the introduction


def test_release_puts_it_back_in_the_queue_and_pages(signed_in, make_texter, work, twilio_api):
    _, code, client = claimed(signed_in, make_texter, work)
    response = post(client, f"/console/c/{code}/release", {}, f"/console/c/{code}")
    assert response.headers["Location"] == "/console/mine"
    work()
    assert [r["code"] for r in client.get("/console/queue.json").get_json()["waiting"]] == [code]
    assert twilio_api.to(SAM)[-1].endswith(f"Reply CLAIM {code}")


def test_close_sends_the_closing_line_and_the_next_text_starts_fresh(signed_in, make_texter, work, twilio_api,
                                                                     lantern):
    survivor, code, client = claimed(signed_in, make_texter, work)
    post(client, f"/console/c/{code}/close", {}, f"/console/c/{code}")
    work()
    assert twilio_api.to(SURVIVOR)[-1].startswith("This conversation is closed.")
    assert client.get("/console/mine.json").get_json()["mine"] == []
    assert "Are you safe to talk" in survivor.send("hi again")[0]
    assert [e.event for e in lantern.stores.audit.entries(code=code)][:1] == ["close"]


def test_transfer_hands_it_to_a_named_advocate_warmly(signed_in, make_texter, work, twilio_api, lantern):
    _, code, client = claimed(signed_in, make_texter, work)
    response = post(client, f"/console/c/{code}/transfer", {"to": "sam okafor"}, f"/console/c/{code}")
    assert response.headers["Location"] == "/console/mine"
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Hi, this is Sam, an advocate. I'm here with you now."
    to_sam = "\n".join(twilio_api.to(SAM))
    assert f"{code} is yours. They see you as Sam." in to_sam and "them: 2" in to_sam
    assert "5555550170" not in to_sam
    sam = signed_in("Sam Okafor")
    assert [r["code"] for r in sam.get("/console/mine.json").get_json()["mine"]] == [code]
    [transfer] = [e for e in lantern.stores.audit.entries(code=code) if e.event == "transfer"]
    assert (transfer.advocate, transfer.detail) == ("alexis rivera", "to sam okafor")


def test_transfer_to_someone_not_on_the_roster_is_refused(signed_in, make_texter, work, lantern):
    _, code, client = claimed(signed_in, make_texter, work)
    post(client, f"/console/c/{code}/transfer", {"to": "nobody"}, f"/console/c/{code}")
    assert "Choose an advocate on the roster" in page_of(client, code)
    assert lantern.stores.store.get(lantern.stores.store.conversation_for_code(code)).advocate == "alexis rivera"


def test_notes_stay_internal_and_go_with_the_transcript(signed_in, make_texter, work, twilio_api, lantern):
    survivor, code, client = claimed(signed_in, make_texter, work)
    post(client, f"/console/c/{code}/note", {"text": "Prefers texts after 9pm."}, f"/console/c/{code}")
    page = page_of(client, code)
    notes = page[page.index("Internal notes"):]
    assert "Prefers texts after 9pm." in notes and "Note by Alexis" in notes
    work()
    assert not any("9pm" in body for body in twilio_api.to(SURVIVOR) + twilio_api.to(ALEXIS))
    survivor.send("DELETE")
    assert client.get(f"/console/c/{code}").status_code == 404  # erased with everything else of theirs


def test_canned_replies_come_in_the_conversations_language(signed_in, make_texter, work):
    survivor = make_texter(SURVIVOR)
    survivor.send("hola")
    survivor.send("me pega")
    work()
    lantern = lantern_of(survivor.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    client = signed_in("Alexis Rivera")
    post(client, f"/console/claim/{code}")
    page = page_of(client, code)
    assert "¿Estás a salvo?" in page and "Are you safe?" not in page and "Spanish" in page


def test_an_unknown_or_malformed_code_is_a_clear_404(signed_in):
    client = signed_in("Alexis Rivera")
    unknown = client.get("/console/c/ZZZZ")
    assert unknown.status_code == 404 and "No conversation ZZZZ" in unknown.get_data(as_text=True)
    malformed = client.get("/console/c/not-a-code")
    assert malformed.status_code == 404 and "four letters and digits" in malformed.get_data(as_text=True)


def test_sms_side_commands_are_audited_as_sms(make_texter, work, roster, lantern):
    _, code = waiting_request(make_texter, work)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    alexis.send("hello there")
    alexis.send(f"RELEASE {code}")
    entries = [(e.event, e.advocate, e.code, e.via) for e in lantern.stores.audit.entries()]
    assert entries == [("release", "alexis rivera", code, "sms"), ("reply", "alexis rivera", code, "sms"),
                       ("claim", "alexis rivera", code, "sms")]


def test_the_queue_shows_urgent_first_then_the_longest_wait_and_no_number(signed_in, make_texter, work):
    _, normal = waiting_request(make_texter, work, "+15555550171", danger=False)
    _, urgent = waiting_request(make_texter, work, "+15555550172")
    client = signed_in("Sam Okafor")
    waiting = client.get("/console/queue.json").get_json()["waiting"]
    assert [(r["code"], r["priority"]) for r in waiting] == [(urgent, "URGENT"), (normal, "NORMAL")]
    assert set(waiting[0]) == {"code", "priority", "lang", "language", "area", "wait", "wait_minutes", "note",
                               "offered"}
    html = client.get("/console/").get_data(as_text=True)
    assert html.index(urgent) < html.index(normal) and not re.search(r"555555017\d", html)


def test_claiming_what_another_holds_says_who_has_it(signed_in, make_texter, work):
    _, code, _ = claimed(signed_in, make_texter, work)
    sam = signed_in("Sam Okafor")
    response = post(sam, f"/console/claim/{code}")
    assert response.headers["Location"] == "/console/"
    assert f"{code} is with Alexis." in sam.get("/console/").get_data(as_text=True)
