"""Teaching the bot from the console: a misread is the advocate's reading and paraphrase, never the survivor's
words; encrypted, audited, its case data erased by DELETE, exported by `flask --app app understanding misreads`."""
from __future__ import annotations

import csv
import io

from tests.console.conftest import SURVIVOR, post


def _marked(lantern, make_texter, work, signed_in, reading="not_danger", paraphrase="a hunting trip with her dad"):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    survivor.send("he has a gun in the car")
    work()
    conv = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR))
    at = next(e["at"] for e in lantern.stores.store.transcript(conv.key) if e["by"] == "survivor" and "gun" in e["text"])
    client = signed_in("Alexis Rivera")
    page = f"/console/c/{conv.case_code}"
    assert "The bot misread this" in client.get(page).get_data(as_text=True)
    response = post(client, f"{page}/misread", {"at": repr(at), "reading": reading, "paraphrase": paraphrase},
                    token_from=page)
    return survivor, conv, response


def test_an_advocate_marks_a_misread_and_a_supervisor_exports_it(make_texter, work, signed_in, lantern, raw_redis, app):
    _, conv, response = _marked(lantern, make_texter, work, signed_in)
    assert response.status_code == 302
    assert lantern.stores.misreads.for_conversation(conv.key)
    # Encrypted at rest: neither the paraphrase nor the reading is readable in Redis.
    for key in raw_redis.keys("lantern:*misreads*"):
        for value in raw_redis.hvals(key):
            assert b"hunting" not in value and b"not_danger" not in value
    result = app.test_cli_runner().invoke(args=["understanding", "misreads", "--csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["reading"], r["paraphrase"], r["kind"]) for r in rows] == [("not_danger", "a hunting trip with her dad",
                                                                           "false_alarm")]
    assert "gun" not in result.output and conv.case_code not in result.output
    events = [(e.event, e.detail) for e in lantern.stores.audit.entries()]
    assert any(event == "misread" and "bot read weapon; right reading not_danger" in detail for event, detail in events)
    assert any(event == "misreads exported" for event, _ in events)
    assert not any("hunting" in detail or "gun" in detail for _, detail in events)


def test_a_paraphrase_copying_their_words_is_refused_and_nothing_is_kept(make_texter, work, signed_in, lantern):
    _, conv, response = _marked(lantern, make_texter, work, signed_in, paraphrase="said he has a gun in the car")
    assert response.status_code == 302 and lantern.stores.misreads.all() == []
    assert lantern.stores.misreads.for_conversation(conv.key) == {}


def test_delete_erases_the_case_data_and_keeps_the_advocates_teaching(make_texter, work, signed_in, lantern, app):
    survivor, conv, _ = _marked(lantern, make_texter, work, signed_in)
    survivor.send("DELETE")
    assert lantern.stores.misreads.for_conversation(conv.key) == {}
    kept = lantern.stores.misreads.all()
    assert [(m.reading, m.paraphrase, m.kind) for m in kept] == [("not_danger", "a hunting trip with her dad", "false_alarm")]
    text = app.test_cli_runner().invoke(args=["understanding", "misreads"]).output
    assert "a hunting trip with her dad" in text and conv.case_code not in text
