"""Connection settings, from the environment (and a ``.env`` file in the working directory).

With ``NEO4J_URI`` set the product talks to that Neo4j 5 server; with nothing configured it
uses the embedded default store (an ArcadeDB server speaking Bolt, see :mod:`graph.embedded`),
whose data lives in ``VUSTA_DATA_DIR`` (default: ``var/`` in the project folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"Setting {name} must be a whole number, got {raw!r}") from None


def _int_between(name: str, default: int, low: int, high: int) -> int:
    value = _int(name, default)
    if not low <= value <= high:
        raise SystemExit(f"Setting {name} must be between {low} and {high}, got {value} / "
                         f"Thiết lập {name} phải nằm trong khoảng {low}–{high}")
    return value


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in allowed:
        raise SystemExit(f"Setting {name} must be one of {', '.join(allowed)}, got {raw!r} / "
                         f"Thiết lập {name} phải là một trong {', '.join(allowed)}")
    return raw


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str | None = None
    data_dir: Path = PROJECT_ROOT / "var"
    embedded_bolt_port: int = 7688
    embedded_http_port: int = 2481
    embedded_database: str = "vusta"
    embedded_password: str | None = field(default=None, repr=False)
    embedded_heap: str = "2g"
    documents_dir: Path | None = None
    admin_password: str | None = field(default=None, repr=False)
    # where graph analytics run: "app" (networkx on an in-process projection, the default) or
    # "database" (computed by the store; see README "Beyond one machine")
    analytics: str = "app"
    # bcrypt cost of account passwords (2^cost rounds); lower only for tests and development
    password_cost: int = 12

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "embedded"

    @property
    def embedded_dir(self) -> Path:
        return self.data_dir / "embedded"

    @classmethod
    def from_env(cls) -> "Settings":
        load_dotenv(Path.cwd() / ".env", override=False)
        env = os.environ
        data_dir = Path(env.get("VUSTA_DATA_DIR") or PROJECT_ROOT / "var").expanduser().resolve()
        default_docs = PROJECT_ROOT.parent / "shared" / "seeds"
        docs = env.get("VUSTA_DOCUMENTS_DIR")
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD") or "",
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            data_dir=data_dir,
            embedded_bolt_port=_int("VUSTA_EMBEDDED_BOLT_PORT", 7688),
            embedded_http_port=_int("VUSTA_EMBEDDED_HTTP_PORT", 2481),
            embedded_database=env.get("VUSTA_EMBEDDED_DATABASE") or "vusta",
            embedded_password=env.get("VUSTA_EMBEDDED_PASSWORD") or None,
            embedded_heap=env.get("VUSTA_EMBEDDED_HEAP") or "2g",
            documents_dir=Path(docs).expanduser() if docs else (default_docs if default_docs.is_dir() else None),
            admin_password=env.get("VUSTA_ADMIN_PASSWORD") or None,
            analytics=_choice("VUSTA_ANALYTICS", ("app", "database"), "app"),
            password_cost=_int_between("VUSTA_PASSWORD_COST", 12, 4, 16),
        )
