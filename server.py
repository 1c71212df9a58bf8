"""The file given to `streamlit run` (Makefile `run`, the browser tests): Streamlit's ASGI app for
app.py plus the sign-in, sign-out and share-link routes and the security headers (ui/web.py).

On the first start with no account at all, an `admin` account is created with a generated password,
printed once here in the terminal and written nowhere else (`python -m analytics users reset-password
admin` makes a new one while the app is stopped).
"""
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from analytics import accounts, settings
from ui import state, web


def bootstrap() -> None:
    settings.check()
    with state.writer() as cur:
        password = accounts.ensure_admin(cur)
    if password:
        line = "=" * 72
        print(f"\n{line}\n  Dasbor IKM–IPK: first start, account created\n    username: {accounts.BOOTSTRAP_ADMIN}\n"
              f"    password: {password}\n  Shown only now. Sign in at /masuk; add users with "
              f"`python -m analytics users add`.\n{line}\n", flush=True)


@asynccontextmanager
async def lifespan(app):
    bootstrap()
    yield


app = st.App("app.py", routes=web.routes(), middleware=[Middleware(web.SecurityHeaders)], lifespan=lifespan)
