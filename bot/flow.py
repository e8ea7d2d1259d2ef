"""Load flows/survivor.yaml, check it, and compile it once into one shared transitions Machine."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from transitions import Machine

from bot.flow_yaml import LANGUAGES, RISKS, FlowError, Where, read_messages, read_risks, read_states
from bot.yaml_text import LineLoader

__all__ = ["LANGUAGES", "RISKS", "Flow", "FlowError", "SharedMachine", "Step", "load_flow"]

TRIGGERS = (
    "stop", "start", "help", "delete", "quiet", "danger", "danger_quiet", "ask_person", "unreadable_twice",
    "choice_1", "choice_2", "choice_3", "choice_4", "yes", "no", "text", "any", "safety_word",
)
CONDITIONS = ("has_open_request", "has_advocate", "after_hours", "triage_urgent", "triage_high",
              "safe_place_tonight", "can_check_in")
ACTIONS_WITH_PRIORITY = ("request_advocate",)
ACTIONS_WITH_FLAG = ("contact_ok",)
ACTIONS_WITH_EVENT = {"tell_advocate": ("stopped", "quiet", "erased"),
                      "book": ("morning", "afternoon", "evening", "they_text"),
                      "checkin": ("week", "month"), "checkin_window": ("morning", "afternoon", "evening")}
PLAIN_ACTIONS = (
    "withdraw_request", "set_area", "hold", "erase", "opt_out", "opt_in", "fresh", "resources", "relay", "relay_danger",
    "promise_silence", "youth_line", "relay_safety_word", "safety_word_used", "forget_safety_word", "cancel_checkin",
    "checkin_asked",
)
PRIORITIES = ("URGENT", "HIGH", "NORMAL")


@dataclass(frozen=True)
class Step:
    """What a transition does besides changing state."""

    say: tuple[str, ...] = ()
    actions: tuple[tuple[str, Any], ...] = ()
    record: tuple[tuple[str, str], ...] = ()


@dataclass
class Flow:
    path: Path
    initial: str
    prompts: dict[str, str | None]
    entered_from_outside: frozenset[str]
    # A state whose yes/no answer is a triage risk: state → (risk, the answer that means it).
    risks: dict[str, tuple[str, str]]
    transitions: list[dict[str, Any]]
    messages: dict[str, dict[str, str]]
    triggers_by_state: dict[str, frozenset[str]] = field(default_factory=dict)
    # What each state's question takes in words: state → ((trigger, meanings), …), tried in order.
    answers: dict[str, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict)
    # A digit that means "in danger" in a state that asks no digits (after hours, 2 stays "in danger").
    danger_digits: dict[str, str] = field(default_factory=dict)
    # Danger categories a state's question asks about: an answer that raises only these is an answer.
    expects: dict[str, frozenset[str]] = field(default_factory=dict)

    def compile(self, after) -> Machine:
        """Build the one shared Machine; `after(event)` runs each transition's Step."""
        machine = SharedMachine(
            model=None, states=list(self.prompts), initial=self.initial, auto_transitions=False,
            send_event=True, ignore_invalid_triggers=False,
        )
        for spec in self.transitions:
            machine.add_transition(
                spec["trigger"], spec["sources"], spec["dest"], conditions=spec["conditions"],
                after=_bind(after, spec["step"]),
            )
        return machine

    def mermaid(self) -> str:
        """Return the flow as a Mermaid state diagram."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        lines += [f"    [*] --> {state}: entered from outside (CLAIM)" for state in sorted(self.entered_from_outside)]
        for spec in self.transitions:
            label = spec["trigger"] + (" [" + ", ".join(spec["conditions"]) + "]" if spec["conditions"] else "")
            for source in spec["sources"]:
                dest = spec["dest"] or source
                lines.append(f"    {source} --> {dest}: {label}")
        return "\n".join(lines) + "\n"


class SharedMachine(Machine):
    """A Machine whose models are only driven through `events[name].trigger(model)` (the engine's carriers).

    add_model normally binds a method per trigger and per state onto each model; nothing calls them, so
    that binding is skipped.
    """

    def _add_trigger_to_model(self, trigger, model):
        pass

    def _add_model_to_state(self, state, model):
        pass


def _bind(after, step: Step):
    def run(event):
        after(event, step)
    return run


def load_flow(path: Path, meanings: frozenset[str] | None = None, categories: frozenset[str] | None = None) -> Flow:
    """Read and check a flow file; any mistake raises FlowError naming the line.

    `meanings` are those bot/understanding.py reads; a state's `answers` may name only these.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise FlowError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FlowError(f"{path}: expected a mapping with states, transitions and messages")
    here = Where(path)
    states = read_states(data.get("states"), here)
    messages = read_messages(data.get("messages"), here)
    initial = data.get("initial")
    if initial not in states:
        raise FlowError(here(data, f"initial state {initial!r} is not a state"))
    for name, prompt in states.items():
        if prompt is not None and prompt not in messages:
            raise FlowError(here(data["states"][name], f"state {name!r}: prompt {prompt!r} is not a message"))
    transitions = [spec for raw in data.get("transitions") or [] for spec in _transitions(raw, states, messages, here)]
    if not transitions:
        raise FlowError(here(data, "no transitions"))
    outside = frozenset(n for n, spec in data["states"].items() if isinstance(spec, dict) and spec.get("entered_by"))
    flow = Flow(path, initial, states, outside, read_risks(data["states"], here), transitions, messages)
    _check_reachable(flow, data, here)
    flow.triggers_by_state = {
        s: frozenset(t["trigger"] for t in transitions if s in t["sources"]) for s in states
    }
    flow.answers = _answers(data["states"], flow.triggers_by_state, meanings, here)
    flow.danger_digits = {name: str(spec["danger_digit"]) for name, spec in data["states"].items()
                          if isinstance(spec, dict) and "danger_digit" in spec}
    flow.expects = {name: frozenset(spec["expects"]) for name, spec in data["states"].items()
                    if isinstance(spec, dict) and isinstance(spec.get("expects"), list)}
    known = (meanings or frozenset()) | (categories or frozenset())
    for name, expected in flow.expects.items():
        unknown = sorted(expected - known) if meanings is not None else []
        if unknown:
            raise FlowError(here(data["states"][name], f"state {name!r}: expects unknown {unknown[0]!r}"))
    return flow


def _transitions(raw: Any, states: dict, messages: dict, here: Where) -> list[dict[str, Any]]:
    """One transition per trigger: `trigger: [yes, no]` is two transitions that do the same."""
    if not isinstance(raw, dict):
        raise FlowError(here(raw, "each transition must be a mapping"))
    triggers = raw.get("trigger")
    return [_transition(raw, trigger, states, messages, here)
            for trigger in (triggers if isinstance(triggers, list) else [triggers])]


def _transition(raw: dict, trigger: Any, states: dict, messages: dict, here: Where) -> dict[str, Any]:
    if trigger not in TRIGGERS:
        raise FlowError(here(raw, f"unknown trigger {trigger!r} (known: {', '.join(TRIGGERS)})"))
    sources = _sources(raw, states, here)
    dest = raw.get("dest")
    if dest == "same":
        dest = None
    elif dest not in states:
        raise FlowError(here(raw, f"unknown state {dest!r} as dest"))
    conditions = raw.get("conditions") or []
    conditions = [conditions] if isinstance(conditions, str) else list(conditions)
    for condition in conditions:
        if condition not in CONDITIONS:
            raise FlowError(here(raw, f"unknown condition {condition!r}"))
    say = raw.get("say") or []
    for key in say:
        if key not in messages:
            raise FlowError(here(raw, f"unknown message {key!r} in say"))
    record = raw.get("record") or {}
    step = Step(
        say=tuple(say),
        actions=tuple(_action(a, raw, here) for a in raw.get("do") or []),
        record=tuple((str(k), str(v)) for k, v in record.items() if k != "__line__"),
    )
    return {"trigger": trigger, "sources": sources, "dest": dest, "conditions": conditions, "step": step,
            "line": raw.get("__line__")}


def _sources(raw: dict, states: dict, here: Where) -> list[str]:
    source = raw.get("source")
    excluded = raw.get("except") or []
    for name in excluded:
        if name not in states:
            raise FlowError(here(raw, f"unknown state {name!r} in except"))
    if source == "*":
        return [s for s in states if s not in excluded]
    sources = [source] if isinstance(source, str) else list(source or [])
    for name in sources:
        if name not in states:
            raise FlowError(here(raw, f"unknown state {name!r} as source"))
    if not sources:
        raise FlowError(here(raw, "transition has no source"))
    return sources


def _action(raw: Any, transition: dict, here: Where) -> tuple[str, Any]:
    if isinstance(raw, str) and raw in PLAIN_ACTIONS:
        return raw, None
    if isinstance(raw, dict):
        items = [(k, v) for k, v in raw.items() if k != "__line__"]
        if len(items) == 1:
            name, value = items[0]
            if name in ACTIONS_WITH_PRIORITY and value in PRIORITIES:
                return name, value
            if name in ACTIONS_WITH_FLAG and isinstance(value, bool):
                return name, value
            if value in ACTIONS_WITH_EVENT.get(name, ()):
                return name, value
    raise FlowError(here(transition, f"unknown action {raw!r}"))


def _answers(raw: dict, triggers: dict[str, frozenset[str]], meanings: frozenset[str] | None,
             here: Where) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    out = {}
    for name, spec in raw.items():
        if name == "__line__" or not isinstance(spec, dict) or "answers" not in spec:
            continue
        answers = spec["answers"]
        if not isinstance(answers, dict):
            raise FlowError(here(spec, f"state {name!r}: answers must map triggers to lists of meanings"))
        pairs = []
        for trigger, wanted in answers.items():
            if trigger == "__line__":
                continue
            if trigger not in triggers[name]:
                raise FlowError(here(answers, f"state {name!r}: answer {trigger!r} has no transition from it"))
            if not isinstance(wanted, list) or not wanted:
                raise FlowError(here(answers, f"state {name!r}: answer {trigger!r} must list meanings"))
            unknown = [m for m in wanted if meanings is not None and m not in meanings]
            if unknown:
                raise FlowError(here(answers, f"state {name!r}: unknown meaning {unknown[0]!r} "
                                              "(see flows/understanding.yaml)"))
            pairs.append((trigger, frozenset(wanted)))
        out[name] = tuple(pairs)
    return out


def _check_reachable(flow: Flow, data: dict, here: Where) -> None:
    seen = {flow.initial, *flow.entered_from_outside}
    frontier = list(seen)
    while frontier:
        state = frontier.pop()
        for spec in flow.transitions:
            if state in spec["sources"] and spec["dest"] and spec["dest"] not in seen:
                seen.add(spec["dest"])
                frontier.append(spec["dest"])
    for name in flow.prompts:
        if name not in seen:
            raise FlowError(here(data["states"][name], f"state {name!r} can never be reached from {flow.initial!r}"))
