"""Flask sessions for the console. Signed in: kept server-side in Redis, the cookie holds a random id and
nothing else. Not signed in: nothing is written to Redis at all (a page view must not be able to fill
it); the little a sign-in page needs (its CSRF token, a notice) rides in a signed cookie instead."""
from __future__ import annotations

import logging

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from redis.exceptions import RedisError
from werkzeug.datastructures import CallbackDict

from store.sessions import SessionStore

log = logging.getLogger(__name__)
COOKIE = "lantern-session"
# In production the __Host- prefix makes browsers refuse the cookie unless it is Secure, for this host
# only and for every path: no subdomain or plain-http page can plant or read it.
PRODUCTION_COOKIE = "__Host-lantern-session"
SIGNED_IN = "advocate"  # the key that makes a session worth keeping in Redis
PENDING = "pending"  # so does a sign-in waiting for its second factor (made only after the right password)
_ANONYMOUS = "a."  # cookie values that carry a signed, not-signed-in session
_ANONYMOUS_MAX_AGE = 3600


class ConsoleSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None, ended: str = "",
                 had_cookie: bool = False, store_down: bool = False):
        def on_update(session: "ConsoleSession") -> None:
            session.modified = True
            session.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.ended = ended  # why the session this browser had has just ended: "idle" or "expired"
        self.had_cookie = had_cookie
        self.store_down = store_down  # Redis could not be read: the console answers 503
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """Start over under a new id (at sign-in): an id someone planted before sign-in is worth nothing."""
        self.clear()
        self.rotate = True


class RedisSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore):
        self.store = store

    def _signer(self, app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(app.secret_key, salt="lantern-console-anonymous")

    def open_session(self, app: Flask, request: Request) -> ConsoleSession:
        raw = request.cookies.get(self.get_cookie_name(app))
        if not raw:
            return ConsoleSession()
        if raw.startswith(_ANONYMOUS):
            try:
                return ConsoleSession(self._signer(app).loads(raw[len(_ANONYMOUS):], max_age=_ANONYMOUS_MAX_AGE),
                                      had_cookie=True)
            except BadSignature:
                return ConsoleSession(had_cookie=True)
        try:
            data, why = self.store.load(raw)
        except RedisError as exc:
            log.error("console session could not be read: %s", type(exc).__name__)
            return ConsoleSession(had_cookie=True, store_down=True)
        if data is None:
            return ConsoleSession(ended=why if why in ("idle", "expired") else "", had_cookie=True)
        return ConsoleSession(data, raw, had_cookie=True)

    def save_session(self, app: Flask, session: ConsoleSession, response: Response) -> None:
        if session.store_down:
            return
        if session.accessed:
            response.vary.add("Cookie")
        try:
            self._save(app, session, response)
        except RedisError as exc:  # the page is already rendered; the next request shows the 503
            log.error("console session could not be written: %s", type(exc).__name__)

    def _save(self, app: Flask, session: ConsoleSession, response: Response) -> None:
        if session.sid and (session.rotate or not _kept(session)):
            self.store.delete(session.sid)
            session.sid = None
        if not session:
            if session.had_cookie:
                response.delete_cookie(self.get_cookie_name(app), path="/", secure=self.get_cookie_secure(app),
                                       samesite=self.get_cookie_samesite(app), httponly=True)
            return
        if not _kept(session):
            if session.modified:
                self._set_cookie(app, response, _ANONYMOUS + self._signer(app).dumps(dict(session)))
            return
        if session.sid is not None and not session.modified:
            return
        if session.sid is None:
            session.sid = self.store.new_id()
        self.store.save(session.sid, dict(session))
        self._set_cookie(app, response, session.sid)

    def _set_cookie(self, app: Flask, response: Response, value: str) -> None:
        # No expiry date: closing the browser ends the cookie; the server's timeouts end the session.
        response.set_cookie(self.get_cookie_name(app), value, path="/", httponly=True,
                            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))


def _kept(session: ConsoleSession) -> bool:
    return SIGNED_IN in session or PENDING in session
