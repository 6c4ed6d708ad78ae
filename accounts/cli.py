"""``python -m accounts`` — create the first administrator and manage accounts.

  python -m accounts init  USERNAME [--name "Full name"] [--email E]    # the first administrator
  python -m accounts add   USERNAME --role viewer|editor|administrator [--name N] [--email E]
  python -m accounts passwd USERNAME
  python -m accounts role  USERNAME ROLE
  python -m accounts remove USERNAME
  python -m accounts list

The password is asked for twice on the terminal (never on the command line, where other
users and the shell history would see it); ``--password-stdin`` reads one line from standard
input instead (for scripts). The file is ``VUSTA_ACCOUNTS_FILE`` (default
``<VUSTA_DATA_DIR>/accounts.yaml``). Every command takes ``--json``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from accounts.config import (AccountError, accounts, accounts_file, add_user, read_config, remove_user, set_password,
                             set_role)
from accounts.roles import ROLES


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu / Password: ")
    second = getpass.getpass("Nhập lại / Again: ")
    if first != second:
        raise AccountError("Hai lần nhập mật khẩu không khớp.", "The two passwords differ.")
    return first


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m accounts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("init", "create the first administrator"), ("add", "add an account")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("username")
        if name == "add":
            p.add_argument("--role", required=True, choices=[str(r) for r in ROLES])
        p.add_argument("--name", help="the person's full name (shown in the history)")
        p.add_argument("--email")
        p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p = sub.add_parser("passwd", help="set a new password")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true")
    p = sub.add_parser("role", help="change an account's role")
    p.add_argument("username")
    p.add_argument("role", choices=[str(r) for r in ROLES])
    p = sub.add_parser("remove", help="remove an account")
    p.add_argument("username")
    sub.add_parser("list", help="list the accounts (never the passwords)")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    path = accounts_file()
    if args.command in ("init", "add"):
        password = _password(args)
        account = add_user(args.username, password, "administrator" if args.command == "init" else args.role,
                           name=args.name, email=args.email, first_administrator=args.command == "init")
        return {"file": str(path), "created": account.as_json()}
    if args.command == "passwd":
        set_password(args.username, _password(args))
        return {"file": str(path), "password_changed": args.username}
    if args.command == "role":
        set_role(args.username, args.role)
        return {"file": str(path), "role": {args.username: args.role}}
    if args.command == "remove":
        remove_user(args.username)
        return {"file": str(path), "removed": args.username}
    return {"file": str(path), "accounts": [a.as_json() for a in accounts(read_config(path))]}


def text(out: dict[str, Any]) -> str:
    if "created" in out:
        a = out["created"]
        return f"Created {a['username']} ({', '.join(a['roles'])}) in {out['file']}"
    if "accounts" in out:
        rows = [f"{a['username']:<24} {','.join(a['roles']):<14} {a['name']}" for a in out["accounts"]]
        return "\n".join(rows) if rows else f"No accounts in {out['file']}"
    return json.dumps({k: v for k, v in out.items() if k != "file"}, ensure_ascii=False) + f" ({out['file']})"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        out = run(args)
    except AccountError as error:
        if args.json:
            print(json.dumps({"error": error.en, "error_vi": error.vi}, ensure_ascii=False, indent=2))
        else:
            print(f"error: {error.vi}\n       {error.en}", file=sys.stderr)
        return 2
    print(json.dumps(out, ensure_ascii=False, indent=2) if args.json else text(out))
    return 0
