"""The launcher's own rules: the Procfile's lines, on loopback, and never on a real Redis or in production."""
from __future__ import annotations

import pytest

from config.embedded_line import read_line, write_line
from launcher import line
from launcher.store_server import EmbeddedStoreServer
from tests.test_procfile import procfile_role


def test_the_roles_are_the_procfiles_lines_on_the_embedded_store_and_loopback():
    worker = line.role_command("worker", "redis://127.0.0.1:40000/0", 5000)
    assert worker == procfile_role("worker").replace("$REDIS_URL", "redis://127.0.0.1:40000/0") + " --quiet"
    web = line.role_command("web", "redis://127.0.0.1:40000/0", 5000)
    assert "--bind 127.0.0.1:5000" in web and "0.0.0.0" not in web  # the printed password stays on this machine
    assert web.startswith("gunicorn app:app")


@pytest.mark.parametrize("variable, value", [("REDIS_URL", "redis://127.0.0.1:6379/0"),
                                             ("LANTERN_ENV", "production")])
def test_make_run_refuses_a_real_redis_and_production(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit, match=variable):
        line.main()


def test_a_second_make_run_leaves_the_running_one_alone(monkeypatch, tmp_path):
    running = EmbeddedStoreServer().start()
    line_file = tmp_path / "embedded-line.json"
    write_line(line_file, line.line_variables(running.url, 5000))
    monkeypatch.setenv("LANTERN_LINE_FILE", str(line_file))
    monkeypatch.delenv("REDIS_URL", raising=False)
    try:
        with pytest.raises(SystemExit, match="already running"):
            line.main()
        assert read_line(line_file) is not None  # its file, and so its CLI, untouched
    finally:
        running.stop()
