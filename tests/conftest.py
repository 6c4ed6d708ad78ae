"""Test fixtures: a real embedded store (ArcadeDB over Bolt) in a temporary folder, on free
ports, shared by the whole session; each test module that writes gets its own database."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.embedded import EmbeddedServer  # noqa: E402
from graph.ports import free_port  # noqa: E402,F401  (tests import it from here)
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402

from tests.documents_support import SEEDS  # noqa: E402  (the product setting VUSTA_DOCUMENTS_DIR)

os.environ["VUSTA_PASSWORD_COST"] = "4"  # bcrypt's cheapest cost (the product's is 12): the tests make many accounts


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the test store, also exported to the environment for CLI subprocesses."""
    data_dir = tmp_path_factory.mktemp("vusta-data")
    env = {
        "VUSTA_DATA_DIR": str(data_dir),
        "VUSTA_EMBEDDED_BOLT_PORT": str(free_port()),
        "VUSTA_EMBEDDED_HTTP_PORT": str(free_port()),
        "VUSTA_EMBEDDED_DATABASE": "vusta",
        "VUSTA_EMBEDDED_HEAP": "1g",
    }
    if SEEDS is not None:
        env["VUSTA_DOCUMENTS_DIR"] = str(SEEDS)
    for key in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        os.environ.pop(key, None)
    os.environ.update(env)
    return Settings.from_env()


@pytest.fixture(scope="session")
def server(settings: Settings):
    embedded = EmbeddedServer(settings)
    embedded.ensure_running()
    yield embedded
    embedded.stop()


@pytest.fixture(scope="session")
def store(server: EmbeddedServer, settings: Settings):
    """The session's main database, loaded with data/ once."""
    from ingest.curated_load import load_curated

    graph = GraphStore(settings)
    load_curated(graph, [ROOT / "data"], quiet=True)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def demo_store(server: EmbeddedServer, settings: Settings):
    """A database of its own with the real data and the demo data (``python -m ingest demo``:
    the sample portfolio and roster), for tests about demo behaviour; the session's ``store``
    holds real data only, as a fresh ``python -m ingest`` does."""
    from ingest.curated_load import load_curated
    from ingest.demo import load_demo

    graph = make_fresh_store(settings)
    load_curated(graph, [ROOT / "data"], quiet=True)
    load_demo(graph, quiet=True)
    yield graph
    graph.close()


def make_fresh_store(settings: Settings) -> GraphStore:
    name = "t" + uuid.uuid4().hex[:12]
    return GraphStore(Settings(**{**settings.__dict__, "embedded_database": name}))


@pytest.fixture
def fresh_store(server: EmbeddedServer, settings: Settings):
    """An empty database of its own on the session's server."""
    graph = make_fresh_store(settings)
    yield graph
    graph.close()


# Test files that are slow by nature: a real browser, fault injection (killing stores), benchmarks,
# big loads. `pytest -m "not slow"` leaves them out; the README's `pytest` runs everything.
SLOW_FILES = {"test_browser.py", "test_curation_browser.py", "test_bench_browser.py", "test_faults.py", "test_bench.py",
              "test_backtest.py", "test_evaluate.py", "test_portfolio.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        # the demo store loads ~4,000 invented entities first (about 12 s): its tests are slow too
        if item.path.name in SLOW_FILES or "demo_store" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
