"""Setting up and using a second factor through the console's own pages, as an advocate would."""
from __future__ import annotations

import re

import pyotp

from tests.console.conftest import csrf_token, post, sign_in

_SECRET = re.compile(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>')
_RECOVERY = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def enrol(client) -> tuple[str, list[str]]:
    """Set up an authenticator app from /console/two-factor: (the secret the page showed, the recovery codes)."""
    page = post(client, "/console/two-factor/start", token_from="/console/two-factor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and 'class="qr"' in html
    secret = _SECRET.search(html).group(1).replace(" ", "")
    done = post(client, "/console/two-factor/confirm", {"code": pyotp.TOTP(secret).now()},
                token_from="/console/two-factor")
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = _RECOVERY.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def enter_code(client, code: str, **environ):
    token = csrf_token(client, "/console/login/code", **environ)
    return client.post("/console/login/code", data={"code": code, "csrf_token": token}, environ_base=environ)


def sign_in_with_code(client, name: str, code: str, **environ):
    """Password, then the code: the answer to the code page's form."""
    first = sign_in(client, name, **environ)
    assert first.status_code == 302 and first.headers["Location"] == "/console/login/code", first.status_code
    return enter_code(client, code, **environ)
