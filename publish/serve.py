"""`vnfacts serve`: publish a database written by `vnfacts load` with Datasette.

The site is plain Datasette plus the vnfacts plugin (:mod:`vnfacts.publish.site`, installed
through Datasette's entry point): its metadata, pages, templates and static files. ``vnfacts
serve`` runs Datasette in its own process, the database opened read-only but live
(:class:`LiveDatabase`: no connection can write, and what `vnfacts load` commits shows at once),
on 127.0.0.1 by default: no child process, no temporary file, and SIGINT or SIGTERM stop it
cleanly. The port is bound before anything says "Serving", so a busy port is a clear error.

:class:`Site` runs the same command in a subprocess, for tests and programs that need a site for a
while (``python -P``: the current folder never shadows the installed code).
"""
from __future__ import annotations

import asyncio
import errno
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import queue
from concurrent.futures import Future
from pathlib import Path

from datasette.database import Database, QueryInterrupted, Results
from datasette.utils import sqlite_timelimit

from .site import VNFACTS_TABLES, has_vnfacts_tables
from .transactions import file_lock_id, lock_table

# Datasette settings of the published site: queries are bounded, pages short.
# truncate_cells_html: table pages clip long text (an article's, a sentence) to this many characters,
# the row page shows it whole; without it the articles table was 166,000 px tall.
# suggest_facets: Datasette tried a facet on every column of a table at each visit to suggest some:
# 2.8 of the 3.2 s of CPU the mentions table's page took at 1M articles (articles 2.8 s, events 1.7 s).
# The tables' own facets (metadata.yaml) stay, and any column can still be faceted from its menu.
SETTINGS = {"sql_time_limit_ms": 3000, "facet_time_limit_ms": 500, "default_page_size": 50,
            "truncate_cells_html": 160, "suggest_facets": False}


def site_settings(overrides: dict[str, str] | None = None) -> dict:
    """SETTINGS with ``overrides`` (``vnfacts serve --setting NAME VALUE``, values as typed), each
    value read as its setting's type; an unknown name or a value of the wrong type is a ValueError
    naming it."""
    from datasette.app import DEFAULT_SETTINGS

    settings = dict(SETTINGS)
    for name, value in (overrides or {}).items():
        if name not in DEFAULT_SETTINGS:
            raise ValueError(f"--setting {name}: no such Datasette setting (one of {', '.join(sorted(DEFAULT_SETTINGS))})")
        kind = type(DEFAULT_SETTINGS[name])
        try:
            settings[name] = (str(value).lower() in ("1", "on", "true")) if kind is bool else kind(value)
        except ValueError:
            raise ValueError(f"--setting {name}: {value!r} is not a valid {kind.__name__}") from None
    return settings


class PortBusyError(OSError):
    """The port asked for is taken: the message names ``--port``."""


# SQLite's answer to a read-only connection that finds a journal to play back (SQLITE_READONLY_ROLLBACK)
_JOURNAL_TO_PLAY_BACK = 776


def needs_journal_played_back(err: BaseException) -> bool:
    return isinstance(err, sqlite3.OperationalError) and getattr(err, "sqlite_errorcode", None) == _JOURNAL_TO_PLAY_BACK


def play_back_journal(path: str | Path) -> None:
    """Roll back the transaction of a writer killed during its commit (`vnfacts load` killed at the
    wrong moment leaves the file half written, with the journal that undoes it). Any SQLite reader
    does this on its own, except a read-only one: it gets "attempt to write a readonly database"
    until a writer comes. So a connection that can write opens the file, reads, and closes: it
    runs none of the site's SQL, and only brings back the last committed state."""
    conn = sqlite3.connect(path, timeout=5)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def reading(path: str | Path, read):
    """``read()``, again once the journal of a killed writer is played back if it finds one."""
    try:
        return read()
    except sqlite3.OperationalError as err:
        if not needs_journal_played_back(err):
            raise
        play_back_journal(path)
        return read()


# How much of a served file each reading connection maps into memory (SQLite caps it at its build's
# limit, 2 GB here). Pages then come from the OS's cache without a read() and a copy each: the most
# mentioned programme's page at 1M articles 60 -> 49 ms of the server's CPU, a citation search
# 25 -> 19. Safe beside a writer on Linux (one page cache; SQLite maps only what the file holds).
READ_MMAP_BYTES = 1 << 40


def map_for_reading(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
    return conn


def open_read_only(db_path: str | Path) -> sqlite3.Connection:
    """Open a vnfacts database for reading; clear errors for a missing or foreign file."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such database (create it with `vnfacts load --db {path} INPUT`)")
    conn = map_for_reading(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True))
    try:
        ok = reading(path, lambda: has_vnfacts_tables(conn))
    except sqlite3.DatabaseError as err:
        conn.close()
        raise ValueError(f"{path}: not an SQLite database ({err})") from None
    if not ok:
        conn.close()
        raise ValueError(f"{path}: not a vnfacts database (it lacks a table of {', '.join(VNFACTS_TABLES)}); "
                         f"create it with `vnfacts load --db {path} INPUT`")
    return conn


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the database: the file name without its extension."""
    return Path(db_path).stem


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: a free port); :class:`PortBusyError` when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise PortBusyError(err.errno, f"port {port} on {host} is already in use: choose another with --port "
                                           f"(--port 0 picks a free one)") from None
        raise PortBusyError(err.errno, f"cannot listen on {host}:{port} ({err.strerror}): choose another --host or --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """Which file is at ``path`` now (device and inode); None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


# Descriptors of the served files, opened at the first look at each and closed only once the path
# names another file and this process holds no lock on it any more. SQLite's read locks are POSIX
# record locks, which belong to the process, and closing *any* descriptor of a file lets go of every
# one the process holds on it (sqlite.org/howtocorrupt.html, 2.2; SQLite's own connections put such
# a close off, other code does not). `file_version` used to open, read and close the file on the
# event loop's thread at each schema question of a page while the SQL threads were reading: a
# commit of `vnfacts load` waiting for their locks then went through under them, and they read
# its half-written pages ("database disk image is malformed", a 500 on the home page).
_kept_open: dict[str, dict[tuple[int, int], int]] = {}  # path -> {(device, inode): descriptor}
_kept_open_lock = threading.Lock()


def kept_open_descriptor(path: str | Path) -> int | None:
    """A read-only descriptor of the file now at ``path``, kept open (see ``_kept_open``); None when
    there is no file."""
    identity = file_identity(path)
    if identity is None:
        return None
    with _kept_open_lock:
        kept = _kept_open.setdefault(str(path), {})
        if identity not in kept:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return None
            st = os.fstat(fd)  # another file than the one looked at, when the path was replaced since
            identity = (st.st_dev, st.st_ino)
            kept.setdefault(identity, fd)  # a second descriptor of a file already kept is never closed either
            _close_replaced(kept, identity)
        return kept[identity]


def _close_replaced(kept: dict[tuple[int, int], int], current: tuple[int, int]) -> None:
    """Close the descriptors of the files the path named before ``current`` that no connection of
    this process holds a lock on (one still read from is closed at a later replacement)."""
    locked = {file_id for pid, file_id in lock_table() if pid == os.getpid()}
    for identity, fd in list(kept.items()):
        if identity != current and file_lock_id(os.fstat(fd)) not in locked:
            os.close(kept.pop(identity))


def file_version(path: str | Path) -> tuple[int, ...] | None:
    """The file at ``path`` as it is now: which file, its modification time and size, and SQLite's
    file change counter (the header's bytes 24-27, which every commit in rollback-journal mode, the
    mode `vnfacts load` writes in, increments: two commits within one tick of the clock differ
    there). None when there is no file. Read through `kept_open_descriptor`: no read lock of this
    process is let go."""
    fd = kept_open_descriptor(path)
    if fd is None:
        return None
    st = os.fstat(fd)
    header = os.pread(fd, 28, 0)
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size, int.from_bytes(header[24:28], "big")


# a query of the schema alone: its answer changes only with the file
_SCHEMA_QUERY = re.compile(r"\s*select name from sqlite_master\s+where\s[^;]*", re.I)
# Datasette's count of a column's values on a table page (its ColumnFacet): the answer changes only
# with the file, and counting reads every row the page's filters keep (the facts table's four facets
# at 900,000 facts: 0.2-0.4 s each, at every visit).
_FACET_QUERY = re.compile(r"\s*select (\S+) as value, count\(\*\) as count from \(.*\)\s*"
                          r"where \1 is not null\s+group by \1 order by count desc, value limit \d+\s*", re.I | re.S)
REMEMBERED_FACETS = 256  # facet answers kept for the file as it is (a few KB each at most)
# A facet count that runs over Datasette's facet time limit goes on in the background, on a thread
# of its own (one: Datasette's SQL threads stay free for pages), for at most this long, and its
# answer is remembered for the file as it is: the page that asked says the facet timed out, the
# next ones show it. Datasette never keeps a count that timed out, so at ~30M facts (1M articles
# at real density) the facts table's label and year facets, 0.2-0.4 s each at 900,000 facts, would
# time out at every visit and never show.
BACKGROUND_FACET_LIMIT_MS = 120_000


class BackgroundWorker:
    """One daemon thread running the functions given to :meth:`submit` in turn. Daemon: a server
    told to stop does not wait for a count it started in the background (a ThreadPoolExecutor's
    threads are joined at exit: `vnfacts serve` would hang up to BACKGROUND_FACET_LIMIT_MS after
    Ctrl-C); the count only reads, so nothing is left half done."""

    def __init__(self, name: str):
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def submit(self, fn) -> Future:
        done: Future = Future()
        self._work.put((fn, done))
        return done

    def _run(self) -> None:
        while True:
            fn, done = self._work.get()
            if done.set_running_or_notify_cancel():
                try:
                    done.set_result(fn())
                except BaseException as err:  # handed to whoever waits for it
                    done.set_exception(err)


class LiveDatabase(Database):
    """The served file, opened read-only but not immutable (``mode=ro``).

    SQLite then locks the file for each read and sees every article `vnfacts load` commits, while
    an immutable file that changes underneath reads as corrupt ("database disk image is
    malformed"). Datasette counts the rows of a live file at each request (within its time limits)
    instead of once. No connection can write, whatever a plugin asks (the journal a load killed
    during a commit leaves is played back by a connection of its own: `play_back_journal`). A file replaced under the
    same path (``mv``, or deleted and loaded anew) is reopened at the next query: each thread's
    connection remembers which file it opened."""

    def __init__(self, ds, path: str | Path):
        super().__init__(ds, path=str(path), is_mutable=True)
        self._per_thread = threading.local()
        self._schema_answers: tuple[tuple | None, dict] = (None, {})
        self._facet_answers: tuple[tuple | None, dict] = (None, {})
        self._facet_counter: BackgroundWorker | None = None  # started at the first count that times out
        self._facets_counting: dict[tuple, asyncio.Future] = {}  # (file version, key) -> its count

    def connect(self, write: bool = False):
        return map_for_reading(super().connect(write=False))  # mode=ro, Datasette's writer connection included

    async def execute_fn(self, fn):
        def run():
            return reading(self.path, lambda: fn(self.connection_to_current_file()))

        if self.ds.executor is None:  # Datasette run without SQL threads
            return run()
        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, run)

    # Datasette asks these of every table at each visit of its home page (five queries a table,
    # each a trip to a SQL thread: 80 ms for the 30 tables of a vnfacts file on a busy machine).
    # The answers hold while the file is unchanged: any write changes its modification time.
    async def table_exists(self, table):
        return await self._schema_answer("exists", table, Database.table_exists)

    async def table_columns(self, table):
        return await self._schema_answer("columns", table, Database.table_columns)

    async def primary_keys(self, table):
        return await self._schema_answer("primary keys", table, Database.primary_keys)

    async def fts_table(self, table):
        return await self._schema_answer("full-text table", table, Database.fts_table)

    async def execute(self, sql, params=None, *args, **kwargs):
        """Datasette's query; one that only reads the schema (`select name from sqlite_master ...`:
        two for each table at each visit of the home page, to check permissions), or a table page's
        facet counts, is answered once for the file as it is."""
        if _SCHEMA_QUERY.fullmatch(sql) or _FACET_QUERY.fullmatch(sql):
            key = (sql, tuple(params) if isinstance(params, (list, tuple)) else repr(sorted((params or {}).items())))
            ask = lambda db, _: Database.execute(db, sql, params, *args, **kwargs)  # noqa: E731
            if _SCHEMA_QUERY.fullmatch(sql):
                return await self._schema_answer("query", key, ask)
            return await self._facet_answer(key, ask, sql, params, kwargs.get("custom_time_limit"))
        return await super().execute(sql, params, *args, **kwargs)

    def _answers(self, kept: str, version: tuple) -> dict:
        """The answers kept in the attribute ``kept`` for the file's ``version``, emptied when it changed."""
        if getattr(self, kept)[0] != version:
            setattr(self, kept, (version, {}))
        return getattr(self, kept)[1]

    async def _schema_answer(self, question: str, table, ask):
        version = file_version(self.path)
        if version is None:
            return await ask(self, table)
        answers = self._answers("_schema_answers", version)
        if (question, table) not in answers:
            answers[(question, table)] = await ask(self, table)
        return answers[(question, table)]

    async def _facet_answer(self, key, ask, sql: str, params, time_limit_ms: int | None):
        """A facet's counts, remembered for the file as it is (the last :data:`REMEMBERED_FACETS`
        asked). One that runs over its time limit raises QueryInterrupted as before (Datasette says
        the facet timed out) and is counted to the end in the background, then remembered: a page
        asking for it meanwhile waits for that count within its time limit."""
        version = file_version(self.path)
        if version is None:
            return await ask(self, key)
        answers = self._answers("_facet_answers", version)
        if key in answers:
            answers[key] = answers.pop(key)  # the most recently asked last
            return answers[key]
        counting = self._facets_counting.get((version, key))
        if counting is not None:
            try:
                return await asyncio.wait_for(asyncio.shield(counting), self._time_limit_ms(time_limit_ms) / 1000)
            except asyncio.TimeoutError:
                raise QueryInterrupted(TimeoutError("still counting in the background"), sql, params) from None
        try:
            answer = await ask(self, key)
        except QueryInterrupted:
            self._count_in_background(version, key, sql, params)
            raise
        self._remember_facet(version, key, answer)
        return answer

    def _time_limit_ms(self, custom: int | None) -> int:
        """The time limit Datasette gives a query asked with ``custom_time_limit=custom``."""
        limit = self.ds.sql_time_limit_ms
        return custom if custom and custom < limit else limit

    def _remember_facet(self, version: tuple, key, answer) -> None:
        if self._facet_answers[0] != version:  # the file changed meanwhile: the answer is of an older one
            return
        answers = self._facet_answers[1]
        answers[key] = answer
        while len(answers) > REMEMBERED_FACETS:
            del answers[next(iter(answers))]

    def _count_in_background(self, version: tuple, key, sql: str, params) -> None:
        """Count the facet to the end on the background thread (at most BACKGROUND_FACET_LIMIT_MS)
        and remember its answer for the file's ``version``."""
        def count():
            # a commit since it was asked (a load commits often): its answer would never be shown
            if file_version(self.path) != version:
                raise QueryInterrupted(RuntimeError("the file changed"), sql, params)

            def read():
                conn = self.connection_to_current_file()
                with sqlite_timelimit(conn, BACKGROUND_FACET_LIMIT_MS):
                    cursor = conn.execute(sql, params if params is not None else {})
                    return Results(cursor.fetchall(), False, cursor.description)
            return reading(self.path, read)

        def counted(done: Future) -> None:
            self._facets_counting.pop((version, key), None)
            if not done.cancelled() and done.exception() is None:  # an error or the limit: not remembered
                self._remember_facet(version, key, done.result())

        if self._facet_counter is None:
            self._facet_counter = BackgroundWorker("vnfacts-facet-count")
        counting = asyncio.wrap_future(self._facet_counter.submit(count))
        counting.add_done_callback(counted)
        self._facets_counting[(version, key)] = counting

    async def table_counts(self, limit=10):
        """Rows per table, each counted within ``limit`` ms, as Datasette's home page asks at each
        visit: that page shows no count as soon as one runs over, so counting stops there (a
        million articles: the full-text tables run over, and ~106 ms of counts were thrown away)."""
        counts: dict[str, int | None] = {}
        for table in await self.table_names():
            try:
                counts[table] = (await self.execute(f"select count(*) from [{table}]", custom_time_limit=limit)).rows[0][0]
            except (QueryInterrupted, sqlite3.DatabaseError):  # Datasette catches these too
                counts[table] = None
                break
        return counts

    def connection_to_current_file(self):
        """This thread's connection, reopened when the file at the path is another one (a file
        that disappeared keeps being served from the connection that has it open)."""
        current = file_identity(self.path)
        opened = getattr(self._per_thread, "opened", None)
        if opened is not None and current in (None, opened[1]):
            return opened[0]
        if opened is not None:
            opened[0].close()
        conn = self.connect()
        self.ds._prepare_connection(conn, self.name)
        self._per_thread.opened = (conn, current)
        return conn


def make_datasette(db_path: str | Path, settings: dict[str, str] | None = None):
    """The Datasette application for ``db_path`` (a :class:`LiveDatabase`), the vnfacts plugin
    loaded by its entry point; ``settings`` override SETTINGS (:func:`site_settings`)."""
    from datasette.app import Datasette

    datasette = Datasette(files=[str(db_path)], settings=site_settings(settings))
    name = database_name(db_path)
    datasette.remove_database(name)  # Datasette's own file database, replaced by the live one
    datasette.add_database(LiveDatabase(datasette, db_path), name=name)
    return datasette


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", out=None, quiet: bool = False,
          settings: dict[str, str] | None = None) -> int:
    """Serve ``db_path`` in the foreground until SIGINT or SIGTERM, printing its URL once the port is bound."""
    import asyncio

    import uvicorn

    out = out or sys.stderr
    open_read_only(db_path).close()  # fail early and clearly on a wrong file
    site_settings(settings)  # and on a wrong setting
    sock = bind(host, port)
    try:
        datasette = make_datasette(db_path, settings)
        asyncio.run(datasette.invoke_startup())
        bound = sock.getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        print(f"Serving {db_path} at http://{shown_host}:{bound}/  (Ctrl-C to stop)", file=out, flush=True)
        config = uvicorn.Config(datasette.app(), log_level="warning" if quiet else "info", lifespan="on",
                                access_log=not quiet)
        server = uvicorn.Server(config)
        server.run(sockets=[sock])  # handles SIGINT and SIGTERM: stops accepting, finishes, returns
    finally:
        sock.close()
    return 0


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers; raise if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the site exited with code {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the site did not answer at {url} within {timeout:.0f} s")


def serve_command(db_path: str | Path, port: int, host: str = "127.0.0.1", quiet: bool = True,
                  settings: dict[str, str] | None = None) -> list[str]:
    """The command line of ``vnfacts serve`` for ``db_path``, safe from the current folder (``python -P``)."""
    return ([sys.executable, "-P", "-m", "vnfacts", "serve", "--db", str(db_path), "--host", host,
             "--port", str(port)] + (["--quiet"] if quiet else [])
            + [arg for name, value in (settings or {}).items() for arg in ("--setting", name, str(value))])


class Site:
    """A running site for one database, in a subprocess (context manager; stops it on exit)."""

    def __init__(self, db_path: str | Path, port: int | None = None, host: str = "127.0.0.1",
                 settings: dict[str, str] | None = None):
        open_read_only(db_path).close()  # fail early and clearly on a wrong file
        site_settings(settings)  # and on a wrong setting
        self.db_path = Path(db_path)
        self.settings = dict(settings or {})
        self.host = host
        self.port = port or free_port()
        self.url = f"http://{host}:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0, quiet: bool = True) -> "Site":
        out = subprocess.DEVNULL if quiet else None
        self.process = subprocess.Popen(serve_command(self.db_path, self.port, self.host, quiet, self.settings),
                                        stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_up(self.url + "-/versions.json", self.process, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "Site":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
