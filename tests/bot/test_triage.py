"""After-hours triage in the engine: the risk table from config decides; digits answer YES/NO questions."""
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
    (("1",), "URGENT"),                          # in danger now: the questions end at once
    (("2", "2", "2", "2"), "HIGH"),              # nowhere safe to sleep tonight
    (("2", "1", "1", "2"), "URGENT"),            # under 18
    (("2", "1", "2", "1"), "URGENT"),            # hurt or needing a doctor
    (("no", "yes", "no", "no", "yes", "2"), "NORMAL"),  # booked for the afternoon
])
def test_the_risk_table_decides(engine, answers, priority):
    conv, effects = run(engine, "hi", *answers)
    assert conv.priority == Priority(priority)
    requests = [e for e in effects if isinstance(e, RequestAdvocate)]
    assert requests and all(r.after_hours for r in requests)
    assert requests[-1].booked == (priority == "NORMAL")


def test_a_booked_request_remembers_when_its_window_opens(engine):
    conv, _ = run(engine, "hi", "no", "yes", "no", "no", "yes", "3")
    assert (conv.window, conv.window_from, conv.contact_ok) == ("evening", 7000.0, True)
    assert conv.answers["safe time"] == "evening"


def test_changing_the_table_in_config_changes_the_outcome(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    triage = config / "triage.yaml"
    triage.write_text(triage.read_text().replace("nowhere_safe: 50", "nowhere_safe: 100"))
    conv, _ = run(Engine(load_content(config)), "hi", "no", "no", "no", "no")
    assert conv.priority is Priority.URGENT


def test_a_table_whose_high_is_above_urgent_is_refused(tmp_path):
    path = tmp_path / "triage.yaml"
    path.write_text((CONFIG / "triage.yaml").read_text().replace("high: 50", "high: 150"))
    with pytest.raises(TriageError, match="thresholds.high"):
        load_triage(path)


def test_the_answers_are_kept_for_the_advocates_summary(engine):
    conv, _ = run(engine, "hi", "no", "no", "yes", "no")
    assert {k: conv.answers[k] for k in ("danger now", "somewhere safe to sleep tonight", "under 18",
                                          "hurt or needs a doctor")} == {
        "danger now": "no", "somewhere safe to sleep tonight": "no", "under 18": "yes", "hurt or needs a doctor": "no"}
