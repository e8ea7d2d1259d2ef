"""A demo line: what `make run` serves (a line file naming the store), on the tests' real Redis."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from config.embedded_line import write_line
from launcher.demo_org import seed_demo_org
from launcher.line import line_variables
from launcher.store_server import EmbeddedStoreServer
from tests.conftest import TEST_CONFIG_DIR
from tests.redis_server import free_port


@pytest.fixture
def line_store(redis_url):
    """The tests' real Redis (on loopback, as the line's always is); else the embedded store itself."""
    if redis_url and urlsplit(redis_url).hostname == "127.0.0.1":
        yield redis_url
        return
    server = EmbeddedStoreServer().start()
    yield server.url
    server.stop()


@pytest.fixture
def demo_line(line_store, tmp_path):
    """(app, base URL) of a line joined the way `make run`'s roles join it, with its demo organisation."""
    import redis

    from tests.apps import create_app, lantern_of
    from config.settings import load_settings

    port = free_port()
    line_file = tmp_path / "embedded-line.json"
    write_line(line_file, line_variables(line_store, port))
    redis.Redis.from_url(line_store).flushdb()
    settings = load_settings({"LANTERN_LINE_FILE": str(line_file), "LANTERN_CONFIG_DIR": str(TEST_CONFIG_DIR)},
                             dotenv=False)
    assert settings.shared_line
    app = create_app(settings)
    seed_demo_org(lantern_of(app).stores.roster, lantern_of(app).stores.credentials)
    yield app, f"http://127.0.0.1:{port}"
    lantern_of(app).stores.redis.flushdb()
