"""A visitor of the web chat, through the Flask test client, as the page's script calls the endpoints."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import pytest
import yaml

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import PUBLIC_BASE_URL, environ_for

ORIGIN = PUBLIC_BASE_URL


@dataclass
class Visitor:
    client: object
    token: str | None = None
    cursor: str | None = None
    seen: list[dict] = field(default_factory=list)

    @property
    def lantern(self):
        return lantern_of(self.client.application)

    @property
    def conv_key(self) -> str:
        return self.lantern.stores.store.conversation_key("web:" + self.token)

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"Origin": ORIGIN, "X-Chat-Token": self.token or ""}
        headers.update(extra)
        return headers

    def start(self, lang: str = "en") -> list[str]:
        response = self.client.post("/chat/session", json={"lang": lang}, headers={"Origin": ORIGIN})
        assert response.status_code == 201, response.data
        self.token = response.get_json()["token"]
        return [e["text"] for e in response.get_json()["entries"]]

    def post(self, text: str, **headers: str):
        return self.client.post("/chat/messages", json={"text": text}, headers=self.headers(**headers))

    def say(self, text: str) -> list[str]:
        """What the line answered (the bot's entries), as the page shows them."""
        response = self.post(text)
        assert response.status_code == 200, response.data
        return [e["text"] for e in response.get_json()["entries"] if e["by"] == "bot"]

    def new(self) -> list[dict]:
        """Messages the tab hasn't shown yet, as the page polls for them."""
        query = f"?after={self.cursor}" if self.cursor else ""
        response = self.client.get("/chat/messages" + query, headers={"X-Chat-Token": self.token})
        assert response.status_code == 200, response.data
        entries = response.get_json()["entries"]
        if entries:
            self.cursor = entries[-1]["id"]
        self.seen += entries
        return entries

    def exit(self):
        return self.client.post("/chat/exit", headers=self.headers())


@pytest.fixture
def visitor(client) -> Visitor:
    return Visitor(client)


@pytest.fixture
def make_visitor(client):
    return lambda: Visitor(client)


def write_config(target, source, **chat: object):
    """A copy of the test config directory with its own chat.yaml."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    (target / "chat.yaml").write_text(yaml.safe_dump(chat), encoding="utf-8")
    return target


@pytest.fixture
def make_app(tmp_path, redis_url, twilio_api, config_dir):
    """An app with its own chat.yaml (limits, exit page, stream), on the same Redis; flushed after."""
    made = []

    def make(public_base_url: str = PUBLIC_BASE_URL, files: dict[str, str] | None = None, **chat: object):
        directory = write_config(tmp_path / f"config{len(made)}", config_dir, **chat)
        for name, text in (files or {}).items():
            (directory / name).write_text(text, encoding="utf-8")
        environ = environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, PUBLIC_BASE_URL=public_base_url,
                              LANTERN_CONFIG_DIR=str(directory))
        app = create_app(load_settings(environ, dotenv=False))
        made.append(app)
        return app

    yield make
    for app in made:
        lantern_of(app).stores.redis.flushdb()
