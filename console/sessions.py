"""Flask sessions kept server-side in Redis: the cookie holds a random id and nothing else."""
from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from store.sessions import SessionStore

COOKIE = "lantern-session"
# In production the __Host- prefix makes browsers refuse the cookie unless it is Secure, for this host
# only and for every path: no subdomain or plain-http page can plant or read it.
PRODUCTION_COOKIE = "__Host-lantern-session"


class ConsoleSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None, ended: str = "",
                 had_cookie: bool = False):
        def on_update(session: "ConsoleSession") -> None:
            session.modified = True
            session.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.ended = ended  # why the session this browser had has just ended: "idle" or "expired"
        self.had_cookie = had_cookie
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """Start over under a new id (at sign-in): an id someone planted before sign-in is worth nothing."""
        self.clear()
        self.rotate = True


class RedisSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore):
        self.store = store

    def open_session(self, app: Flask, request: Request) -> ConsoleSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return ConsoleSession()
        data, why = self.store.load(sid)
        if data is None:
            return ConsoleSession(ended=why if why in ("idle", "expired") else "", had_cookie=True)
        return ConsoleSession(data, sid, had_cookie=True)

    def save_session(self, app: Flask, session: ConsoleSession, response: Response) -> None:
        if session.accessed:
            response.vary.add("Cookie")
        if session.rotate and session.sid:
            self.store.delete(session.sid)
            session.sid = None
        if not session:
            if session.sid:
                self.store.delete(session.sid)
            if session.had_cookie:
                response.delete_cookie(self.get_cookie_name(app), path="/", secure=self.get_cookie_secure(app),
                                       samesite=self.get_cookie_samesite(app), httponly=True)
            return
        if session.sid is not None and not session.modified:
            return
        if session.sid is None:
            session.sid = self.store.new_id()
        self.store.save(session.sid, dict(session))
        # No expiry date: closing the browser ends the cookie; the server's timeouts end the session.
        response.set_cookie(self.get_cookie_name(app), session.sid, path="/", httponly=True,
                            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))
