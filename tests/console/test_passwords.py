"""Console passwords: Argon2id, at least 12 characters, no composition rules; set from the command line."""
from __future__ import annotations

import pytest

from store.credentials import check_password_rules
from store.exceptions import PasswordRejected
from store.keys import ROSTER_PASSWORDS
from tests.console.conftest import sign_in


@pytest.mark.parametrize("password", ["twelve chars", "alllowercaseletters", "correct horse battery staple",
                                      "ñandú ñandú ñ", "123456789012"])
def test_any_twelve_characters_will_do(password):
    assert check_password_rules(password) == password


@pytest.mark.parametrize("password, words", [
    ("", "at least 12 characters; that one has 0"),
    ("Sh0rt!Pass", "at least 12 characters; that one has 10"),
    ("x" * 257, "at most 256 characters"),
    ("Alexis  Rivera", "can't be your own name"),
])
def test_a_password_breaking_a_rule_is_refused_with_the_rule(password, words):
    with pytest.raises(PasswordRejected, match=words):
        check_password_rules(password, "Alexis Rivera")


def test_passwords_are_kept_as_argon2id_hashes_only(lantern, advocates, raw_redis):
    stored = raw_redis.hget(ROSTER_PASSWORDS, "alexis rivera").decode()
    assert stored.startswith("$argon2id$") and "passphrase" not in stored


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(args=["advocates", *args], input=input)
    return run


def test_set_password_prompts_twice_without_echo(cli, app, roster):
    result = cli("set-password", "riley chen", input="riley's new passphrase\nriley's new passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Password set for Riley Chen" in result.output and "riley's new passphrase" not in result.output
    assert sign_in(app.test_client(), "Riley Chen", "riley's new passphrase").status_code == 302


def test_set_password_from_stdin_for_scripts(cli, app, roster, lantern):
    result = cli("set-password", "Riley Chen", "--password-stdin", input="piped in passphrase\n")
    assert result.exit_code == 0
    assert sign_in(app.test_client(), "Riley Chen", "piped in passphrase").status_code == 302
    [entry] = [e for e in lantern.stores.audit.entries() if e.event == "password"]
    assert (entry.advocate, entry.via) == ("riley chen", "cli")


@pytest.mark.parametrize("args, stdin, message", [
    (("set-password", "Riley Chen", "--password-stdin"), "too short\n", "at least 12 characters"),
    (("set-password", "Nobody", "--password-stdin"), "long enough passphrase\n", "No advocate named Nobody."),
])
def test_set_password_bad_input_exits_1_with_one_clear_line(cli, roster, args, stdin, message):
    result = cli(*args, input=stdin)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_roster_changes_are_audited(cli, lantern):
    cli("add", "--name", "Jordan Vale", "--phone", "+12135550105")
    cli("available", "Jordan Vale", "--on")
    cli("remove", "Jordan Vale")
    details = [e.detail for e in lantern.stores.audit.entries() if e.event == "roster"]
    assert details == ["removed jordan vale", "jordan vale: available on", "added jordan vale (advocate)"]
