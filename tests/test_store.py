import pytest
from neo4j.exceptions import ConstraintError

from graph import cypher
from graph.embedded import EmbeddedServer
from graph.schema import NodeKind
from graph.settings import Settings
from graph.store import GraphStore, StoreUnavailable


def test_embedded_store_runs_on_loopback_and_reports_status(server: EmbeddedServer, settings: Settings):
    status = server.status()
    assert status["running"] is True
    assert status["bolt_uri"] == f"bolt://127.0.0.1:{settings.embedded_bolt_port}"
    assert status["data_dir"].startswith(str(settings.data_dir))
    assert (settings.embedded_dir / "credentials.json").stat().st_mode & 0o077 == 0


def test_schema_setup_is_idempotent_and_ids_are_unique(fresh_store: GraphStore):
    fresh_store.ensure_schema()
    fresh_store._schema_ready = False
    fresh_store.ensure_schema()  # IF NOT EXISTS: a second run is harmless
    rows = [{"id": "x1", "props": {"name": "X"}}]
    fresh_store.write(lambda w: w.write_rows(cypher.create_entities([NodeKind.DONOR]), rows), retries=0)
    with pytest.raises(ConstraintError):
        fresh_store.write(lambda w: w.write_rows(cypher.create_entities([NodeKind.THEME]), rows), retries=0)
    assert fresh_store.read("count_entities")[0]["count"] == 1


def test_a_failed_transaction_writes_nothing(fresh_store: GraphStore):
    rows = [{"id": f"n{i}", "props": {"name": f"N{i}"}} for i in range(10)]

    def work(writer):
        writer.write_rows(cypher.create_entities([NodeKind.THEME]), rows)
        writer.write_rows(cypher.create_entities([NodeKind.THEME]), [rows[0]])  # duplicate id

    with pytest.raises(ConstraintError):
        fresh_store.write(work, retries=0)
    assert fresh_store.read("count_entities")[0]["count"] == 0


def test_batched_writes_cross_batch_boundaries(fresh_store: GraphStore):
    rows = [{"id": f"b{i}", "props": {"name": f"B{i}"}} for i in range(1203)]
    fresh_store.write(lambda w: w.write_rows(cypher.create_entities([NodeKind.PLACE]), rows, batch_size=500))
    assert fresh_store.read("count_entities")[0]["count"] == 1203


def test_unreachable_neo4j_gives_a_clear_message():
    store = GraphStore(Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x"))
    with pytest.raises(StoreUnavailable, match="(?s)cannot be reached.*NEO4J_URI"):
        store.read("ping")
    with pytest.raises(StoreUnavailable, match="(?s)cannot be reached.*NEO4J_URI"):
        list(store.stream("ping"))  # the rows one at a time (the projections) fail the same way


def test_embedded_store_not_running_is_reported(tmp_path):
    settings = Settings(data_dir=tmp_path, embedded_bolt_port=9, embedded_http_port=9)
    store = GraphStore(settings, start_embedded=False)
    assert store.ping() is False
    with pytest.raises(StoreUnavailable, match="python -m graph start"):
        store.read("ping")
    with pytest.raises(StoreUnavailable, match="python -m graph start"):
        list(store.stream("ping"))


def test_occupied_port_is_explained(tmp_path, settings: Settings, server: EmbeddedServer):
    other = Settings(data_dir=tmp_path, embedded_bolt_port=settings.embedded_bolt_port,
                     embedded_http_port=settings.embedded_http_port)
    store = GraphStore(other)
    with pytest.raises(StoreUnavailable, match="VUSTA_EMBEDDED_BOLT_PORT"):
        store.read("ping")
