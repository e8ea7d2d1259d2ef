"""The held-out sets bench/understanding.py measures and how each has been used (issue 19's rounds)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Each set was written by someone who never saw the rules: the path, how it has been used, and whether the
# backstop model trains on it (bench/train_danger_model.py). Sets read to improve the rules flatter them;
# only the figures on the sets never read, never trained on, are honest.
HELDOUT = (
    (REPO / "bench" / "heldout.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_fresh.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_final.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_last.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_v5.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_v6.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_v7.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_v8.yaml", "written apart; read to improve the rules after its first run", True),
    (REPO / "bench" / "heldout_v9.yaml", "written apart; never read, but its false alarms' categories guided a change", True),
    (REPO / "bench" / "heldout_v10.yaml", "written apart; never read", True),
    (REPO / "bench" / "heldout_v11.yaml", "written apart; never read, but it chose the backstop's veto", True),
    (REPO / "bench" / "heldout_v12.yaml", "written apart; first read to improve the rules in issue 19's second round", True),
    (REPO / "bench" / "heldout_v13.yaml", "written for issue 19 before its changes; first read in its second round", True),
    (REPO / "bench" / "heldout_v14.yaml", "written for issue 19's second round before its tuning; first read in its third",
     True),
    (REPO / "bench" / "heldout_v15.yaml", "written for issue 19's third round before its tuning; first read in its fourth",
     True),
    (REPO / "bench" / "heldout_v16.yaml", "written for issue 19's fourth round before its tuning; measured once at its end "
     "(its misses seen), its misses' families fixed in the fifth round; read to tune (and trained on in) the seventh", True),
    (REPO / "bench" / "heldout_v17.yaml", "written by the lead beside issue 19's rounds; measured after each merge, "
     "read to tune (and trained on in) issue 19's seventh round", True),
    (REPO / "bench" / "heldout_v18.yaml", "written apart on 2026-12-03; read to tune (and trained on in) issue 19's "
     "fifth round", True),
    (REPO / "bench" / "heldout_v19.yaml", "written apart on 2026-12-03; the honest measure of the fifth round, then "
     "read to tune (and trained on in) issue 19's sixth", True),
    (REPO / "bench" / "heldout_v20.yaml", "written apart on 2026-12-03, kept from the sixth round's tuner (the honest "
     "measure of it); read to tune (and trained on in) issue 19's seventh round", True),
    (REPO / "bench" / "heldout_v21.yaml", "written apart on 2026-12-03; read to tune (and trained on in) issue 19's "
     "eighth round", True),
    (REPO / "bench" / "heldout_v22.yaml", "written apart on 2026-12-03; read to tune (and trained on in) issue 19's "
     "eighth round", True),
    (REPO / "bench" / "heldout_v23.yaml", "written apart on 2026-12-03 after the seventh round, kept from the eighth "
     "and the lead: the honest measure of the eighth; read to tune (and trained on in) issue 19's ninth round", True),
    (REPO / "bench" / "heldout_v24.yaml", "written apart on 2026-12-03 after the eighth round, kept from the ninth "
     "and the lead; measured before and after it, then read to tune (and trained on in) issue 19's tenth round", True),
    (REPO / "bench" / "heldout_v25.yaml", "written apart on 2026-12-04 after the ninth round; measured once untouched, "
     "then read to tune (and trained on in) issue 19's tenth round", True),
    (REPO / "bench" / "heldout_v26.yaml", "written apart on 2026-12-04 after the ninth round, kept from the tenth and "
     "the lead: the honest measure of the tenth; read to tune (and trained on in) issue 19's eleventh round", True),
    (REPO / "bench" / "heldout_v27.yaml", "written apart on 2026-12-04 after the ninth round; measured once untouched, "
     "then read to tune (and trained on in) issue 19's tenth round", True),
    (REPO / "bench" / "heldout_v28.yaml", "written apart on 2026-12-04, kept from issue 19's tenth and eleventh rounds "
     "and the lead: the honest measure of both; read to tune (and trained on in) issue 19's twelfth round", True),
    (REPO / "bench" / "heldout_v29.yaml", "written apart on 2026-12-04 after the tenth round, kept from the eleventh "
     "and the lead: the honest measure of it; read to tune (and trained on in) issue 19's twelfth round", True),
    (REPO / "bench" / "heldout_v30.yaml", "written apart on 2026-12-04 after the eleventh round; measured once "
     "untouched, then read to tune (and trained on in) issue 19's twelfth round", True),
    (REPO / "bench" / "heldout_v31.yaml", "written apart on 2026-12-04 after the eleventh round; measured once "
     "untouched, then read to tune (and trained on in) issue 19's twelfth round", True),
    (REPO / "bench" / "heldout_v32.yaml", "written apart on 2026-12-04 after the eleventh round, kept from the "
     "twelfth and the lead: the honest measure of the twelfth; read to tune (and trained on in) the thirteenth", True),
    (REPO / "bench" / "heldout_v33.yaml", "written apart on 2026-12-04 after the eleventh round, kept from the "
     "twelfth and the lead: the honest measure of the twelfth; read to tune (and trained on in) the thirteenth", True),
    (REPO / "bench" / "heldout_v34.yaml", "written apart on 2026-12-04 after the eleventh round, kept from the "
     "twelfth and the lead: the honest measure of the twelfth; read to tune (and trained on in) the thirteenth", True),
    (REPO / "bench" / "heldout_v35.yaml", "written apart on 2026-12-04 after the twelfth round, kept from the "
     "thirteenth and the lead: its honest measure; read to tune (and trained on in) the fourteenth", True),
    (REPO / "bench" / "heldout_v36.yaml", "written apart on 2026-12-04 after the twelfth round, kept from the "
     "thirteenth and the lead: its honest measure; read to tune (and trained on in) the fourteenth", True),
    (REPO / "bench" / "heldout_v37.yaml", "written apart on 2026-12-04 after the thirteenth round; measured once "
     "untouched, then read to tune (and trained on in) issue 19's fourteenth round", True),
    (REPO / "bench" / "heldout_v38.yaml", "written apart on 2026-12-04 after the thirteenth round; measured once "
     "untouched, then read to tune (and trained on in) issue 19's fourteenth round", True),
    (REPO / "bench" / "heldout_v39.yaml", "written apart on 2026-12-04 after the thirteenth round, kept from the "
     "fourteenth and the lead: its honest measure; then read to tune (and trained on in) the fifteenth", True),
    (REPO / "bench" / "heldout_v40.yaml", "written apart on 2026-12-04 after the thirteenth round, kept from the "
     "fourteenth and the lead: its honest measure; then read to tune (and trained on in) the fifteenth", True),
    (REPO / "bench" / "heldout_v41.yaml", "written apart on 2026-12-04 after the thirteenth round, kept from the "
     "fourteenth and the lead: its honest measure; then read to tune (and trained on in) the fifteenth", True),
    (REPO / "bench" / "heldout_v42.yaml", "written apart on 2026-12-04 after the thirteenth round, kept from the "
     "fourteenth and the lead: its honest measure; then read to tune (and trained on in) the fifteenth", True),
    (REPO / "bench" / "heldout_v43.yaml", "written apart on 2026-12-04 during the fifteenth round, kept from it "
     "and the lead: never read, never trained on (an honest measure)", False),
    (REPO / "bench" / "heldout_v44.yaml", "written apart on 2026-12-04 during the fifteenth round, kept from it "
     "and the lead: never read, never trained on (an honest measure)", False),
)
