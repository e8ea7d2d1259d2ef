"""`flask --app app simulate` on the embedded default: chat with the bot, see the pages it would send."""
from __future__ import annotations

import logging

from tests.apps import create_app
from config.settings import load_settings
from tests.conftest import environ_for


def simulate(tmp_path, typed: str):
    settings = load_settings(environ_for(None, TWILIO_ACCOUNT_SID="", TWILIO_AUTH_TOKEN=""), dotenv=False)
    runner = create_app(settings).test_cli_runner()
    return runner.invoke(args=["simulate", "--log-file", str(tmp_path / "simulate.log")], input=typed)


def test_simulate_chats_and_shows_the_pages_it_would_send(tmp_path):
    result = simulate(tmp_path, "hello\n2\nno\n\n")
    assert result.exit_code == 0, result.output
    assert "Are you safe to talk?" in result.output and "Call 911 now if you can." in result.output
    assert "(would text advocate alexis demo" in result.output and "Lantern: URGENT request" in result.output
    assert "1 waiting" in result.output


def test_logs_go_to_a_file_not_between_the_lines_of_the_chat(tmp_path, capsys):
    result = simulate(tmp_path, "hello\nhe hits me\n\n")
    assert result.exit_code == 0, result.output
    chat = result.output + capsys.readouterr().err
    assert " INFO " not in chat and "conv=" not in chat  # what the terminal showed: the conversation only
    logged = (tmp_path / "simulate.log").read_text()
    assert "bot.service message conv=" in logged and "hits me" not in logged and "5555550100" not in logged
    assert any(getattr(h, "_lantern", False) for h in logging.getLogger().handlers)  # the terminal's, back after
