"""The store: the official ``neo4j`` driver over Bolt, to Neo4j 5 or to the embedded default.

Every statement comes from the registry in :mod:`graph.cypher` by name, with its values as
parameters. Writes go in batches (``UNWIND $rows ...``) inside one explicit transaction that
commits as a whole or not at all.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from neo4j import Driver, GraphDatabase, ManagedTransaction, Transaction
from neo4j.exceptions import AuthError, ServiceUnavailable, TransientError, Neo4jError

from graph.cypher import Statement, schema_setup_statements, statement
from graph.embedded import EmbeddedServer, EmbeddedStoreError, ROOT_USER
from graph.settings import Settings

BATCH_SIZE = 5000


class StoreUnavailable(RuntimeError):
    """The graph store cannot be reached; the message says which store and what to do."""


def _resolve(stmt: str | Statement) -> Statement:
    return stmt if isinstance(stmt, Statement) else statement(stmt)


def batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class Writer:
    """Writes inside one open transaction (see :meth:`GraphStore.transaction`)."""

    def __init__(self, tx: Transaction, progress: Callable[[int], None] | None = None) -> None:
        self._tx = tx
        self._progress = progress

    def run(self, stmt: str | Statement, **params: Any) -> list[dict[str, Any]]:
        return [record.data() for record in self._tx.run(_resolve(stmt).text, **params)]

    def write_rows(self, stmt: str | Statement, rows: Sequence[Any], key: str = "rows",
                   batch_size: int = BATCH_SIZE) -> int:
        """Send rows in batches as ``$rows`` (or ``$<key>``) to one ``UNWIND`` statement."""
        text = _resolve(stmt).text
        for chunk in batches(rows, batch_size):
            self._tx.run(text, **{key: list(chunk)}).consume()
            if self._progress:
                self._progress(len(chunk))
        return len(rows)


class GraphStore:
    """A connection to the configured graph store."""

    def __init__(self, settings: Settings | None = None, *, start_embedded: bool = True) -> None:
        self.settings = settings or Settings.from_env()
        self.embedded = EmbeddedServer(self.settings) if self.settings.backend == "embedded" else None
        self._driver: Driver | None = None
        self._start_embedded = start_embedded
        self._schema_ready = False

    # -- connection ---------------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        """Which store is configured (no connection made)."""
        if self.embedded:
            status = self.embedded.status()
            return {"backend": "embedded", "uri": status["bolt_uri"], "database": self.database,
                    "data_dir": status["data_dir"]}
        return {"backend": "neo4j", "uri": self.settings.neo4j_uri, "database": self.database}

    @property
    def database(self) -> str | None:
        return self.settings.embedded_database if self.embedded else self.settings.neo4j_database

    def _what_to_do(self) -> str:
        if self.embedded:
            return (f"Start it with `python -m graph start` (data in {self.embedded.home}); "
                    f"its log is {self.embedded.log_file}.")
        return ("Check that the Neo4j server is running and that NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD "
                "and NEO4J_DATABASE are right (or unset NEO4J_URI to use the embedded store).")

    def driver(self) -> Driver:
        if self._driver is not None:
            return self._driver
        if self.embedded:
            if self._start_embedded:
                try:
                    state = self.embedded.ensure_running()
                except EmbeddedStoreError as error:
                    raise StoreUnavailable(str(error)) from error
            else:
                state = self.embedded.state()
                if state is None:
                    raise StoreUnavailable("The embedded store is not running. " + self._what_to_do())
            uri = f"bolt://127.0.0.1:{state.bolt_port}"
            auth = (ROOT_USER, self.embedded.password())
            if self.database != state.database:
                try:
                    self.embedded.ensure_database(self.database or state.database)
                except EmbeddedStoreError as error:
                    raise StoreUnavailable(str(error)) from error
        else:
            uri = self.settings.neo4j_uri or ""
            auth = (self.settings.neo4j_username, self.settings.neo4j_password)
        try:
            driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=10, max_connection_lifetime=3600)
            driver.verify_connectivity()
        except AuthError as error:
            raise StoreUnavailable(f"The graph store at {uri} refused the credentials. {self._what_to_do()}") from error
        except (ServiceUnavailable, OSError, ValueError) as error:
            raise StoreUnavailable(f"The graph store at {uri} cannot be reached ({error}). {self._what_to_do()}") from error
        self._driver = driver
        return driver

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ping(self) -> bool:
        try:
            self.read("ping")
            return True
        except StoreUnavailable:
            return False

    # -- schema ----------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create constraints and indexes idempotently (``IF NOT EXISTS``)."""
        if self._schema_ready:
            return
        with self.driver().session(database=self.database) as session:
            for stmt in schema_setup_statements():
                session.run(stmt.text).consume()
        self._schema_ready = True

    # -- reads and writes -----------------------------------------------------------------------
    def read(self, stmt: str | Statement, **params: Any) -> list[dict[str, Any]]:
        text = _resolve(stmt).text

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(text, **params)]

        try:
            with self.driver().session(database=self.database) as session:
                return session.execute_read(work)
        except ServiceUnavailable as error:
            self.close()
            raise StoreUnavailable(f"The graph store stopped answering ({error}). {self._what_to_do()}") from error

    @contextmanager
    def transaction(self, progress: Callable[[int], None] | None = None) -> Iterator[Writer]:
        """One explicit write transaction: committed when the block ends, rolled back on error."""
        self.ensure_schema()
        with self.driver().session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                yield Writer(tx, progress)
                tx.commit()
            except BaseException:
                if not tx.closed():
                    tx.rollback()
                raise
            finally:
                tx.close()

    def write(self, work: Callable[[Writer], Any], retries: int = 5,
              progress: Callable[[int], None] | None = None) -> Any:
        """Run ``work`` in a transaction, retried on transient errors (e.g. concurrent writers)."""
        delay = 0.2
        for attempt in range(retries + 1):
            try:
                with self.transaction(progress) as writer:
                    return work(writer)
            except (TransientError, Neo4jError) as error:
                transient = isinstance(error, TransientError) or "Concurrent" in str(error) or \
                    "ConcurrentModification" in str(getattr(error, "code", ""))
                if not transient or attempt == retries:
                    raise
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")
