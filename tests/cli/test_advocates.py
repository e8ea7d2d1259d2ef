"""`flask --app app advocates …`: the roster from the command line; bad input exits 1 with one line."""
from __future__ import annotations

import pytest

from tests.conftest import ALEXIS


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=["advocates", *args])
    return run


def test_add_list_toggle_remove(cli, lantern):
    result = cli("add", "--name", "Alexis Rivera", "--phone", "(213) 555-0101", "--on-call")
    assert result.exit_code == 0 and "••• 0101" in result.output
    assert lantern.stores.roster.by_phone(ALEXIS).name == "Alexis Rivera"  # normalised to E.164
    assert cli("available", "alexis rivera", "--on").exit_code == 0
    listing = cli("list").output
    assert "Alexis Rivera" in listing and "available, on-call" in listing and "2135550101" not in listing
    assert cli("on-call", "Alexis Rivera", "--off").exit_code == 0
    assert not lantern.stores.roster.named("Alexis Rivera").on_call
    assert cli("remove", "Alexis Rivera").exit_code == 0
    assert lantern.stores.roster.by_phone(ALEXIS) is None


@pytest.mark.parametrize("args, message", [
    (("add", "--name", "Sam", "--phone", "not a number"), "not a phone number"),
    (("add", "--name", "Sam", "--phone", "+1 555 0101"), "not a valid phone number"),
    (("remove", "Nobody"), "No advocate named Nobody."),
    (("available", "Nobody", "--on"), "No advocate named Nobody."),
])
def test_bad_input_exits_1_with_one_clear_line(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_duplicates_are_refused(cli):
    assert cli("add", "--name", "Alexis Rivera", "--phone", ALEXIS).exit_code == 0
    same_name = cli("add", "--name", "alexis  rivera", "--phone", "+12135550109")
    same_phone = cli("add", "--name", "Sam Okafor", "--phone", "213-555-0101")
    assert (same_name.exit_code, same_phone.exit_code) == (1, 1)
    assert "already on the roster" in same_name.output and "already on the roster" in same_phone.output


def test_an_advocate_texting_the_hotline_is_never_a_survivor(cli, make_texter, lantern):
    cli("add", "--name", "Alexis Rivera", "--phone", ALEXIS)
    assert make_texter(ALEXIS).send("hello") == [
        "You have no conversation open. LIST shows the waiting requests."]
    assert lantern.stores.store.get(lantern.stores.store.conversation_key(ALEXIS)) is None
    assert lantern.stores.store.waiting_requests() == []
