"""flows/survivor.yaml: checked at load (mistakes name the file and line), compiled into one shared Machine."""
from __future__ import annotations

from pathlib import Path

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.conversation import Conversation, Inbound
from bot.engine import Engine
from bot.flow import FlowError, SharedMachine, load_flow
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
SURVIVOR = ROOT / "flows" / "survivor.yaml"
SOURCE = SURVIVOR.read_text(encoding="utf-8")
CONTENT = load_content(ROOT / "config")
# A hundred messages that walk through most of the flow, interrupts included.
WALK = ["hi", "1", "2", "hello", "STOP", "START", "he hit me", "no", "no", "QUIET"] * 10


def write_broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert SOURCE.count(old) == 1, f"the flow changed: {old!r} is not there once"
    broken = SOURCE.replace(old, new)
    path = tmp_path / "survivor.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def line_of(text: str, anchor: str) -> int:
    assert text.count(anchor) == 1, anchor
    return text[: text.index(anchor)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "anchor", "problem"), [
    pytest.param("- trigger: start\n    source: opted_out\n    dest: safety_check\n",
                 "- trigger: start\n    source: opted_out\n    dest: nowhere\n",
                 "- trigger: start", "unknown state 'nowhere' as dest", id="unknown dest state"),
    pytest.param('    es: "Listo."\n', "", '    en: "Done."', "message 'deleted' has no text in 'es'",
                 id="missing es text"),
    pytest.param("  opted_out: {}\n", "  opted_out: {}\n  limbo: {}\n", "  limbo: {}",
                 "state 'limbo' can never be reached from 'new'", id="unreachable state"),
    pytest.param("    say: [info]\n", "    say: [info]\n    do: [teleport]\n", "- trigger: help",
                 "unknown action 'teleport'", id="unknown action"),
    pytest.param("- trigger: help\n", "- trigger: hlep\n", "- trigger: hlep", "unknown trigger 'hlep'",
                 id="unknown trigger"),
    pytest.param("    say: [info]\n", "    say: [infos]\n", "- trigger: help", "unknown message 'infos' in say",
                 id="unknown message"),
    pytest.param("    say: [info]\n", "    say: [info]\n    do: [request_advocate: SOON]\n", "- trigger: help",
                 "unknown action", id="unknown priority"),
])
def test_a_broken_flow_is_refused_naming_file_and_line(tmp_path, old, new, anchor, problem):
    path, broken = write_broken(tmp_path, old, new)
    with pytest.raises(FlowError) as refused:
        load_flow(path)
    assert str(refused.value).startswith(f"{path}:{line_of(broken, anchor)}: ")
    assert problem in str(refused.value)


def test_a_flow_that_is_not_yaml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "survivor.yaml"
    path.write_text("states: [unclosed\n", encoding="utf-8")
    with pytest.raises(FlowError, match="not valid YAML") as refused:
        load_flow(path)
    assert str(refused.value).startswith(str(path))


def test_the_real_flow_loads():
    flow = load_flow(SURVIVOR)
    assert flow.initial == "new"
    assert {"new", "safety_check", "danger_offer", "needs", "ask_area", "offer_advocate", "waiting", "quiet",
            "idle", "opted_out"} <= set(flow.prompts)
    assert all(set(texts) == {"en", "es"} for texts in flow.messages.values())


def test_yes_and_no_stay_words_in_the_flow():
    """YAML 1.1 reads yes/no as booleans; in a flow they are triggers a survivor types."""
    triggers = {spec["trigger"] for spec in load_flow(SURVIVOR).transitions}
    assert {"yes", "no"} <= triggers


def carried(machine) -> list:
    """The turns the Machine's models still carry: none once a step is over."""
    return [model.turn for model in machine.models if model.turn is not None]


def test_the_machine_is_built_once_per_engine_and_keeps_no_models(monkeypatch):
    built = []
    original = SharedMachine.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(SharedMachine, "__init__", counting)
    engine = Engine(CONTENT)
    machine = engine.machine
    conv = Conversation(key="k", address="+15555550101")
    for number, body in enumerate(WALK):
        conv = engine.step(conv, Inbound(f"SM{number}", conv.address, body), 1000.0 + number).conversation
        # One model, attached once and reused: a step leaves nothing of its turn on the Machine.
        assert engine.machine is machine and len(engine.machine.models) == 1 and carried(machine) == []
    assert built == [machine] and len(WALK) == 100


def test_turns_at_once_each_get_a_model_and_no_more_stay_attached():
    engine = Engine(CONTENT)
    walks = 8
    with ThreadPoolExecutor(max_workers=walks) as pool:
        finals = list(pool.map(lambda n: _walk(engine, f"+1555555010{n}"), range(walks)))
    alone = _walk(Engine(CONTENT), "+15555550109")
    assert all(final == alone for final in finals)  # no turn ran on another's model
    assert 1 <= len(engine.machine.models) <= walks and carried(engine.machine) == []


def _walk(engine: Engine, address: str) -> tuple:
    conv = Conversation(key="k" + address, address=address)
    for number, body in enumerate(WALK):
        conv = engine.step(conv, Inbound(f"SM{number}", address, body), 1000.0 + number).conversation
    return conv.state, conv.priority, conv.lang, tuple(conv.risks)


def test_a_failing_step_leaves_no_model_attached(monkeypatch):
    engine = Engine(CONTENT)

    def broken(turn, value):
        raise RuntimeError("resources are unavailable")

    monkeypatch.setattr(engine, "_do_resources", broken)
    with pytest.raises(RuntimeError):
        engine.step(Conversation(key="k", address="+15555550101", state="needs"), Inbound("SM1", "+15555550101", "3"), 1.0)
    assert carried(engine.machine) == []


def test_the_mermaid_diagram_shows_every_state_and_trigger():
    flow = load_flow(SURVIVOR)
    diagram = flow.mermaid()
    assert diagram.startswith("stateDiagram-v2\n")
    edges = []
    for line in diagram.splitlines()[1:]:
        arrow, _, label = line.strip().partition(": ")
        source, _, dest = arrow.partition(" --> ")
        edges.append((source, dest, label.split(" [")[0]))
    assert set(flow.prompts) <= {state for source, dest, _ in edges for state in (source, dest)}
    assert {spec["trigger"] for spec in flow.transitions} <= {label for _, _, label in edges}


def test_the_committed_diagram_is_the_flow_as_it_is():
    """flows/survivor.mmd sits beside the YAML: redraw it (flask --app app flow-diagram) when the flow changes."""
    diagram = (ROOT / "flows" / "survivor.mmd").read_text(encoding="utf-8")
    assert diagram == Engine(CONTENT).flow.mermaid()
