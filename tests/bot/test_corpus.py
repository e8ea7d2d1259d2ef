"""Understanding measured on the corpus in tests/bot/corpus.yaml (texts as people write them, both languages).

Fails when danger recall, false alarms or free-text answers miss their targets; `python bench/understanding.py
--misses` lists which texts were missed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.understanding import CORPUS, LANGS, QUESTIONS, TARGETS, load, score
from bot.engine import Engine
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    return score(Engine(load_content(ROOT / "config")), load(CORPUS))


def test_the_corpus_is_big_enough_and_half_danger():
    corpus = load(CORPUS)
    danger = sum(len(texts) for by_lang in corpus["danger"].values() for texts in by_lang.values())
    benign = sum(len(texts) for texts in corpus["benign"].values())
    assert danger + benign >= 400 and 0.4 <= danger / (danger + benign) <= 0.6
    for category, by_lang in corpus["danger"].items():
        assert all(len(by_lang[lang]) >= 5 for lang in LANGS), category


@pytest.mark.parametrize("lang", LANGS)
def test_danger_recall(report, lang):
    recall = report.recall_of(lang)
    assert recall.rate >= TARGETS["recall"], recall.misses


@pytest.mark.parametrize("lang", LANGS)
def test_false_alarms(report, lang):
    benign = report.false_alarms_of(lang)
    assert 1 - benign.rate <= TARGETS["false_alarms"], benign.misses


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_free_text_answers_understood_at_every_question(report, question):
    answers = report.answers_of(question)
    assert answers.total >= 20 and answers.rate >= TARGETS["answers"], answers.misses
