"""Signing in, in the app: who is signed in, with which role, and the gate each page uses.

Two ways in:

* **Accounts file** (default): streamlit-authenticator's login form over the accounts file of
  :mod:`accounts.config` (bcrypt hashes; a signed re-authentication cookie, key in that file).
* **Identity provider**: when ``.streamlit/secrets.toml`` has an ``[auth]`` section (OpenID
  Connect: Google, Microsoft Entra, Keycloak…), a "sign in with …" button runs Streamlit's own
  ``st.login``; the person's role is the one of the account in the accounts file that has the
  same email address, ``viewer`` otherwise.

Wrong passwords are rate-limited per username and per client with backoff
(:mod:`accounts.limiter`). The password is a form field without a key: it never enters
``st.session_state``, and nothing here logs it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import streamlit as st

from accounts.config import AccountError, accounts, read_config
from accounts.limiter import LIMITER
from accounts.roles import ROLE_LABELS, Role, has_role, highest
from ui.i18n import language, tr

log = logging.getLogger(__name__)
LOGIN_KEY = "vusta-login"
AUTH_STATE_KEYS = ("authentication_status", "username", "name", "email", "roles")
LABELS = {
    "form": ("Đăng nhập", "Sign in"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "submit": ("Đăng nhập", "Sign in"),
    "wrong": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "locked": ("Quá nhiều lần nhập sai. Hãy thử lại sau {s} giây.",
               "Too many wrong attempts. Try again in {s} seconds."),
    "no_accounts": ("Chưa có tài khoản nào. Người vận hành tạo quản trị viên đầu tiên bằng lệnh "
                    "`python -m accounts init TÊN` (xem README).",
                    "There are no accounts yet. The operator creates the first administrator with "
                    "`python -m accounts init NAME` (see the README)."),
    "needs": ("Trang này dành cho vai trò {role} trở lên.", "This page is for the {role} role and above."),
    "not_allowed": ("Tài khoản {user} ({role}) không có quyền vào trang này; cần vai trò {needed}.",
                    "The account {user} ({role}) may not use this page; it needs the {needed} role."),
    "signed_in": ("Đã đăng nhập: **{name}** ({role})", "Signed in: **{name}** ({role})"),
    "logout": ("Đăng xuất", "Sign out"),
    "provider": ("Đăng nhập qua nhà cung cấp định danh", "Sign in with the identity provider"),
    "legacy": ("Biến môi trường `VUSTA_ADMIN_PASSWORD` vẫn được đặt nhưng không còn dùng: mật khẩu chung đã "
               "được thay bằng tài khoản riêng. Tạo quản trị viên bằng `python -m accounts init TÊN`, rồi bỏ "
               "biến này khỏi môi trường của máy chủ.",
               "The environment variable `VUSTA_ADMIN_PASSWORD` is still set but no longer used: the shared "
               "password was replaced by personal accounts. Create an administrator with "
               "`python -m accounts init NAME`, then remove the variable from the server's environment."),
}


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: Role
    via: str = "password"  # or "identity provider"

    def may(self, needed: Role | str) -> bool:
        return has_role([self.role], needed)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.username})"


def role_label(role: Role | str) -> str:
    return tr(ROLE_LABELS, Role(role))


def _identity_provider() -> bool:
    """True when Streamlit's own login (st.login) is configured in secrets.toml."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _provider_user() -> User | None:
    try:
        if not st.user.is_logged_in:
            return None
    except Exception:
        return None
    email = str(st.user.get("email") or "").lower()
    role = Role.VIEWER
    try:
        for account in accounts(read_config()):
            if account.email and account.email.lower() == email and account.roles:
                role = highest(account.roles) or Role.VIEWER
    except AccountError:
        pass
    return User(email or str(st.user.get("sub") or "?"), str(st.user.get("name") or email), role, "identity provider")


def current_user() -> User | None:
    """The signed-in person of this session, or None."""
    state = st.session_state
    if state.get("authentication_status") and state.get("username"):
        role = highest(state.get("roles"))
        if role is not None:
            return User(str(state["username"]), str(state.get("name") or state["username"]), role)
    return _provider_user() if _identity_provider() else None


def is_staff() -> bool:
    """Signed in with any role (people with ``internal`` visibility are shown to staff only)."""
    return current_user() is not None


def client_key() -> str:
    """The client address (per-client rate limiting); "local" when Streamlit does not know it."""
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    return address if isinstance(address, str) and address else "local"


def _authenticator(config: dict[str, Any]):
    import streamlit_authenticator as stauth

    cookie = config["cookie"]
    return stauth.Authenticate(config["credentials"], cookie.get("name", "vusta_auth"), cookie["key"],
                               float(cookie.get("expiry_days", 7)), auto_hash=False, login_sleep_time=0)


def _clear_auth() -> None:
    for key in AUTH_STATE_KEYS:
        st.session_state.pop(key, None)


def login_form() -> User | None:
    """The sign-in form (rate-limited); returns the user once signed in."""
    if _identity_provider():
        if st.button(tr(LABELS, "provider"), key="vusta-provider-login", icon=":material/login:"):
            st.login()
    try:
        config = read_config()
    except AccountError as error:
        st.error(error.text(language()))
        return None
    if not config or not config["credentials"]["usernames"]:
        st.info(tr(LABELS, "no_accounts"))
        return None
    client = ("client", client_key())
    wait = LIMITER.wait([client])
    if wait > 0:
        st.error(tr(LABELS, "locked", s=int(wait) + 1))
        return None
    if st.session_state.get("authentication_status") is False:
        st.session_state["authentication_status"] = None  # a failure is counted once, in its own run
    users = config["credentials"]["usernames"]
    before = {name: int(user.get("failed_login_attempts", 0) or 0) for name, user in users.items()}
    authenticator = _authenticator(config)
    fields = {"Form name": tr(LABELS, "form"), "Username": tr(LABELS, "username"),
              "Password": tr(LABELS, "password"), "Login": tr(LABELS, "submit")}
    try:
        authenticator.login(location="main", fields=fields, key=LOGIN_KEY)
    except Exception as error:  # e.g. a cookie naming an account that was removed
        log.info("sign-in refused: %s", type(error).__name__)
        _clear_auth()
        st.session_state["logout"] = True
        return None
    status = st.session_state.get("authentication_status")
    if status is True:
        username = str(st.session_state.get("username"))
        wait = LIMITER.wait([("user", username)])
        if wait > 0:  # right password while locked: refused all the same, with the same message
            _clear_auth()
            LIMITER.failed([client])
            st.error(tr(LABELS, "locked", s=int(wait) + 1))
            return None
        LIMITER.succeeded([("user", username), client])
        log.info("signed in: %s", username)
        st.rerun()
    if status is False:
        failed = [name for name, user in users.items() if int(user.get("failed_login_attempts", 0) or 0) > before.get(name, 0)]
        keys = [client, *(("user", name) for name in failed)]
        wait = LIMITER.failed(keys)
        log.info("failed sign-in from %s", client[1])
        st.error(tr(LABELS, "locked", s=int(wait) + 1) if wait > 0 else tr(LABELS, "wrong"))
    return None


def logout_button(key: str = "vusta-logout") -> bool:
    """'Signed in as …' and the sign-out button; True when the person just signed out."""
    user = current_user()
    if user is None:
        return False
    st.markdown(tr(LABELS, "signed_in", name=user.name, role=role_label(user.role)))
    if st.button(tr(LABELS, "logout"), key=key, icon=":material/logout:"):
        if user.via == "identity provider":
            st.logout()
        try:
            config = read_config()
            if config:
                _authenticator(config).logout(location="unrendered")  # also deletes the cookie
        except AccountError:
            pass
        _clear_auth()
        st.session_state["logout"] = True
        return True
    return False


def require(needed: Role | str) -> User | None:
    """The gate of a page: the signed-in user when their role is enough; otherwise the sign-in
    form (or a refusal) is shown and None is returned — the page then draws nothing else."""
    import os

    if os.environ.get("VUSTA_ADMIN_PASSWORD"):
        st.warning(tr(LABELS, "legacy"))
    user = current_user()
    if user is None:
        st.info(tr(LABELS, "needs", role=role_label(needed)))
        return login_form()
    if not user.may(needed):
        st.error(tr(LABELS, "not_allowed", user=user.username, role=role_label(user.role), needed=role_label(needed)))
        logout_button()
        return None
    return user
