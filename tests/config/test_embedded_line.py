"""Finding `make run`'s line: the CLI joins it while it runs, and never a line that has stopped."""
from __future__ import annotations

import pytest

from config.embedded_line import read_line, write_line
from config.settings import SettingsError, load_settings
from launcher.line import line_variables
from launcher.store_server import EmbeddedStoreServer


@pytest.fixture
def running_store():
    server = EmbeddedStoreServer().start()
    yield server
    server.stop()


def test_a_command_beside_make_run_uses_its_store_and_keys(tmp_path, running_store):
    line_file = tmp_path / "line.json"
    variables = line_variables(running_store.url, 5000)
    write_line(line_file, variables)
    settings = load_settings({"LANTERN_LINE_FILE": str(line_file), "LANTERN_LOOKUP_KEY": "not-the-line's"},
                             dotenv=False)
    assert settings.shared_line and settings.embedded and not settings.inline_jobs
    assert settings.redis_url == running_store.url
    assert settings.lookup_key == variables["LANTERN_LOOKUP_KEY"].encode()  # the line's keys read its data
    assert (line_file.stat().st_mode & 0o777) == 0o600  # the keys are in it: this user only


def test_a_line_that_stopped_is_not_joined(tmp_path):
    server = EmbeddedStoreServer().start()
    line_file = tmp_path / "line.json"
    write_line(line_file, line_variables(server.url, 5000))
    server.stop()  # killed without removing its file
    assert read_line(line_file) is None
    settings = load_settings({"LANTERN_LINE_FILE": str(line_file)}, dotenv=False)
    assert settings.embedded and settings.inline_jobs and not settings.shared_line


def test_production_never_joins_an_embedded_line(tmp_path, running_store):
    line_file = tmp_path / "line.json"
    write_line(line_file, line_variables(running_store.url, 5000))
    with pytest.raises(SettingsError, match="REDIS_URL"):
        load_settings({"LANTERN_ENV": "production", "LANTERN_LINE_FILE": str(line_file)}, dotenv=False)
