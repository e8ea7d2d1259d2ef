"""The report after a scripted night of 50 conversations through the signed webhook, with known answers."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from bot.reports import reply_rows, to_csv, to_text
from store.reports import read_report
from tests.conftest import SAM
from tests.console.conftest import PASSWORDS, sign_in

LA = ZoneInfo("America/Los_Angeles")
NIGHT = datetime(2026, 12, 12, 20, 0, tzinfo=LA)
DAY = date(2026, 12, 12)
WORDS = ("hello", "talk to someone", "he hit me", "hola", "yes")


def number(i: int) -> str:
    return f"+1555555{i:04d}"  # invented: +1 555 555 0000 … 0049 (555 numbers are never assigned)


def case_code(lantern, phone: str) -> str:
    return lantern.stores.store.get(lantern.stores.store.conversation_key(phone)).case_code


def run_night(lantern, make_texter, work, traveller):
    """45 first contacts and 5 returning ones; known claims, bookings and a night's unclaimed requests."""
    card = lantern.stores.outreaches.create("Reclaim and Rebuild, Dec 12", "2026-12-12", "South LA",
                                     ["Alexis Rivera"]).cards[0]["code"]
    returning = [make_texter(number(45 + i)) for i in range(5)]
    traveller.move_to(NIGHT - timedelta(days=1))
    for texter in returning:
        texter.send("hello"), texter.send("3")  # yesterday: can't talk
    traveller.move_to(NIGHT)
    talkers = [make_texter(number(i)) for i in range(20)]
    for texter in talkers:
        texter.send("hello"), texter.send("1"), texter.send("talk to someone")
    in_danger = [make_texter(number(20 + i)) for i in range(10)]
    for i, texter in enumerate(in_danger):
        texter.send("he hit me")
        if i < 4:
            texter.send("yes")  # a safe place tonight
    for i in range(5):
        texter = make_texter(number(30 + i))
        texter.send(f"hi {card.lower()}"), texter.send("1"), texter.send("talk to someone")
    for i in range(10):
        texter = make_texter(number(35 + i))
        texter.send("hola"), texter.send("3")
    for texter in returning:
        texter.send("hello")
    work()
    sam = make_texter(SAM)
    lantern.stores.roster.update("Sam Okafor", capacity=30)  # tonight Sam takes every request (issue 21's capacity)
    traveller.move_to(NIGHT + timedelta(minutes=1))
    for texter in in_danger:
        sam.send(f"CLAIM {case_code(lantern, texter.number)}")
    for minutes, group in ((2, talkers[:10]), (10, talkers[10:])):
        traveller.move_to(NIGHT + timedelta(minutes=minutes))
        for texter in group:
            sam.send(f"CLAIM {case_code(lantern, texter.number)}")
    for texter in talkers[:3]:
        sam.send(f"BOOKED {case_code(lantern, texter.number)}")
    traveller.move_to(NIGHT + timedelta(minutes=16))
    work(with_scheduler=True)  # the card's five are never claimed: counted unclaimed after 15 minutes
    return card


def test_a_scripted_night(app, lantern, make_texter, work, roster, twilio_api, client):
    with time_machine.travel(NIGHT, tick=False) as traveller:
        card = run_night(lantern, make_texter, work, traveller)
        report = read_report(lantern.stores.reports, lantern.stores.outreaches, DAY, DAY, lantern.settings.content.handoff.outcomes)
        counts = report.total.counts
        assert {name: counts.get(name, 0) for name in (
            "contacts.new", "contacts.returning", "danger", "place.offered", "place.accepted", "place.booked",
            "unclaimed_15", "lang.en", "lang.es", "channel.sms", "safety_word.used")} == {
            "contacts.new": 45, "contacts.returning": 5, "danger": 10, "place.offered": 35, "place.accepted": 4,
            "place.booked": 3, "unclaimed_15": 5, "lang.en": 40, "lang.es": 10, "channel.sms": 50,
            "safety_word.used": 0}
        assert report.days[0].counts["contacts.new"] == 45
        (outreach,) = report.outreach
        assert (outreach.first, outreach.later) == (5, 0)
        replies = {label: (n, p50, p90) for label, n, p50, p90 in reply_rows(report.total)}
        assert replies == {"URGENT, staffed": (10, 1.0, 1.0), "NORMAL, staffed": (20, 2.0, 10.0)}

        public = to_csv(report)
        assert "total,total,place.accepted,<5" in public and "total,total,place.booked,<5" in public
        assert "total,total,danger,10" in public and "total,total,unclaimed_15,5" in public
        text = to_text(report)
        runner = app.test_cli_runner()
        cli_csv = runner.invoke(args=["report", "--from", "2026-12-12", "--to", "2026-12-12", "--csv"]).output
        assert cli_csv == public
        lantern.stores.credentials.set_password(roster.named("Morgan Diaz").id, PASSWORDS["Morgan Diaz"])
        sign_in(client, "Morgan Diaz")
        page = client.get("/console/reports?from=2026-12-12&to=2026-12-12").get_data(as_text=True)
        export = client.get("/console/reports.csv?from=2026-12-12&to=2026-12-12").get_data(as_text=True)
        assert "<svg" in page and export == public

    codes = {case_code(lantern, number(i)) for i in range(35)} | {card}
    for output in (public, text, page, export):
        assert not re.search(r"555\D?\d{2}|\d{7,}", output), "a phone number in a report"
        assert not any(code in output for code in codes), "a case code or card code in a report"
        lowered = output.lower()
        assert not any(words in lowered for words in WORDS), "a survivor's words in a report"
