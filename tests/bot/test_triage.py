"""After-hours triage in the engine: the same safety question as by day, then YES/NO questions answered in
words; the risk table from config decides."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import Conversation, Inbound, Priority, RequestAdvocate, TurnFacts
from bot.engine import Engine
from config.content import load_content
from config.triage import TriageError, load_triage

CONFIG = Path(__file__).resolve().parents[2] / "config"
NIGHT = TurnFacts(staffed=False, window_opens={"morning": 5000.0, "afternoon": 6000.0, "evening": 7000.0})


def run(engine: Engine, *bodies: str) -> tuple[Conversation, list]:
    conv, effects = Conversation(key="k", address="+15555550192"), []
    for body in bodies:
        outcome = engine.step(conv, Inbound("SM1", conv.address, body), 100.0, NIGHT)
        conv, effects = outcome.conversation, effects + outcome.effects
    return conv, effects


@pytest.fixture(scope="module")
def engine():
    return Engine(load_content(CONFIG))


@pytest.mark.parametrize("answers, priority", [
    (("2",), "URGENT"),                                 # 2 is "in danger" at night as by day: no more questions
    (("1", "no", "no", "no"), "HIGH"),                  # nowhere safe to sleep tonight
    (("1", "yes", "yes", "no"), "URGENT"),              # under 18
    (("1", "yes", "no", "yes"), "URGENT"),              # hurt or needing a doctor
    (("1", "yes", "no", "no", "yes", "afternoon"), "NORMAL"),  # booked for the afternoon
    # The same, in people's own words.
    (("i can talk", "nowhere to go tonight", "im 24", "no im ok"), "HIGH"),
    (("si puedo hablar", "si tengo donde quedarme", "tengo 16 años", "no"), "URGENT"),
    (("yes safe to talk", "i have a place", "no im 30", "my arm is broken i need a doctor"), "URGENT"),
    (("estoy sola ahora", "si", "no", "no estoy herida", "si", "en la tarde"), "NORMAL"),
])
def test_the_risk_table_decides(engine, answers, priority):
    conv, effects = run(engine, "hi", *answers)
    assert conv.priority == Priority(priority)
    requests = [e for e in effects if isinstance(e, RequestAdvocate)]
    assert requests and all(r.after_hours for r in requests)
    assert requests[-1].booked == (priority == "NORMAL")


def test_a_booked_request_remembers_when_its_window_opens(engine):
    conv, _ = run(engine, "hi", "1", "yes", "no", "no", "yes", "evening")
    assert (conv.window, conv.window_from, conv.contact_ok) == ("evening", 7000.0, True)
    assert conv.answers["safe time"] == "evening"


def test_changing_the_table_in_config_changes_the_outcome(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    triage = config / "triage.yaml"
    triage.write_text(triage.read_text().replace("nowhere_safe: 50", "nowhere_safe: 100"))
    conv, _ = run(Engine(load_content(config)), "hi", "1", "no", "no", "no")
    assert conv.priority is Priority.URGENT


def test_a_table_whose_high_is_above_urgent_is_refused(tmp_path):
    path = tmp_path / "triage.yaml"
    path.write_text((CONFIG / "triage.yaml").read_text().replace("high: 50", "high: 150"))
    with pytest.raises(TriageError, match="thresholds.high"):
        load_triage(path)


def test_the_answers_are_kept_for_the_advocates_summary(engine):
    conv, _ = run(engine, "hi", "1", "no", "yes", "no")
    assert {k: conv.answers[k] for k in ("danger now", "somewhere safe to sleep tonight", "under 18",
                                          "hurt or needs a doctor")} == {
        "danger now": "no", "somewhere safe to sleep tonight": "no", "under 18": "yes", "hurt or needs a doctor": "no"}


@pytest.mark.parametrize("question", [1, 2, 3, 4, 5])
def test_a_2_in_any_later_question_is_still_danger(engine, question):
    """Someone who learned "2 = in danger" by day is never taken down a "no" branch at night."""
    answers = ["1", "yes", "no", "no", "yes"][:question]
    conv, effects = run(engine, "hi", *answers, "2")
    assert conv.priority is Priority.URGENT and conv.state == "danger_offer"
    assert any(r.priority is Priority.URGENT and r.after_hours for r in effects if isinstance(r, RequestAdvocate))
