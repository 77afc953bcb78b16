"""Start a local Label Studio from its own virtual environment (``.venv-labelstudio``, made by
``make labelstudio``): it pins its own Django and numpy, so it never shares ours.

The server binds 127.0.0.1 only, keeps its data in a folder of our choosing, and starts with a
preset user and API token (environment variables Label Studio reads at start-up), so that
scripts and tests can talk to it without a sign-up page. Its legacy token must be enabled, else
every API call gets 401.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LS_VENV_NAME = ".venv-labelstudio"  # made by `make labelstudio` in the checkout
DEFAULT_USER = "annotator@vnfacts.local"
DEFAULT_PASSWORD = "vnfacts-annotator"
DEFAULT_TOKEN = "vnfacts-local-token"


class ServerError(Exception):
    pass


def label_studio_executable(venv: Path | None = None) -> Path:
    from vnfacts.extractor.resources import home

    default = home() / LS_VENV_NAME if home() is not None else Path(LS_VENV_NAME)
    venv = Path(venv or os.environ.get("VNFACTS_LABEL_STUDIO_VENV") or default)
    exe = venv / "bin" / "label-studio"
    if not exe.exists():
        raise ServerError(f"Label Studio is not installed in {venv}: run `make labelstudio` in the checkout, "
                          f"or point VNFACTS_LABEL_STUDIO_VENV at a virtualenv that has it")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(user: str, password: str, token: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),  # else it also makes folders under ~/.local/share
        "LABEL_STUDIO_USERNAME": user,  # an e-mail: the user created at first start
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LATEST_VERSION_CHECK": "false",  # no internet: do not look for updates
        "COLLECT_ANALYTICS": "false",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    })
    return env


def command(port: int, data_dir: Path, venv: Path | None = None) -> list[str]:
    return [str(label_studio_executable(venv)), "start", "--no-browser", "--internal-host", "127.0.0.1",
            "--port", str(port), "--data-dir", str(data_dir)]


def wait_until_ready(url: str, process: subprocess.Popen | None = None, timeout: float = 180.0) -> float:
    """Seconds until ``url``/health answers 200; ServerError if the process dies or time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.poll() is not None:
            raise ServerError(f"Label Studio exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as resp:
                if resp.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ServerError(f"Label Studio did not answer at {url} within {timeout:.0f} s")


@dataclass
class RunningServer:
    url: str
    token: str
    user: str
    password: str
    process: subprocess.Popen
    log: Path
    startup_seconds: float

    def stop(self) -> None:
        _stop(self.process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(data_dir: Path, port: int | None = None, user: str = DEFAULT_USER, password: str = DEFAULT_PASSWORD,
          token: str = DEFAULT_TOKEN, venv: Path | None = None, timeout: float = 180.0) -> RunningServer:
    """Start Label Studio in the background and wait until it answers."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data_dir / "label-studio.log"
    out = log.open("ab")
    process = subprocess.Popen(command(port, data_dir, venv), env=server_environment(user, password, token, data_dir),
                               stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=data_dir)
    out.close()
    url = f"http://127.0.0.1:{port}"
    try:
        seconds = wait_until_ready(url, process, timeout)
    except ServerError as err:
        _stop(process)
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise ServerError(f"{err}; last lines of {log}:\n{tail}") from None
    except BaseException:  # interrupted while waiting: do not leave the server behind
        _stop(process)
        raise
    return RunningServer(url=url, token=token, user=user, password=password, process=process,
                         log=log, startup_seconds=seconds)
