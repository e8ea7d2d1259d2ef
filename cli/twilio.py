"""`flask --app app twilio connect [--check]`: point the hotline number (or its Messaging Service) at Lantern.

It sets the webhook for incoming messages, the fallback and the status callback from PUBLIC_BASE_URL,
through Twilio's REST API, and prints what it changed; --check only reports what is set and what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import click
import requests
from flask.cli import with_appcontext
from twilio.base.exceptions import TwilioException, TwilioRestException

from messaging.sender import rest_client
from cli.dependencies import cli_dependencies

HELP_NOTE = ("Twilio answers HELP itself with your account's business name unless its Advanced Opt-Out HELP "
             "reply is changed (the API can't read it): see the README's 'Connecting Twilio'.")


@dataclass(frozen=True)
class Setting:
    label: str
    field: str
    wanted: object

    def shown(self, value: object) -> str:
        return "(not set)" if value in (None, "") else str(value)


class Target:
    """The number or Messaging Service Twilio routes the hotline's messages by."""

    def __init__(self, name: str, settings: list[Setting], read, write, problems: list[str] | None = None):
        self.name, self.settings, self.read, self.write = name, settings, read, write
        self.problems = problems or []


@click.group("twilio")
def twilio() -> None:
    """Connect the hotline's Twilio number to Lantern."""


@twilio.command("connect")
@click.option("--check", is_flag=True, help="Report what is set now and what is wrong; change nothing.")
@with_appcontext
def connect(check: bool) -> None:
    """Set the number's (or Messaging Service's) webhooks, fallback and status callback from PUBLIC_BASE_URL."""
    settings = cli_dependencies().settings
    _refuse_incomplete(settings)
    client = rest_client(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base)
    try:
        target = _target(client, settings)
        current = target.read()
        wrong = [s for s in target.settings if current.get(s.field) != s.wanted]
        if check:
            raise SystemExit(_report(target, current, wrong, _base_url_problems(settings.public_base_url)))
        refused = _base_url_problems(settings.public_base_url)
        if refused:
            raise click.ClickException(refused[0] + " Nothing was changed.")
        if wrong:
            target.write({s.field: s.wanted for s in wrong})
    except TwilioRestException as exc:
        raise click.ClickException(_twilio_refusal(exc)) from None
    except TwilioException as exc:  # a list's page refused: the response rides in its arguments
        raise click.ClickException(_page_refusal(exc)) from None
    except requests.RequestException as exc:
        raise click.ClickException(f"Twilio could not be reached ({type(exc).__name__}): nothing was changed.") from None
    _print_changes(target, current, wrong)
    if target.problems:
        raise SystemExit(1)


def _refuse_incomplete(settings) -> None:
    missing = [name for name, value in (("TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
                                        ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
                                        ("TWILIO_NUMBER", settings.twilio_number)) if not value]
    if missing:
        raise click.ClickException("Set " + ", ".join(missing) + " first (in the environment or .env).")


def _base_url_problems(base: str) -> list[str]:
    url = urlsplit(base)
    if url.scheme != "https" or not url.hostname or url.hostname in ("localhost", "127.0.0.1", "::1"):
        return [f"PUBLIC_BASE_URL is {base}: Twilio needs the public https address it will post to "
                "(https://lantern.example.org)."]
    return []


def _target(client, settings) -> Target:
    base = settings.public_base_url
    if settings.twilio_messaging_service_sid:
        return _service_target(client, settings.twilio_messaging_service_sid, settings.twilio_number, base)
    return _number_target(client, settings.twilio_number, base)


def _number_target(client, number: str, base: str) -> Target:
    found = client.incoming_phone_numbers.list(phone_number=number, limit=2)
    if not found:
        raise click.ClickException(f"TWILIO_NUMBER {number} is not a phone number of this Twilio account.")
    sid = found[0].sid
    settings = [
        Setting("A message comes in", "sms_url", base + "/webhooks/sms"),
        Setting("  its method", "sms_method", "POST"),
        Setting("Primary handler fails", "sms_fallback_url", base + "/webhooks/fallback"),
        Setting("  its method", "sms_fallback_method", "POST"),
        Setting("Status callback", "status_callback", base + "/webhooks/status"),
        Setting("  its method", "status_callback_method", "POST"),
        # A TwiML App on the number overrides every URL above: connect takes it off.
        Setting("TwiML App for messages (overrides the URLs)", "sms_application_sid", ""),
    ] + voice_settings(base)

    def read() -> dict:
        instance = client.incoming_phone_numbers(sid).fetch()
        return {s.field: getattr(instance, s.field) or "" for s in settings}

    def write(changes: dict) -> None:
        client.incoming_phone_numbers(sid).update(**changes)

    return Target(f"Hotline number {number} ({sid})", settings, read, write)


def voice_settings(base: str) -> list[Setting]:
    """Calls to the same number: answered by /webhooks/voice (911, then a masked forward; nothing recorded)."""
    return [
        Setting("A call comes in", "voice_url", base + "/webhooks/voice"),
        Setting("  its method", "voice_method", "POST"),
        Setting("Call handler fails", "voice_fallback_url", base + "/webhooks/voice/fallback"),
        Setting("  its method", "voice_fallback_method", "POST"),
        Setting("TwiML App for calls (overrides the voice URL)", "voice_application_sid", ""),
    ]


def _service_target(client, service_sid: str, number: str, base: str) -> Target:
    service = client.messaging.v1.services(service_sid)
    settings = [
        Setting("A message comes in", "inbound_request_url", base + "/webhooks/sms"),
        Setting("  its method", "inbound_method", "POST"),
        Setting("Primary handler fails", "fallback_url", base + "/webhooks/fallback"),
        Setting("  its method", "fallback_method", "POST"),
        Setting("Status callback", "status_callback", base + "/webhooks/status"),
        # True would send the number's own webhook instead of the service's.
        Setting("Use the number's own webhook instead", "use_inbound_webhook_on_number", False),
    ]
    numbers = [n.phone_number for n in service.phone_numbers.list(limit=400)]
    problems = [] if number in numbers else [
        f"TWILIO_NUMBER {number} is not in Messaging Service {service_sid}: add it there (Sender Pool), or "
        "unset TWILIO_MESSAGING_SERVICE_SID to connect the number itself."]

    voice, own_settings = _number_voice(client, number, base), list(settings)

    def read() -> dict:
        instance = service.fetch()
        return {**{s.field: getattr(instance, s.field) if s.field == "use_inbound_webhook_on_number"
                   else getattr(instance, s.field) or "" for s in own_settings}, **(voice.read() if voice else {})}

    def write(changes: dict) -> None:
        own = {k: v for k, v in changes.items() if not k.startswith("voice_")}
        if own:
            service.update(**own)
        if voice and len(own) < len(changes):
            voice.write({k: v for k, v in changes.items() if k.startswith("voice_")})

    settings = settings + (voice.settings if voice else [])
    return Target(f"Messaging Service {service_sid} (hotline number {number})", settings, read, write, problems)


def _number_voice(client, number: str, base: str) -> Target | None:
    """Calls go to the number itself, whatever routes its messages: its voice settings, if it is this account's."""
    found = client.incoming_phone_numbers.list(phone_number=number, limit=2)
    if not found:
        return None
    sid, settings = found[0].sid, voice_settings(base)

    def read() -> dict:
        instance = client.incoming_phone_numbers(sid).fetch()
        return {s.field: getattr(instance, s.field) or "" for s in settings}

    return Target("", settings, read, lambda changes: client.incoming_phone_numbers(sid).update(**changes))


def _report(target: Target, current: dict, wrong: list[Setting], base_problems: list[str]) -> int:
    click.echo(target.name + ":")
    for setting in target.settings:
        now = setting.shown(current.get(setting.field))
        if setting in wrong:
            click.echo(f"  WRONG {setting.label} ({setting.field}): {now}; should be {setting.shown(setting.wanted)}")
        else:
            click.echo(f"  ok    {setting.label} ({setting.field}): {now}")
    problems = base_problems + target.problems
    for problem in problems:
        click.echo("  PROBLEM " + problem)
    click.echo(HELP_NOTE)
    count = len(wrong) + len(problems)
    if count:
        click.echo(f"{count} to fix" + (": `flask --app app twilio connect` sets the settings marked WRONG."
                                       if wrong else "."))
        return 1
    click.echo("Everything is connected.")
    return 0


def _print_changes(target: Target, current: dict, changed: list[Setting]) -> None:
    click.echo(target.name + ":")
    for setting in target.settings:
        if setting in changed:
            click.echo(f"  changed {setting.label} ({setting.field}): {setting.shown(current.get(setting.field))} "
                       f"-> {setting.shown(setting.wanted)}")
        else:
            click.echo(f"  already {setting.label} ({setting.field}): {setting.shown(setting.wanted)}")
    for problem in target.problems:
        click.echo("  PROBLEM " + problem)
    click.echo(f"Changed {len(changed)} setting(s)." if changed else "Nothing to change: already connected.")
    click.echo(HELP_NOTE)


def _page_refusal(exc: TwilioException) -> str:
    response = exc.args[1] if len(exc.args) > 1 else None
    status = getattr(response, "status_code", None)
    if status is None:
        return f"Twilio's answer could not be read ({exc.args[0] if exc.args else 'no detail'}). Nothing was changed."
    return _twilio_refusal(TwilioRestException(status, "", msg=""))


def _twilio_refusal(exc: TwilioRestException) -> str:
    if exc.status == 401:
        return "Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (error 20003): check them. Nothing was changed."
    if exc.status == 404:
        return ("Twilio has no such resource on this account (is TWILIO_MESSAGING_SERVICE_SID right?). "
                "Nothing was changed.")
    return f"Twilio refused (HTTP {exc.status}, error {exc.code}). Nothing was changed."
