"""`flask --app app simulate` on the embedded default: chat with the bot, see the pages it would send."""
from __future__ import annotations

from app import create_app
from config.settings import load_settings
from tests.conftest import environ_for


def test_simulate_chats_and_shows_the_pages_it_would_send():
    settings = load_settings(environ_for(None, TWILIO_ACCOUNT_SID="", TWILIO_AUTH_TOKEN=""), dotenv=False)
    runner = create_app(settings).test_cli_runner()
    result = runner.invoke(args=["simulate"], input="hello\n2\nno\n\n")
    assert result.exit_code == 0, result.output
    assert "Are you safe to talk?" in result.output and "Call 911 now if you can." in result.output
    assert "(would text advocate alexis demo" in result.output and "Lantern: URGENT request" in result.output
    assert "1 waiting" in result.output
