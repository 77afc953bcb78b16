"""`vnfacts serve`: publish a database written by `vnfacts load` with Datasette.

The site is plain Datasette plus what lives in ``publish/site``: the metadata (titles, descriptions
of every table and column, facets, canned queries), the vnfacts plugin (citation search and
programme pages), its templates and its static files. Datasette runs in immutable mode on
127.0.0.1 by default, so no endpoint can write to the database.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

SITE_DIR = Path(__file__).with_name("site")
STATIC_MOUNT = "vnfacts-static"
REQUIRED_TABLES = ("articles", "mentions", "legal_documents")


def open_read_only(db_path: str | Path) -> sqlite3.Connection:
    """Open a vnfacts database for reading; clear errors for a missing or foreign file."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such database (create it with `vnfacts load --db {path} INPUT`)")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as err:
        conn.close()
        raise ValueError(f"{path}: not an SQLite database ({err})") from None
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        conn.close()
        raise ValueError(f"{path}: not a vnfacts database (no table {', '.join(missing)}); "
                         f"create it with `vnfacts load --db {path} INPUT`")
    return conn


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the database: the file name without its extension."""
    return Path(db_path).stem


def build_metadata(db_path: str | Path) -> dict:
    """The site's metadata, with the database section under the served file's name."""
    metadata = yaml.safe_load((SITE_DIR / "metadata.yaml").read_text(encoding="utf-8"))
    name = database_name(db_path)
    metadata["databases"] = {name: metadata["databases"].pop("DATABASE")}
    for dashboard in (metadata.get("plugins", {}).get("datasette-dashboards") or {}).values():
        for chart in dashboard.get("charts", {}).values():
            if chart.get("db") == "DATABASE":
                chart["db"] = name
    return metadata


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def datasette_command(db_path: str | Path, metadata_path: str | Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """The `datasette serve` command line that publishes ``db_path`` as the vnfacts site."""
    return [
        sys.executable, "-m", "datasette", "serve",
        "-i", str(db_path),  # immutable: opened read-only
        "--host", host, "--port", str(port),
        "--metadata", str(metadata_path),
        "--plugins-dir", str(SITE_DIR / "plugins"),
        "--template-dir", str(SITE_DIR / "templates"),
        "--static", f"{STATIC_MOUNT}:{SITE_DIR / 'static'}",
        "--setting", "sql_time_limit_ms", "3000",
        "--setting", "facet_time_limit_ms", "500",
        "--setting", "default_page_size", "50",
    ]


def write_metadata(db_path: str | Path, folder: str | Path) -> Path:
    path = Path(folder) / "metadata.json"
    path.write_text(json.dumps(build_metadata(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers; raise if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"datasette exited with code {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"datasette did not answer at {url} within {timeout:.0f} s")


class Site:
    """A running Datasette for one database (context manager; stops the server on exit)."""

    def __init__(self, db_path: str | Path, port: int | None = None, host: str = "127.0.0.1"):
        open_read_only(db_path).close()  # fail early and clearly on a wrong file
        self.db_path = Path(db_path)
        self.host = host
        self.port = port or free_port()
        self.url = f"http://{host}:{self.port}/"
        self._tmp = tempfile.TemporaryDirectory(prefix="vnfacts-site-")
        self.metadata_path = write_metadata(self.db_path, self._tmp.name)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0, quiet: bool = True) -> "Site":
        out = subprocess.DEVNULL if quiet else None
        self.process = subprocess.Popen(
            datasette_command(self.db_path, self.metadata_path, self.port, self.host),
            stdout=out, stderr=out, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_up(self.url + "-/versions.json", self.process, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self._tmp.cleanup()

    def __enter__(self) -> "Site":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", out=None) -> int:
    """Serve ``db_path`` in the foreground until interrupted, printing its URL once it is up."""
    out = out or sys.stderr
    site = Site(db_path, port=port or None, host=host)
    site.start(quiet=False)  # datasette's own log lines (requests) go to the terminal
    print(f"Serving {site.db_path} at {site.url}  (Ctrl-C to stop)", file=out, flush=True)
    try:
        return site.process.wait() if site.process else 0
    except KeyboardInterrupt:
        return 0
    finally:
        site.stop()
