"""Start and stop local HTTP servers (``mlflow server``, ``mlflow models serve``).

Used by the UI check and the tests: a server runs in its own process group,
answers on 127.0.0.1, and is always stopped, children included.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from inference.errors import StancewatchError


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(**extra: str) -> dict[str, str]:
    """This environment with the interpreter's ``bin`` first on PATH.

    MLflow starts uvicorn/gunicorn by name, so they must be found even when
    the virtual environment is not activated.
    """
    environment = dict(os.environ)
    scripts = str(Path(sys.executable).parent)
    environment["PATH"] = scripts + os.pathsep + environment.get("PATH", "")
    environment.update(extra)
    return environment


def http_json(url: str, payload: Any = None, timeout: float = 30.0) -> Any:
    """GET (or POST ``payload`` as JSON) and decode the JSON answer."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"} if data else {}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class ServerError(StancewatchError):
    """A server did not start; the message carries the end of its log."""


@contextmanager
def running(
    command: list[str],
    ready_url: str,
    log_path: Path,
    environment: dict[str, str] | None = None,
    timeout: float = 90.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends; wait until ``ready_url`` answers 2xx."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment or server_environment(),
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not _answers(ready_url):
                if process.poll() is not None or time.monotonic() > deadline:
                    reason = (
                        f"exited with code {process.returncode}"
                        if process.returncode is not None
                        else f"did not answer {ready_url} within {timeout:.0f} s"
                    )
                    tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                    raise ServerError(f"{command[:4]}... {reason}; log {log_path}:\n{tail}")
                time.sleep(0.5)
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after ``grace``."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    except ProcessLookupError:
        pass
