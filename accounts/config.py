"""The accounts file: read, validate, change and write it (atomically, readable by its owner only).

The format is streamlit-authenticator's, so its login widget reads it as it is::

    cookie: {name: vusta_auth, key: <random secret>, expiry_days: 7}
    credentials:
      usernames:
        lan.nguyen: {name: Nguyễn Thị Lan, email: lan@example.org, password: $2b$12$..., roles: [editor]}

Passwords are hashed with bcrypt (cost 12, as the library's ``Hasher`` does; imported directly so
the command line does not load Streamlit; ``VUSTA_PASSWORD_COST`` lowers the cost for tests) before
anything is written; a plain password is never stored, printed or logged.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import bcrypt

from accounts.roles import ROLES, Role
from graph.i18n import BilingualError
from graph.settings import Settings
from graph.yaml_text import load_yaml

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200
_LOCK = threading.Lock()
_BCRYPT_HASH = re.compile(r"^\$2[aby]\$\d+\$.{53}$")


def hash_password(password: str) -> str:
    """A bcrypt hash at the configured cost (12 unless ``VUSTA_PASSWORD_COST`` says otherwise)."""
    cost = Settings.from_env().password_cost
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=cost)).decode("ascii")


def is_hash(text: str) -> bool:
    return bool(_BCRYPT_HASH.match(text or ""))


class AccountError(BilingualError, ValueError):
    """A refused account change, with the message in Vietnamese and English."""


def accounts_file() -> Path:
    """``VUSTA_ACCOUNTS_FILE``, or ``accounts.yaml`` in the data folder (outside git)."""
    explicit = os.environ.get("VUSTA_ACCOUNTS_FILE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    return Settings.from_env().data_dir / "accounts.yaml"


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    email: str | None
    roles: tuple[Role, ...]

    def as_json(self) -> dict[str, Any]:
        return {"username": self.username, "name": self.name, "email": self.email,
                "roles": [str(r) for r in self.roles]}


def empty_config() -> dict[str, Any]:
    return {"cookie": {"name": "vusta_auth", "key": secrets.token_urlsafe(32), "expiry_days": 7},
            "credentials": {"usernames": {}}}


def read_config(path: Path | None = None) -> dict[str, Any] | None:
    """The accounts file's content, or None when there is none yet."""
    path = path or accounts_file()
    if not path.is_file():
        return None
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise AccountError(f"Tệp tài khoản {path} không đọc được: {error}",
                           f"The accounts file {path} cannot be read: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("credentials", {}).get("usernames", {}), dict):
        raise AccountError(f"Tệp tài khoản {path} sai định dạng (thiếu credentials.usernames).",
                           f"The accounts file {path} is malformed (no credentials.usernames).")
    data.setdefault("credentials", {}).setdefault("usernames", {})
    data["credentials"]["usernames"] = data["credentials"]["usernames"] or {}
    if not isinstance(data.get("cookie"), dict) or not data["cookie"].get("key"):
        data["cookie"] = empty_config()["cookie"]
    return data


def write_config(config: dict[str, Any], path: Path | None = None) -> Path:
    """Write atomically (temporary file + rename), permissions 0600."""
    path = path or accounts_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    users = config["credentials"]["usernames"]
    for username, user in users.items():  # never write a plain password
        if not is_hash(str(user.get("password", ""))):
            raise AccountError(f"Mật khẩu của {username} chưa được băm; không ghi.",
                               f"The password of {username} is not hashed; nothing written.")
    fd, tmp = tempfile.mkstemp(prefix=".accounts-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def accounts(config: dict[str, Any] | None) -> list[Account]:
    if not config:
        return []
    out = []
    for username, user in sorted(config["credentials"]["usernames"].items()):
        roles = tuple(Role(r) for r in (user.get("roles") or []) if r in Role._value2member_map_)
        out.append(Account(username, str(user.get("name") or username), user.get("email"), roles))
    return out


def check_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise AccountError("Tên đăng nhập phải dài 2–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang "
                           "hoặc gạch dưới, bắt đầu bằng chữ hoặc số.",
                           "A username is 2–40 characters: lowercase ascii letters, digits, dot, dash or "
                           "underscore, starting with a letter or digit.")
    return username


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.",
                           f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Mật khẩu dài quá {MAX_PASSWORD} ký tự.",
                           f"A password is at most {MAX_PASSWORD} characters.")
    if len(password.encode("utf-8")) > 72:
        raise AccountError("Mật khẩu dài quá 72 byte (giới hạn của bcrypt); hãy dùng mật khẩu ngắn hơn.",
                           "The password is longer than 72 bytes (bcrypt's limit); use a shorter one.")
    if password.strip() != password or not password.strip():
        raise AccountError("Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng.",
                           "A password cannot start or end with a space.")
    return password


def check_role(role: str) -> Role:
    if role not in Role._value2member_map_:
        raise AccountError(f"Vai trò không hợp lệ '{role}'; chọn một trong: {', '.join(ROLES)}.",
                           f"Unknown role '{role}'; choose one of: {', '.join(ROLES)}.")
    return Role(role)


def add_user(username: str, password: str, role: str, *, name: str | None = None, email: str | None = None,
             path: Path | None = None, first_administrator: bool = False) -> Account:
    """Add one account (the file is created when missing). ``first_administrator`` refuses when the
    file already has an administrator (that one adds the others)."""
    username = check_username(username)
    check_password(password)
    chosen = check_role(role)
    name = (name or "").strip() or username
    if email is not None and email.strip() and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email.strip()):
        raise AccountError(f"Địa chỉ email không hợp lệ: {email!r}.", f"Not an email address: {email!r}.")
    with _LOCK:
        config = read_config(path) or empty_config()
        users = config["credentials"]["usernames"]
        if first_administrator and any(Role.ADMINISTRATOR in a.roles for a in accounts(config)):
            raise AccountError("Đã có quản trị viên; người đó thêm các tài khoản khác (python -m accounts add).",
                               "An administrator exists already; they add the other accounts "
                               "(python -m accounts add).")
        if username in users:
            raise AccountError(f"Tài khoản '{username}' đã có.", f"The account '{username}' exists already.")
        users[username] = {"name": name, "email": (email or "").strip() or None,
                           "password": hash_password(password), "roles": [str(chosen)]}
        write_config(config, path)
    return Account(username, name, (email or "").strip() or None, (chosen,))


def set_password(username: str, password: str, *, path: Path | None = None) -> None:
    check_password(password)
    with _LOCK:
        config = _existing(path)
        user = _user(config, username)
        user["password"] = hash_password(password)
        write_config(config, path)


def set_role(username: str, role: str, *, path: Path | None = None) -> None:
    chosen = check_role(role)
    with _LOCK:
        config = _existing(path)
        user = _user(config, username)
        if chosen != Role.ADMINISTRATOR and _is_last_administrator(config, username):
            raise AccountError("Không thể hạ quyền quản trị viên cuối cùng.",
                               "The last administrator cannot lose the role.")
        user["roles"] = [str(chosen)]
        write_config(config, path)


def remove_user(username: str, *, path: Path | None = None) -> None:
    with _LOCK:
        config = _existing(path)
        _user(config, username)
        if _is_last_administrator(config, username):
            raise AccountError("Không thể xóa quản trị viên cuối cùng.", "The last administrator cannot be removed.")
        del config["credentials"]["usernames"][username]
        write_config(config, path)


def _existing(path: Path | None) -> dict[str, Any]:
    config = read_config(path)
    if config is None:
        raise AccountError("Chưa có tệp tài khoản: tạo quản trị viên đầu tiên bằng `python -m accounts init`.",
                           "There is no accounts file yet: create the first administrator with "
                           "`python -m accounts init`.")
    return config


def _user(config: dict[str, Any], username: str) -> dict[str, Any]:
    user = config["credentials"]["usernames"].get(username)
    if user is None:
        raise AccountError(f"Không có tài khoản '{username}'.", f"There is no account '{username}'.")
    return user


def _is_last_administrator(config: dict[str, Any], username: str) -> bool:
    admins = [a.username for a in accounts(config) if Role.ADMINISTRATOR in a.roles]
    return admins == [username]
