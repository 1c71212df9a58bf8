"""The HTTP side of access control, mounted by server.py on Streamlit's ASGI app (st.App):

  GET/POST /masuk   the sign-in form (plain HTML) and its check (argon2id, lockout with backoff);
                    success sets the HttpOnly, SameSite=Strict session cookie and answers 303 to /
  GET/POST /keluar  deletes the session row, clears the cookie, 303 to /masuk
  GET /s/{token}    a share link: a guest session cookie and 303 to a clean / (the token leaves the
                    address bar); an unknown, expired or revoked link gets a page saying so
  SecurityHeaders   Referrer-Policy, X-Content-Type-Options, CSP frame-ancestors on every response,
                    Streamlit's own included

Every outcome is audited (analytics/accounts.py). The endpoints are plain functions: Starlette runs
them in its thread pool, so argon2 and DuckDB never block the event loop; at most LOGIN_SLOTS
password checks run at once (each costs ~0.3 s and 64 MiB).
"""
from __future__ import annotations

import html
import logging
import threading
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from analytics import accounts, i18n, settings
from ui import state

log = logging.getLogger("dasbor.web")
COOKIE = "dasbor_session"
LOGIN_SLOTS = threading.BoundedSemaphore(2)
MAX_FORM_BYTES = 4096

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · Dasbor IKM–IPK</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1f2933}}
h1{{font-size:1.4rem}} label{{display:block;margin:.8rem 0 .2rem}} input{{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}}
button{{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem;background:#1f3b73;color:#fff;border:0;border-radius:4px}}
.msg{{padding:.7rem;border-radius:4px;background:#fdecea;color:#8a1c13}} .note{{color:#52606d;font-size:.9rem}}
a{{color:#1f3b73}}</style></head><body><h1>{title}</h1>{body}</body></html>"""


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang")
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def _page(lang: str, title: str, body: str, status: int = 200, headers: dict | None = None) -> HTMLResponse:
    response = HTMLResponse(_PAGE.format(lang=lang, title=html.escape(title), body=body), status_code=status)
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=bool(settings.get("cookie_secure")),
                        max_age=settings.get("session_hours") * 3600)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=bool(settings.get("cookie_secure")))


def _form(lang: str, message: str = "", username: str = "") -> str:
    t = lambda key, **v: i18n.t(key, lang, **v)      # noqa: E731
    note = f'<p class="msg" role="alert">{html.escape(message)}</p>' if message else ""
    return (f'{note}<form method="post" action="/masuk?lang={lang}">'
            f'<label for="username">{html.escape(t("login_username"))}</label>'
            f'<input id="username" name="username" autocomplete="username" required value="{html.escape(username)}">'
            f'<label for="password">{html.escape(t("login_password"))}</label>'
            f'<input id="password" name="password" type="password" autocomplete="current-password" required>'
            f'<button type="submit">{html.escape(t("signin_button"))}</button></form>'
            f'<p class="note">{html.escape(t("login_note"))}</p>')


def login_form(request: Request) -> Response:
    lang = _lang(request)
    return _page(lang, i18n.t("signin_title", lang), _form(lang))


async def login_submit(request: Request) -> Response:
    lang = _lang(request)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _page(lang, i18n.t("signin_title", lang), _form(lang, i18n.t("login_bad", lang)), 400)
    fields = parse_qs(body.decode("utf-8", errors="replace"))
    username = (fields.get("username") or [""])[0][:200]
    password = (fields.get("password") or [""])[0][:1000]
    from starlette.concurrency import run_in_threadpool
    return await run_in_threadpool(_login, lang, username, password, _client(request))


def _login(lang: str, username: str, password: str, client: str) -> Response:
    with LOGIN_SLOTS, state.writer() as cur:
        result = accounts.login(cur, username, password, accounts.now(), client)
    if result.ok:
        response = RedirectResponse("/", status_code=303)
        set_session_cookie(response, result.token)
        return response
    if result.reason == "locked":
        message = i18n.t("login_locked", lang, until=f"{result.locked_until:%H:%M}")
        return _page(lang, i18n.t("signin_title", lang), _form(lang, message, username), 429)
    key = "login_disabled" if result.reason == "disabled" else "login_bad"
    return _page(lang, i18n.t("signin_title", lang), _form(lang, i18n.t(key, lang), username), 401)


def logout(request: Request) -> Response:
    with state.writer() as cur:
        accounts.logout(cur, request.cookies.get(COOKIE), accounts.now())
    response = RedirectResponse(f"/masuk?lang={_lang(request)}", status_code=303)
    clear_session_cookie(response)
    return response


def share_link(request: Request) -> Response:
    lang = _lang(request)
    token = request.path_params.get("token", "")[:200]
    with state.writer() as cur:
        session_token, reason, _ = accounts.open_link(cur, token, accounts.now(), _client(request))
    if session_token is None:
        key = {"expired": "link_expired", "revoked": "link_revoked"}.get(reason, "link_unknown")
        status = 410 if reason in ("expired", "revoked") else 404
        body = f'<p class="msg" role="alert">{html.escape(i18n.t(key, lang))}</p>' \
               f'<p class="note">{html.escape(i18n.t("link_ask", lang))}</p>'
        return _page(lang, i18n.t("link_title", lang), body, status, {"Referrer-Policy": "no-referrer"})
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, session_token)
    return response


def routes() -> list[Route]:
    return [Route("/masuk", login_form, methods=["GET"]), Route("/masuk", login_submit, methods=["POST"]),
            Route("/keluar", logout, methods=["GET", "POST"]), Route("/s/{token}", share_link, methods=["GET"])]


class SecurityHeaders:
    """Pure ASGI middleware (WebSockets pass untouched): the headers on every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
                 (b"content-security-policy",
                  f"frame-ancestors {settings.get('frame_ancestors')}".encode("latin-1"))]

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(n, v) for n, v in extra if n not in names]]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
