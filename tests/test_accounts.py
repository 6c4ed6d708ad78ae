"""Accounts and roles: the command line that creates the first administrator, the accounts file
(bcrypt hashes only, owner-only), the sign-in form with rate limiting, and role gates."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.config import read_config
from accounts.limiter import LIMITER, LoginLimiter
from accounts.roles import has_role
from tests.accounts_support import PASSWORDS, accounts_file, app_store, page_app, sign_in  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, password: str | None = None, env_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "VUSTA_ACCOUNTS_FILE": str(env_file)}
    return subprocess.run([sys.executable, "-m", "accounts", "--json", *args], input=password, text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=60)


def test_passwords_are_hashed_at_cost_12_unless_set_lower(monkeypatch):
    from accounts.config import hash_password

    monkeypatch.delenv("VUSTA_PASSWORD_COST")  # the tests' own setting (conftest): cost 4
    assert hash_password("một mật khẩu dài").startswith("$2b$12$")
    monkeypatch.setenv("VUSTA_PASSWORD_COST", "3")
    with pytest.raises(SystemExit, match="VUSTA_PASSWORD_COST must be between 4 and 16"):
        hash_password("một mật khẩu dài")


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_first_administrator_then_users_from_the_command_line(tmp_path):
    path = tmp_path / "var" / "accounts.yaml"
    done = cli("init", "quan.tri", "--name", "Quản Trị", "--password-stdin", password="một mật khẩu dài\n",
               env_file=path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"]["roles"] == ["administrator"]
    text = path.read_text(encoding="utf-8")
    assert "một mật khẩu dài" not in text and "$2b$04$" in text  # a bcrypt hash (the tests' cost), never the password
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = cli("init", "other", "--password-stdin", password="another long password\n", env_file=path)
    assert again.returncode == 2 and "administrator exists already" in json.loads(again.stdout)["error"]
    short = cli("add", "lan", "--role", "editor", "--password-stdin", password="ngắn\n", env_file=path)
    assert short.returncode == 2 and "at least 10" in json.loads(short.stdout)["error"]
    bad_name = cli("add", "Lan Nguyễn", "--role", "editor", "--password-stdin", password="long enough pw\n",
                   env_file=path)
    assert bad_name.returncode == 2 and "username" in json.loads(bad_name.stdout)["error"]
    assert cli("add", "lan", "--role", "editor", "--password-stdin", password="long enough pw\n",
               env_file=path).returncode == 0
    listed = json.loads(cli("list", env_file=path).stdout)["accounts"]
    assert [(a["username"], a["roles"]) for a in listed] == [("lan", ["editor"]), ("quan.tri", ["administrator"])]
    assert "password" not in json.dumps(listed)
    last = cli("remove", "quan.tri", env_file=path)
    assert last.returncode == 2 and "last administrator" in json.loads(last.stdout)["error"]
    assert "password" not in done.stderr.lower()


def test_roles_include_the_lower_ones():
    assert has_role(["administrator"], "editor") and has_role(["editor"], "viewer")
    assert not has_role(["viewer"], "editor") and not has_role([], "viewer") and not has_role(["boss"], "viewer")


def test_backoff_per_user_and_per_client():
    now = [1000.0]
    limiter = LoginLimiter(free_attempts=3, base_delay=5, max_delay=60, clock=lambda: now[0])
    lan, from_a, from_b = ("user", "lan"), ("client", "10.0.0.1"), ("client", "10.0.0.2")
    for _ in range(2):
        assert limiter.failed([lan, from_a]) == 0  # the first attempts are free
    assert limiter.failed([lan, from_a]) == 5  # third failure: 5 s
    assert limiter.wait([lan, from_b]) == 5  # the user is locked from any client
    assert limiter.wait([("user", "minh"), from_a]) == 5  # and the client for any user
    assert limiter.wait([("user", "minh"), from_b]) == 0
    now[0] += 5
    assert limiter.failed([lan, from_b]) == 10  # doubles
    now[0] += 10
    assert limiter.failed([lan, from_b]) == 20
    for _ in range(5):
        now[0] += 100
        limiter.failed([lan])
    assert limiter.wait([lan]) == 60  # capped
    limiter.succeeded([lan])
    assert limiter.wait([lan]) == 0


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_sign_in_form_wrong_password_is_counted_and_never_kept(accounts_file, app_store):
    app = page_app("admin")
    assert not app.exception
    assert any("Quản trị viên" in i.value for i in app.info)
    sign_in(app, "editor", "not the password")
    assert any("Sai tên đăng nhập hoặc mật khẩu" in e.value for e in app.error)
    assert LIMITER.failures(("user", "editor")) == 1 and LIMITER.failures(("client", "local")) == 1
    values = [str(app.session_state[k]) for k in app.session_state]
    assert not any("not the password" in v for v in values)
    app.run()  # a rerun without a new submission is not another failure
    assert LIMITER.failures(("user", "editor")) == 1


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_three_wrong_passwords_lock_even_the_right_one(accounts_file, app_store):
    app = page_app("admin")
    for attempt in range(3):
        LIMITER._counts.pop(("client", "local"), None)  # several clients, one user
        sign_in(app, "editor", f"wrong {attempt}")
    LIMITER._counts.pop(("client", "local"), None)
    sign_in(app, "editor")  # the right password, but the user is locked for a while
    assert any("Quá nhiều lần nhập sai" in e.value for e in app.error)
    assert "authentication_status" not in app.session_state or not app.session_state["authentication_status"]
    assert not any(b.key == "admin-forget" for b in app.button)


def test_one_client_is_locked_for_every_username(accounts_file, app_store):
    app = page_app("admin")
    for name in ("a1", "a2", "a3"):
        sign_in(app, name, "guess guess guess")
    app.run()
    assert any("Quá nhiều lần nhập sai" in e.value for e in app.error)
    assert not app.text_input  # no form while the client waits


def test_a_viewer_and_an_editor_cannot_administer(accounts_file, app_store):
    for username in ("viewer", "editor"):
        app = sign_in(page_app("admin"), username)
        assert not app.exception
        assert any("không có quyền" in e.value for e in app.error)
        assert not any(b.key == "admin-forget" for b in app.button)
        assert not app.file_uploader


def test_the_old_shared_password_gets_a_migration_message(accounts_file, app_store, monkeypatch):
    monkeypatch.setenv("VUSTA_ADMIN_PASSWORD", "old shared secret")
    app = page_app("admin")
    assert any("VUSTA_ADMIN_PASSWORD" in w.value and "python -m accounts init" in w.value for w in app.warning)
    sign_in(app, "admin", "old shared secret")  # the old password opens nothing
    assert not any(b.key == "admin-forget" for b in app.button)


def test_no_accounts_file_says_how_to_create_the_first_administrator(tmp_path, app_store, monkeypatch):
    monkeypatch.setenv("VUSTA_ACCOUNTS_FILE", str(tmp_path / "none.yaml"))
    app = page_app("admin")
    assert any("python -m accounts init" in i.value for i in app.info)
    assert read_config(tmp_path / "none.yaml") is None


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_internal_people_are_named_to_staff_only(fresh_store):
    from graph.privacy import set_staff_audience
    from graph.schema import EntityRecord
    from ingest.load import load_records
    from queries.profile import show
    from queries.search import search

    load_records(fresh_store, [
        EntityRecord(id="p-internal", kinds=["Person"], name="Lê Thị Nội Bộ", properties={"visibility": "internal"}),
        EntityRecord(id="p-private", kinds=["Person"], name="Phạm Văn Riêng", properties={"visibility": "private"}),
    ], [], command="test", inputs=["test"], quiet=True)
    try:
        set_staff_audience(False)
        assert show(fresh_store, "p-internal")["name"].startswith("Chuyên gia ẩn danh")
        assert not any(h["id"] == "p-internal" and "Nội Bộ" in h["name"] for h in search(fresh_store, "le thi"))
        set_staff_audience(True)
        assert show(fresh_store, "p-internal")["name"] == "Lê Thị Nội Bộ"
        assert any(h["name"] == "Lê Thị Nội Bộ" for h in search(fresh_store, "le thi noi bo"))
        assert show(fresh_store, "p-private")["name"].startswith("Chuyên gia ẩn danh")  # private: for everyone
    finally:
        set_staff_audience(True)
