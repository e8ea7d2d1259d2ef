"""The safe-places page: everyone reads tonight's state; supervisors record it."""
from __future__ import annotations

from tests.console.conftest import post


def test_supervisor_records_tonight_and_advocates_see_it(signed_in, lantern):
    morgan = signed_in("Morgan Diaz")
    response = post(morgan, "/console/shelters/eastside-motel",
                    {"beds": "2", "takes": ["women", "men"], "languages": "en, es"}, "/console/shelters")
    assert response.status_code == 302 and lantern.stores.shelters.available_tonight()
    page = signed_in("Alexis Rivera").get("/console/shelters").get_data(as_text=True)
    assert "At least one place has said it has room tonight." in page and "<strong>2</strong>" in page
    assert "women, men" in page and "Save Eastside" not in page  # advocates get no forms
    [entry] = [e for e in lantern.stores.audit.entries() if e.event == "shelters"]
    assert entry.detail == "eastside-motel: 2 tonight, takes women, men"


def test_a_bad_count_is_refused_with_the_reason_and_nothing_saved(signed_in, lantern):
    morgan = signed_in("Morgan Diaz")
    post(morgan, "/console/shelters/harbor-house", {"beds": "lots", "takes": "women", "languages": "en"},
         "/console/shelters")
    page = morgan.get("/console/shelters").get_data(as_text=True)
    assert "Not saved: Beds or rooms tonight must be a whole number from 0 to 999." in page
    assert not lantern.stores.shelters.available_tonight()
