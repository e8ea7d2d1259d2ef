"""How well the bot understands people's own words, and what it costs: `python bench/understanding.py`.

Prints, per language and per danger category, recall and false alarms on the corpus in
tests/bot/corpus.yaml; free-text answers understood at every question the bot asks; µs per message.
The same figures on sets of texts written apart from the rules show how far they carry beyond the corpus;
HELDOUT in bench/heldout_sets.py says how each set has been used. A set read to improve the rules flatters them:
only the figures on a set never read are honest, and the newest sets are kept outside the repo until they have
measured a round.
tests/bot/test_corpus.py fails when the corpus misses a target.
"""
from __future__ import annotations

import gc
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as `python bench/understanding.py`
    sys.path.insert(0, str(REPO))

from bench import engine_step  # noqa: E402
from bench.heldout_sets import HELDOUT  # noqa: E402
from bot.conversation import Conversation, Inbound, Priority  # noqa: E402
from bot.engine import Engine  # noqa: E402
from config.content import load_content  # noqa: E402

CORPUS = REPO / "tests" / "bot" / "corpus.yaml"
LANGS = ("en", "es")
TARGETS = {"recall": 0.98, "false_alarms": 0.03, "answers": 0.95}
DANGER = frozenset({"danger", "danger_quiet"})
# Each question in the corpus: the state that asks it, and the triggers that carry each meaning.
QUESTIONS = {
    "safety_check": ("safety_check", {"talk": {"choice_1"}, "danger": DANGER | {"choice_2"},
                                      "cant_talk": {"choice_3", "quiet"}}),
    "needs": ("needs", {"place": {"choice_1"}, "person": {"choice_2", "ask_person"}, "food": {"choice_3"},
                        "medical": {"choice_3"}, "legal": {"choice_3"}, "immigration": {"choice_3"}}),
    "safe_place": ("danger_offer", {"yes": {"yes"}, "no": {"no"}}),
    "offer_advocate": ("offer_advocate", {"yes": {"yes", "ask_person"}, "no": {"no"}}),
    "triage_shelter": ("triage_shelter", {"yes": {"yes"}, "no": {"no"}}),
    "triage_age": ("triage_age", {"yes": {"yes"}, "no": {"no"}}),
    "triage_hurt": ("triage_hurt", {"yes": {"yes"}, "no": {"no"}}),
    # "no, he reads my phone": danger said with a reason not to text, so nobody texts first either way.
    "triage_contact": ("triage_contact", {"yes": {"yes"}, "no": {"no", "danger_quiet"}}),
    "triage_window": ("triage_window", {"morning": {"choice_1"}, "afternoon": {"choice_2"}, "evening": {"choice_3"},
                                        "they_text": {"choice_4"}}),
}
# States asked while a request is already open, at the priority that opened it.
OPEN_AT = {"danger_offer": Priority.URGENT, "offer_advocate": Priority.NORMAL}
NEEDS = ("food", "medical", "legal", "immigration")


@dataclass
class Score:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, text: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(text)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class Report:
    recall: dict[tuple[str, str], Score]          # (lang, category) → danger found
    false_alarms: dict[str, Score]                # lang → benign texts read as danger
    answers: dict[tuple[str, str], Score]         # (question, lang) → answers understood
    # (lang, category) → benign texts that raised it: which categories the false alarms come from
    false_alarm_categories: dict[tuple[str, str], int] = field(default_factory=dict)
    # (lang, category written) → what was read in its texts, counted ("none" when no danger at all)
    confusion: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    def recall_of(self, lang: str | None = None) -> Score:
        return _sum(s for (l, _), s in self.recall.items() if lang in (None, l))

    def false_alarms_of(self, lang: str | None = None) -> Score:
        return _sum(s for l, s in self.false_alarms.items() if lang in (None, l))

    def answers_of(self, question: str) -> Score:
        return _sum(s for (q, _), s in self.answers.items() if q == question)


def _sum(scores) -> Score:
    total = Score()
    for s in scores:
        total.hits, total.total, total.misses = total.hits + s.hits, total.total + s.total, total.misses + s.misses
    return total


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def is_danger(engine: Engine, text: str) -> bool:
    trigger, reading = engine.read(text, conv=Conversation(key="k", address="+15555550100", state="new"))
    return bool(reading.danger) or trigger in DANGER


def understood(engine: Engine, question: str, meaning: str, text: str) -> bool:
    state, carriers = QUESTIONS[question]
    conv = Conversation(key="k", address="+15555550100", state=state, priority=OPEN_AT.get(state))
    trigger, reading = engine.read(text, conv=conv)
    if trigger not in carriers[meaning]:
        return False
    # "Other help" must also know which help: food, medical, legal or immigration each has its own lines.
    return meaning not in NEEDS or meaning in reading.meanings


def score(engine: Engine, corpus: dict) -> Report:
    recall: dict[tuple[str, str], Score] = defaultdict(Score)
    danger = corpus["danger"]
    if all(lang in danger for lang in LANGS) and not isinstance(danger[LANGS[0]], dict):
        danger = {"all": danger}  # the held-out set is not split by category
    confusion: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for category, by_lang in danger.items():
        for lang in LANGS:
            for text in by_lang.get(lang, ()):
                recall[(lang, category)].add(is_danger(engine, text), text)
                read = engine.understanding.read(text).categories
                confusion[(lang, category)][category if category in read else (read[0] if read else "none")] += 1
    false_alarms: dict[str, Score] = defaultdict(Score)
    raised: dict[tuple[str, str], int] = defaultdict(int)
    for lang in LANGS:
        for text in corpus["benign"].get(lang, ()):
            categories = engine.read(text, conv=Conversation(key="k", address="+15555550100"))[1].categories
            false_alarms[lang].add(not categories, text)
            for category in categories:
                raised[(lang, category)] += 1
    answers: dict[tuple[str, str], Score] = defaultdict(Score)
    for question, meanings in (corpus.get("answers") or {}).items():
        for meaning, by_lang in meanings.items():
            for lang in LANGS:
                for text in by_lang.get(lang, ()):
                    answers[(question, lang)].add(understood(engine, question, meaning, text), f"{meaning}: {text}")
    return Report(dict(recall), dict(false_alarms), dict(answers), dict(raised),
                  {k: dict(v) for k, v in confusion.items()})


def us_per_message(engine: Engine, texts: list[str], rounds: int = 5) -> tuple[float, float, float]:
    """µs to read one message, and µs for a whole engine step (understanding included), caches warm; and
    a step with the CPU caches flushed before it, as inside a real request (bench/engine_step.py)."""
    conv = Conversation(key="k", address="+15555550100", state="safety_check", created_at=1.0)
    gc.collect()
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            engine.read(text, conv=conv)
    read_us = (time.perf_counter() - started) / (rounds * len(texts)) * 1e6
    started = time.perf_counter()
    for _ in range(rounds):
        for i, text in enumerate(texts):
            engine.step(conv, Inbound(f"SM{i}", conv.address, text), 2.0)
    step_us = (time.perf_counter() - started) / (rounds * len(texts)) * 1e6
    cold_us = engine_step.cold_step_us(engine, [(conv, Inbound(f"SM{i}", conv.address, t), 2.0) for i, t in enumerate(texts)])
    return read_us, step_us, cold_us


def _line(label: str, s: Score, target: float | None = None, lower_is_better: bool = False) -> str:
    rate = 1 - s.rate if lower_is_better else s.rate
    mark = ""
    if target is not None:
        mark = "ok" if (rate <= target if lower_is_better else rate >= target) else "MISS"
        mark = f"target {'<=' if lower_is_better else '>='} {target:.2f}  {mark}"
    return f"  {label:<34} {rate:6.3f}  ({s.total - s.hits if lower_is_better else s.hits}/{s.total})  {mark}"


def print_report(title: str, report: Report, show_misses: bool) -> None:
    print(title)
    for lang in LANGS:
        print(_line(f"danger recall, {lang}", report.recall_of(lang), TARGETS["recall"]))
    for lang in LANGS:
        print(_line(f"false alarms, {lang}", report.false_alarms_of(lang), TARGETS["false_alarms"], True))
    categories = sorted({c for _, c in report.recall})
    if categories != ["all"]:
        print("  recall per category (en / es):")
        for category in categories:
            en, es = report.recall.get(("en", category), Score()), report.recall.get(("es", category), Score())
            print(f"    {category:<20} {en.rate:5.2f} ({en.hits}/{en.total})   {es.rate:5.2f} ({es.hits}/{es.total})")
    if categories != ["all"] and report.confusion:
        print("  per category, what its texts were read as (en | es):")
        for category in categories:
            cells = [", ".join(f"{read} {n}" for read, n in sorted(report.confusion.get((lang, category), {}).items(),
                                                                     key=lambda kv: (kv[0] != category, -kv[1])))
                     for lang in LANGS]
            print(f"    {category:<20} {cells[0]}  |  {cells[1]}")
    if report.false_alarm_categories:
        raised = ", ".join(f"{c} {lang} {n}" for (lang, c), n in sorted(report.false_alarm_categories.items()))
        print(f"  false alarms by the category they raised: {raised}")
    questions = sorted({q for q, _ in report.answers})
    if questions:
        print("  free-text answers understood, per question:")
        for question in questions:
            print(_line(f"  {question}", report.answers_of(question), TARGETS["answers"]))
    if show_misses:
        for (lang, category), s in sorted(report.recall.items()):
            for text in s.misses:
                print(f"    MISSED danger [{lang} {category}] {text}")
        for lang, s in report.false_alarms.items():
            for text in s.misses:
                print(f"    FALSE ALARM [{lang}] {text}")
        for (question, lang), s in sorted(report.answers.items()):
            for text in s.misses:
                print(f"    NOT UNDERSTOOD [{question} {lang}] {text}")


def print_must_catch(engine: Engine, every_form: bool) -> None:
    """The must-catch list (flows/understanding.yaml): forms per category and language, each checked at start-up."""
    forms = engine.understanding.must_catch_forms()
    counts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for category, lang, form in forms:
        counts[(category, lang)].append(form)
    print(f"must-catch: {len(forms)} forms, every one read as danger in its category (checked at start-up); "
          f"{'all of them' if every_form else 'two of each; --must-catch lists all'}:")
    for (category, lang), listed in sorted(counts.items()):
        shown = listed if every_form else listed[:: max(1, len(listed) // 2)][:2]
        print(f"  {category:<14} {lang} {len(listed):5}  " + " | ".join(shown))


def main() -> None:
    show_misses = "--misses" in sys.argv
    engine = Engine(load_content(REPO / "config"))
    engine.understanding.remember(0)  # every text read afresh, as the µs per message below must be
    corpus = load(CORPUS)
    print_report(f"corpus ({CORPUS.relative_to(REPO)})", score(engine, corpus), show_misses)
    for path, how, _ in HELDOUT:
        if not path.exists():
            continue
        print_report(f"held out ({path.relative_to(REPO)}: {how})", score(engine, load(path)), show_misses)
    print_must_catch(engine, "--must-catch" in sys.argv)
    texts = [t for by_lang in corpus["danger"].values() for lang in LANGS for t in by_lang.get(lang, ())]
    texts += [t for lang in LANGS for t in corpus["benign"].get(lang, ())]
    read_us, step_us, cold_us = us_per_message(engine, texts)
    print(f"µs per message, over {len(texts)} corpus texts: understanding {read_us:.1f} µs; whole engine step "
          f"{step_us:.1f} µs, {cold_us:.1f} µs with the CPU caches flushed (target <= 300 µs)  "
          f"{'ok' if max(step_us, cold_us) <= 300 else 'MISS'}")


if __name__ == "__main__":
    main()
