"""Train flows/danger_model.json, the statistical backstop of bot/danger_model.py: `python bench/train_danger_model.py`.

Texts: tests/bot/corpus.yaml (danger, benign, and every free-text answer as benign) and the held-out sets
that bench/heldout_sets.py's HELDOUT marks as trained on. The never-read sets are never trained on:
bench/understanding.py measures the result there.
The threshold is chosen by 5-fold cross-validation, repeated three times, of the model alone (the patterns
were written while reading these texts): the lowest whose false alarms, where the patterns would ask it, stay within 0.01 of all
benign texts (its share of the 0.03 target, halved: the patterns leave more new texts to it than these).
Needs scikit-learn (requirements-dev.txt); the app reads the file with the standard library only.

`--with-misreads FILE` also trains on what advocates taught (`flask --app app understanding misreads --csv`):
each paraphrase, danger unless its reading is not_danger. The model then records how many it took, beside
the fingerprint of the repo's own texts.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.understanding import CORPUS, HELDOUT, LANGS, load  # noqa: E402
from bot.danger_model import MIN_WORDS  # noqa: E402

MODEL = REPO / "flows" / "danger_model.json"
NGRAMS = (2, 5)
# Word n-grams beside the characters: "took my", "me pega", "no me deja" weigh as phrases. Chosen leaving each
# set out of the model in turn (v14 to v38) and on v39 to v42, never trained on: with (1, 2) beside the characters,
# 2 en and 5 es danger texts fewer missed of 432 each, 2 en and 5 es false alarms fewer of 440 each (at the threshold
# chosen below, 0.5), and the left-out read sets no worse ((1, 1) gained half as much, (1, 3) no more).
WORD_NGRAMS = (1, 2)
C = 4.0
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
# Cross-validated three times over (each text held out once a round, in other folds each round), its scores
# averaged: one split's luck no longer decides the threshold. With one split, the false alarms at 0.6 moved
# between 0.007 and 0.010 as texts were added, and the threshold flipped between 0.6 and 0.65 (a dozen readings
# with it); averaged, 0.6 reads 0.007 and 0.55 reads 0.012.
REPEATS = 3
# The model's share of the false-alarm target (0.03): the patterns raise false alarms of their own. Counted only
# where the patterns leave a message to the model, which they do less on these texts (written while reading
# them) than on new ones: half the 0.02 it would otherwise be.
MODEL_FALSE_ALARMS = 0.01


def labelled(data: dict, with_answers: bool) -> list[tuple[str, int]]:
    danger = data["danger"]
    groups = [danger] if isinstance(danger.get("en"), list) else list(danger.values())
    texts = [(t, 1) for group in groups for lang in LANGS for t in group.get(lang, ())]
    texts += [(t, 0) for lang in LANGS for t in data["benign"].get(lang, ())]
    if with_answers:
        for question, meanings in (data.get("answers") or {}).items():
            for meaning, by_lang in meanings.items():
                label = int(question == "safety_check" and meaning == "danger")
                texts += [(t, label) for lang in LANGS for t in by_lang.get(lang, ())]
    return texts


def training_texts() -> list[tuple[str, int]]:
    """The corpus and the held-out sets that have been read; never the last one, which measures."""
    return labelled(load(CORPUS), True) + [text for path, _, trained in HELDOUT if trained for text in labelled(load(path), False)]


def misread_texts(path: Path) -> list[tuple[str, int]]:
    """The advocates' paraphrases from a `understanding misreads --csv` export, labelled by their reading."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"reading", "paraphrase"} - set(rows[0] if rows else {"reading": "", "paraphrase": ""})
    if missing:
        raise SystemExit(f"{path}: not a misreads export (no {', '.join(sorted(missing))} column)")
    return [(row["paraphrase"], int(row["reading"] != "not_danger")) for row in rows if row["paraphrase"].strip()]


def fingerprint(texts: list[tuple[str, int]]) -> str:
    """What the shipped model was trained on: a test fails when the texts change and the model is not retrained."""
    return hashlib.sha256("\n".join(f"{label}\t{text}" for text, label in texts).encode()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train flows/danger_model.json.")
    parser.add_argument("--with-misreads", type=Path, metavar="FILE",
                        help="also train on a `flask --app app understanding misreads --csv` export")
    parser.add_argument("--out", type=Path, default=MODEL, help=f"where to write the model (default {MODEL.name})")
    args = parser.parse_args(argv)
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RepeatedStratifiedKFold

    from bot.understanding import Understanding

    patterns = Understanding.load(REPO / "flows" / "understanding.yaml")  # the patterns alone, no model
    repo_texts = training_texts()
    taught = misread_texts(args.with_misreads) if args.with_misreads else []
    texts = repo_texts + taught
    read = [" ".join(patterns.words(t).surface) for t, _ in texts]
    labels = np.array([label for _, label in texts])

    def fit(rows):
        vectorizer = features()
        matrix = vectorizer.fit_transform([read[i] for i in rows])
        return vectorizer, LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(matrix, labels[rows])

    held = np.zeros(len(texts))
    for train, test in RepeatedStratifiedKFold(n_splits=5, n_repeats=REPEATS, random_state=7).split(read, labels):
        vectorizer, model = fit(train)
        held[test] += model.predict_proba(vectorizer.transform([read[i] for i in test]))[:, 1] / REPEATS
    long_enough = np.array([len(r.split()) >= MIN_WORDS for r in read])
    asked = long_enough & np.array([patterns.asks_model(t) for t, _ in texts])
    chosen = choose_threshold(long_enough, asked, held, labels)
    vectorizer, model = fit(np.arange(len(texts)))
    write_model(args.out, vectorizer, model, chosen, repo_texts, taught)


def features(min_df: int = 2):
    """Character n-grams inside words and word n-grams, each tf-idf (sublinear) and l2-normalised on its own."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    return FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, min_df=min_df, sublinear_tf=True)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, min_df=min_df, sublinear_tf=True,
                                  token_pattern=r"\S+"))])


def choose_threshold(long_enough, asked, held, labels) -> float:
    """The patterns were written while reading these texts, so patterns and model together look better here
    than on new texts. The threshold is chosen on the model alone: the lowest whose cross-validated false
    alarms stay within its share of the target. A false alarm counts where the model would be asked (the
    patterns left the message undecided), out of every benign message of three words or more: what it adds."""
    chosen = None
    for threshold in THRESHOLDS:
        danger = held >= threshold
        false_alarms = (danger & asked & (labels == 0)).sum() / (long_enough & (labels == 0)).sum()
        recall = (danger & long_enough & (labels == 1)).sum() / (long_enough & (labels == 1)).sum()
        first = chosen is None and false_alarms <= MODEL_FALSE_ALARMS
        print(f"threshold {threshold:.2f}: model alone, cross-validated recall {recall:.3f}, "
              f"false alarms {false_alarms:.4f}{'  <- chosen' if first else ''}")
        if first:
            chosen = threshold
    return chosen or THRESHOLDS[-1]


def write_model(out: Path, union, model, chosen: float, repo_texts: list, taught: list) -> None:
    texts = len(repo_texts) + len(taught)
    chars, words = (part for _, part in union.transformer_list)
    coefficients = model.coef_[0]

    def part(vectorizer, offset: int) -> tuple[dict, dict]:
        vocabulary = vectorizer.vocabulary_
        idf = {gram: round(float(vectorizer.idf_[i]), 5) for gram, i in vocabulary.items()}
        weight = {gram: round(float(coefficients[offset + i]), 5) for gram, i in vocabulary.items()
                  if abs(coefficients[offset + i]) >= 1e-4}
        return idf, weight
    idf, weight = part(chars, 0)
    word_idf, word_weight = part(words, len(chars.vocabulary_))
    out.write_text(json.dumps({
        "about": "bot/danger_model.py reads this; `python bench/train_danger_model.py` writes it. Do not edit.",
        "trained_on": fingerprint(repo_texts), "misreads": {"count": len(taught), "fingerprint": fingerprint(taught)},
        "ngram_range": list(chars.ngram_range), "word_ngram_range": list(words.ngram_range), "threshold": chosen,
        "intercept": round(float(model.intercept_[0]), 5), "idf": idf, "weight": weight,
        "word_idf": word_idf, "word_weight": word_weight,
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"threshold {chosen}, {len(idf)} character and {len(word_idf)} word n-grams, {texts} texts "
          f"({len(taught)} misreads) -> {out}")


if __name__ == "__main__":
    main()
