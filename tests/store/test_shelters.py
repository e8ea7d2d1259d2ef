"""Safe places tonight: the list from config, tonight's state in Redis, a fresh start each noon."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.console_content import load_places
from config.content import ContentError
from store.exceptions import ShelterError

LA = ZoneInfo("America/Los_Angeles")


def test_the_shipped_list_loads(config_dir):
    assert [p.id for p in load_places(config_dir)] == ["harbor-house", "eastside-motel", "youth-haven"]


def test_nothing_is_available_until_someone_says_so(lantern):
    assert not lantern.stores.shelters.available_tonight()
    assert all(entry.beds is None for entry in lantern.stores.shelters.tonight())
    lantern.stores.shelters.update("harbor-house", "0", ["women"], "en", by="morgan diaz")
    assert not lantern.stores.shelters.available_tonight()  # a count of 0 is not a bed
    lantern.stores.shelters.update("eastside-motel", " 2 ", ["women", "families"], "en, es", by="morgan diaz")
    assert lantern.stores.shelters.available_tonight()
    motel = next(e for e in lantern.stores.shelters.tonight() if e.place.id == "eastside-motel")
    assert (motel.beds, motel.takes, motel.languages, motel.updated_by) == (2, ("women", "families"), ("en", "es"),
                                                                             "morgan diaz")


def test_a_night_runs_noon_to_noon_and_the_next_starts_blank(lantern):
    with time_machine.travel(datetime(2026, 3, 14, 21, 0, tzinfo=LA), tick=False) as clock:
        lantern.stores.shelters.update("harbor-house", 3, ["women"], ["en"], by="morgan diaz")
        clock.move_to(datetime(2026, 3, 15, 2, 30, tzinfo=LA))  # still the same night
        assert lantern.stores.shelters.night() == "2026-03-14" and lantern.stores.shelters.available_tonight()
        clock.move_to(datetime(2026, 3, 15, 12, 0, tzinfo=LA))
        assert lantern.stores.shelters.night() == "2026-03-15" and not lantern.stores.shelters.available_tonight()


@pytest.mark.parametrize("place, beds, takes, languages, message", [
    ("nowhere", "1", ["women"], "en", "not in shelters.yaml"),
    ("harbor-house", "two", ["women"], "en", "whole number from 0 to 999"),
    ("harbor-house", "-1", ["women"], "en", "whole number from 0 to 999"),
    ("harbor-house", "1000", ["women"], "en", "whole number from 0 to 999"),
    ("harbor-house", "1", ["pets"], "en", "among: women, men, families, minors"),
    ("harbor-house", "1", [], "en", "Tick at least one"),
    ("harbor-house", "1", ["men"], "english!", "two- or three-letter codes"),
])
def test_bad_values_are_refused_with_what_to_fix(lantern, place, beds, takes, languages, message):
    with pytest.raises(ShelterError, match=message):
        lantern.stores.shelters.update(place, beds, takes, languages, by="morgan diaz")
    assert not lantern.stores.shelters.available_tonight()


@pytest.mark.parametrize("yaml_text, message", [
    ("places: nope", "'places' must be a list"),
    ("places:\n  - {id: Bad Id, name: A, kind: shelter, area: B, takes: [women], languages: [en]}", "'id' must be"),
    ("places:\n  - {id: a, name: A, kind: castle, area: B, takes: [women], languages: [en]}", "'kind' must be"),
    ("places:\n  - {id: a, name: A, kind: hotel, area: B, takes: [pets], languages: [en]}", "'pets' is not one of"),
    ("places:\n  - {id: a, kind: hotel, area: B, takes: [men], languages: [en]}", "'name' is missing"),
    ("places:\n  - {id: a, name: A, kind: hotel, area: B, takes: [men], languages: [en]}\n"
     "  - {id: a, name: C, kind: hotel, area: B, takes: [men], languages: [en]}", "share an id"),
])
def test_a_bad_shelters_yaml_names_the_file_and_the_fault(tmp_path: Path, yaml_text, message):
    (tmp_path / "shelters.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ContentError, match=message) as caught:
        load_places(tmp_path)
    assert "shelters.yaml" in str(caught.value)
