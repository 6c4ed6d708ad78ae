"""The store: the official ``neo4j`` driver over Bolt, to Neo4j 5 or to the embedded default.

Every statement comes from the registry in :mod:`graph.cypher` by name, with its values as
parameters. Writes go in batches (``UNWIND $rows ...``) inside one explicit transaction that
commits as a whole or not at all.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import orjson
from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Record, Result, Transaction
from neo4j.exceptions import (AuthError, IncompleteCommit, ServiceUnavailable, SessionExpired, TransientError,
                              Neo4jError)

from graph.cypher import Statement, schema_setup_statements, statement
from graph.embedded import EmbeddedServer, EmbeddedStoreError, ROOT_USER
from graph.limits import BATCH_BYTES, MAX_ROW_BYTES, MAX_VALUE_BYTES
from graph.settings import Settings

BATCH_SIZE = 5000
# Transactions this process has committed (any store): readers that remember what they read
# (queries.projection) read again after a write of their own.
_commits = 0
CONNECT_TIMEOUT_S = 3.0
RETRY_TIME_S = 2.0


class StoreUnavailable(RuntimeError):
    """The graph store cannot be reached; the message says which store and what to do."""


class ValueTooLarge(ValueError):
    """A record or one of its values is too large to send to the store; names record and field.
    Raised before anything of the batch is sent (the transaction is rolled back)."""

    def __init__(self, record: str, field: str | None, size: int, limit: int) -> None:
        self.record, self.field, self.size, self.limit = record, field, size, limit
        what = f"field '{field}' of record '{record}'" if field else f"record '{record}'"
        super().__init__(
            f"{what} is {size / 1048576:.1f} MiB; the limit is {limit / 1048576:.0f} MiB "
            f"({'per value' if field and limit == MAX_VALUE_BYTES else 'per record'}). "
            f"Nothing was written. / Trường quá lớn ({size / 1048576:.1f} MiB, giới hạn "
            f"{limit / 1048576:.0f} MiB); không có gì được ghi.")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


_SIZE_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, allow_nan=True)  # made once: every row is sized


def encoded_size(value: Any) -> int:
    """About how many bytes a value takes in a Bolt message (UTF-8 text plus small headers).
    Every row of a write is sized, so the common case goes through orjson; what it refuses (an
    integer over 64 bits, a lone surrogate) goes through the standard encoder, as before."""
    try:
        return len(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))
    except (orjson.JSONEncodeError, TypeError):
        return len(_SIZE_ENCODER.encode(value).encode("utf-8"))


def _row_label(row: Any) -> str:
    if isinstance(row, dict):
        for key in ("id", "from_id"):
            if isinstance(row.get(key), str):
                return row[key] if key == "id" else f"{row['from_id']} → {row.get('to_id')}"
    return str(row)[:80]


def _largest_field(row: Any) -> tuple[str | None, int]:
    best: tuple[str | None, int] = (None, 0)
    if not isinstance(row, dict):
        return best
    for key, value in row.items():
        if isinstance(value, dict):
            name, size = _largest_field(value)
            if size > best[1]:
                best = (name, size)
        else:
            size = encoded_size(value)
            if size > best[1]:
                best = (str(key), size)
    return best


def check_row_size(row: Any) -> int:
    """The encoded size of one row; ValueTooLarge when one value or the row is over its limit."""
    size = encoded_size(row)
    if size > MAX_VALUE_BYTES:
        field, field_size = _largest_field(row)
        if field_size > MAX_VALUE_BYTES:
            raise ValueTooLarge(_row_label(row), field, field_size, MAX_VALUE_BYTES)
        if size > MAX_ROW_BYTES:
            raise ValueTooLarge(_row_label(row), None, size, MAX_ROW_BYTES)
    return size


def byte_batches(rows: Iterable[Any], size: int = BATCH_SIZE, max_bytes: int = BATCH_BYTES) -> Iterator[list[Any]]:
    """Rows in batches of at most ``size`` rows and about ``max_bytes`` bytes (a row larger than
    ``max_bytes`` goes alone); every row is checked by :func:`check_row_size` first."""
    chunk: list[Any] = []
    total = 0
    for row in rows:
        row_size = check_row_size(row)
        if chunk and (len(chunk) >= size or total + row_size > max_bytes):
            yield chunk
            chunk, total = [], 0
        chunk.append(row)
        total += row_size
    if chunk:
        yield chunk


class _WriteLock:
    """One writer at a time on a database of the embedded store, across threads and processes.

    The embedded server (ArcadeDB) reports concurrent writers on overlapping data with errors
    that do not say so: creating the first node of a label combination or the first edge of a
    type races on its internal type ("Cannot create type 'Entity~Theme' because already exists",
    seen as SemanticError or UnknownError on the client), and edges added to the same node
    conflict. Writes through this code therefore take an exclusive lock file next to the store
    (``fcntl.flock``: released by the system even when a process is killed). Re-entrant in the
    same thread, so a load can hold it from planning to commit. Neo4j handles concurrent writers
    itself (transient errors, retried), so no lock is taken there.
    """

    _registry: dict[str, "_WriteLock"] = {}
    _registry_guard = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = path
        self.rlock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    @classmethod
    def for_path(cls, path: str) -> "_WriteLock":
        with cls._registry_guard:
            return cls._registry.setdefault(path, cls(path))

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self.rlock:
            if self.depth == 0:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self.fd = fd
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0 and self.fd is not None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                    os.close(self.fd)
                    self.fd = None


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """A value of a record as plain Python, as ``Record.data()`` gives it, but without its
    per-value type tests for the values our statements return (strings, numbers, lists, maps):
    about 4x faster on large reads (the projections)."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is list:
        return value if all(type(item) in _PLAIN_TYPES for item in value) else [_plain(item) for item in value]
    if kind is dict:
        return {key: _plain(item) for key, item in value.items()}
    return Record({"value": value}).data()["value"]  # a node, a path, a date …: the driver's own conversion


def rows_of(result: Result) -> list[dict[str, Any]]:
    """Every record of a result as a plain dict (keys as the statement names them)."""
    keys = result.keys()
    return [dict(zip(keys, map(_plain, record))) for record in result]


def _count_commit() -> None:
    global _commits
    _commits += 1


def commits() -> int:
    """How many write transactions this process has committed so far."""
    return _commits


def _resolve(stmt: str | Statement) -> Statement:
    return stmt if isinstance(stmt, Statement) else statement(stmt)


def batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


_T = TypeVar("_T")
_END = object()


def one_ahead(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, each made in a helper thread while the caller uses the one before: a write's
    next batch of rows is built and sized while the store writes the current one (the caller
    waits on the socket then, which leaves the interpreter free). An error making an item is
    raised where that item would have been."""
    with ThreadPoolExecutor(1, thread_name_prefix="rows-ahead") as helper:
        pending = helper.submit(next, items, _END)
        while (item := pending.result()) is not _END:
            pending = helper.submit(next, items, _END)
            yield item


class Writer:
    """Writes inside one open transaction (see :meth:`GraphStore.transaction`)."""

    def __init__(self, tx: Transaction, progress: Callable[[int], None] | None = None) -> None:
        self._tx = tx
        self._progress = progress

    def run(self, stmt: str | Statement, **params: Any) -> list[dict[str, Any]]:
        for name, value in params.items():
            if encoded_size(value) > MAX_ROW_BYTES:
                raise ValueTooLarge(_row_label(value), name, encoded_size(value), MAX_ROW_BYTES)
        return rows_of(self._tx.run(_resolve(stmt).text, **params))

    def write_rows(self, stmt: str | Statement, rows: Iterable[Any], key: str = "rows",
                   batch_size: int = BATCH_SIZE) -> int:
        """Send rows in batches as ``$rows`` (or ``$<key>``) to one ``UNWIND`` statement; batches
        are sized by bytes so that no Bolt message goes over the store's limit. ``rows`` may be a
        generator: the next batch is made while the store writes the current one."""
        text = _resolve(stmt).text
        written = 0
        for chunk in one_ahead(byte_batches(rows, batch_size)):
            self._tx.run(text, **{key: chunk}).consume()
            written += len(chunk)
            if self._progress:
                self._progress(len(chunk))
        return written


class GraphStore:
    """A connection to the configured graph store."""

    def __init__(self, settings: Settings | None = None, *, start_embedded: bool = True) -> None:
        self.settings = settings or Settings.from_env()
        self.embedded = EmbeddedServer(self.settings) if self.settings.backend == "embedded" else None
        self._driver: Driver | None = None
        self._start_embedded = start_embedded
        self._schema_ready = False

    # -- connection ---------------------------------------------------------------------------
    def identity(self) -> tuple[str, ...]:
        """Which graph this is, from the settings alone (no connection, no file read): a cache key."""
        if self.embedded:
            return ("embedded", str(self.settings.data_dir), str(self.settings.embedded_bolt_port), self.database or "")
        return ("neo4j", self.settings.neo4j_uri or "", self.database or "")

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
            # short timeouts: with the store down, a page says so in seconds instead of retrying for 30 s
            driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=CONNECT_TIMEOUT_S,
                                          max_transaction_retry_time=RETRY_TIME_S, max_connection_lifetime=3600)
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
        with self.write_lock(), self.driver().session(database=self.database) as session:
            for stmt in schema_setup_statements():
                session.run(stmt.text).consume()
        self._schema_ready = True

    # -- reads and writes -----------------------------------------------------------------------
    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Exclusive right to write to this database (embedded store only; see :class:`_WriteLock`).
        Held by every write transaction; a loader holds it from planning to commit."""
        if not self.embedded:
            yield
            return
        self.embedded.home.mkdir(parents=True, exist_ok=True)
        path = str(self.embedded.home / f".writes-{self.database}.lock")
        with _WriteLock.for_path(path).hold():
            yield

    def read(self, stmt: str | Statement, **params: Any) -> list[dict[str, Any]]:
        text = _resolve(stmt).text

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return rows_of(tx.run(text, **params))

        self._health_check()
        try:
            with self.driver().session(database=self.database) as session:
                return session.execute_read(work)
        except (ServiceUnavailable, SessionExpired) as error:
            raise self._stopped_answering(error) from error

    def stream(self, stmt: str | Statement, **params: Any) -> Iterator[dict[str, Any]]:
        """The rows of a read one at a time, as the driver fetches them in batches: for the large
        projections, whose rows as one list took more memory than what is built from them. Not
        retried (unlike :meth:`read`): a caller that stopped half-way would see rows twice."""
        text = _resolve(stmt).text
        self._health_check()
        try:
            with self.driver().session(database=self.database, default_access_mode=READ_ACCESS) as session:
                with session.begin_transaction() as tx:
                    result = tx.run(text, **params)
                    keys = result.keys()
                    for record in result:
                        yield dict(zip(keys, map(_plain, record)))
        except (ServiceUnavailable, SessionExpired) as error:
            raise self._stopped_answering(error) from error

    def _stopped_answering(self, error: Exception) -> StoreUnavailable:
        """A read lost the store: the connection is dropped (the next call reconnects or says why not)."""
        self.close()
        return StoreUnavailable(f"The graph store stopped answering ({_first_line(error)}). {self._what_to_do()}")

    def _health_check(self) -> None:
        """Fail fast when the embedded store this connection uses has gone (its process is dead):
        the next call starts it again (or says it is not running)."""
        if self._driver is not None and self.embedded and self.embedded.state() is None:
            self.close()

    @contextmanager
    def transaction(self, progress: Callable[[int], None] | None = None) -> Iterator[Writer]:
        """One explicit write transaction: committed when the block ends, rolled back on error."""
        self.ensure_schema()
        try:
            with self.write_lock(), self.driver().session(database=self.database) as session:
                tx = session.begin_transaction()
                try:
                    yield Writer(tx, progress)
                    tx.commit()
                    _count_commit()
                except BaseException:
                    if not tx.closed():
                        try:
                            tx.rollback()
                        except (ServiceUnavailable, SessionExpired, OSError):
                            pass  # the store is gone: it rolls back an uncommitted transaction itself
                    raise
                finally:
                    try:
                        tx.close()
                    except (ServiceUnavailable, SessionExpired, OSError):
                        pass
        except IncompleteCommit as error:
            self.close()
            raise StoreUnavailable(f"The graph store stopped answering while committing: the write may or may not "
                                   f"have been saved; run the same command again to complete it (loads are "
                                   f"idempotent). {self._what_to_do()}") from error
        except (ServiceUnavailable, SessionExpired) as error:
            self.close()
            raise StoreUnavailable(f"The graph store stopped answering during the write ({_first_line(error)}); "
                                   f"nothing of it was saved. {self._what_to_do()} / Kho dữ liệu ngừng trả lời "
                                   "trong khi ghi; không có gì được lưu.") from error

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
