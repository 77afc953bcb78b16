"""Write transactions that wait for the other users of the database file.

SQLite has one writer at a time, and in its rollback-journal mode (the loader's) a commit also waits
for the readers of the moment (the site's queries, which Datasette stops within 3 s). A write
transaction here begins with ``BEGIN IMMEDIATE`` (so two loaders queue instead of failing half-way),
each statement waits up to ``BUSY_TIMEOUT_S`` for a lock, and a transaction that still finds the
file busy is rolled back, so that the readers waiting behind it can go on, and run again, until
``patience_s`` is spent. Then :class:`DatabaseBusyError` names the file and, on Linux, the processes
holding a lock on it: nothing is dropped without a word.
"""
from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

# Each statement waits this long for a lock: longer than a query of the site may hold its read
# lock (Datasette's time limit is 3 s), so a commit gets through between two queries.
BUSY_TIMEOUT_S = 5.0
# How long a write waits in all, over its tries, before the load stops with DatabaseBusyError.
WRITE_PATIENCE_S = 60.0
_PAUSE_BETWEEN_TRIES_S = 0.2

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6

T = TypeVar("T")


class DatabaseBusyError(Exception):
    """Another connection kept the database locked for longer than the writer's patience."""

    def __init__(self, db_path: str, waited_s: float, holders: list[str]):
        held_by = f"held by {'; '.join(holders)}" if holders else \
            "held by another process (another `vnfacts load`, or a reader keeping a transaction open)"
        super().__init__(f"{db_path} stayed locked for {waited_s:.0f} s ({held_by})")
        self.db_path = db_path
        self.holders = holders


def is_busy(err: BaseException) -> bool:
    """Whether ``err`` says another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED)."""
    if not isinstance(err, sqlite3.OperationalError):
        return False
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(err) or "busy" in str(err)


def database_path(conn: sqlite3.Connection) -> str:
    """The file of the connection's main database ('' for an in-memory one)."""
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""


def write_transaction(conn: sqlite3.Connection, work: Callable[[], T], patience_s: float = WRITE_PATIENCE_S) -> T:
    """Run ``work()`` in one write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) on ``conn``,
    an autocommit connection; every error rolls it back. While the file is busy it is rolled back
    and run again, until ``patience_s`` is spent: then :class:`DatabaseBusyError`."""
    started = time.monotonic()
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                conn.execute("COMMIT")
                return result
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as err:
            waited = time.monotonic() - started
            if not is_busy(err):
                raise
            if waited >= patience_s:
                path = database_path(conn)
                raise DatabaseBusyError(path, waited, lock_holders(path)) from err
            time.sleep(_PAUSE_BETWEEN_TRIES_S)


@contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """A part of the current transaction that is all or nothing: an error inside rolls back what
    the block wrote, and only that, before it goes on up (the transaction itself stays open)."""
    conn.execute(f"SAVEPOINT [{name}]")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO [{name}]")
            conn.execute(f"RELEASE [{name}]")
        raise
    conn.execute(f"RELEASE [{name}]")


def file_lock_id(st: os.stat_result) -> str:
    """How /proc/locks names the file of ``st``: "major:minor:inode" of its device, in hex."""
    return f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"


def lock_table() -> list[tuple[int, str]]:
    """Each lock held on Linux as (process id, `file_lock_id` of its file), from /proc/locks (empty
    elsewhere). A process waiting for a lock holds nothing by that line."""
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return []
    # a line: "1: POSIX  ADVISORY  READ 1234 fe:00:2146353 1073741826 1073742335"; a process waiting
    # for a lock has "->" after the number
    held = []
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[1] != "->" and fields[4].isdigit():
            held.append((int(fields[4]), fields[5]))
    return held


def locking_pids(path: str | Path) -> set[int]:
    """The processes holding a lock on the file ``path``, from Linux's /proc/locks (empty elsewhere)."""
    try:
        file_id = file_lock_id(os.stat(path))
    except OSError:
        return set()
    return {pid for pid, locked in lock_table() if locked == file_id}


def lock_holders(path: str | Path) -> list[str]:
    """The processes holding a lock on ``path`` other than this one, as "pid N (command line)"."""
    holders = []
    for pid in sorted(locking_pids(path) - {os.getpid()}):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            command = ""
        holders.append(f"pid {pid} ({command[:200]})" if command else f"pid {pid}")
    return holders
