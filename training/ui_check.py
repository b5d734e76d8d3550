"""Check the MLflow experiment UI in a real (headless) browser.

Starts ``mlflow server`` on a fresh temporary store (one worker, job
execution off), trains a run through it, confirms the run and the champion
alias through the REST API, then has headless Chromium render the run list:
a screenshot, and the rendered page's DOM, which must name the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inference.errors import StancewatchError
from training import registry
from training.pipeline import DEFAULT_PARAMS
from training.servers import free_port, http_json, running, server_environment
from training.train import TrainConfig, train

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
EXPERIMENT = "stancewatch-ui-check"
#: One candidate (the default parameters): the check is about the UI, not model choice.
SINGLE_CANDIDATE = {key: [value] for key, value in DEFAULT_PARAMS.items()}


class BrowserMissingError(StancewatchError):
    """No Chromium to render the UI with."""


@dataclass
class UiCheck:
    screenshot: Path
    url: str
    run_id: str
    run_name: str
    registered_version: str
    timings: dict[str, float]


def find_browser() -> str:
    """``$CHROMIUM``, else the first Chromium-family browser on PATH."""
    for name in (os.environ.get("CHROMIUM", ""), *BROWSERS):
        if name and (path := shutil.which(name)):
            return path
    raise BrowserMissingError(
        "no Chromium found (tried $CHROMIUM and " + ", ".join(BROWSERS) + "); "
        "on Debian/Ubuntu: sudo apt-get install chromium"
    )


def browser_command(browser: str, profile: Path, *action: str) -> list[str]:
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
        "--virtual-time-budget=15000",
        *action,
    ]


def render(browser: str, url: str, screenshot: Path, timeout: float = 120.0) -> str:
    """Save a screenshot of ``url`` and return the DOM after its scripts ran."""
    outputs = []
    for action in (f"--screenshot={screenshot}", "--dump-dom"):
        with tempfile.TemporaryDirectory(prefix="stancewatch-chromium-") as profile:
            try:
                done = subprocess.run(
                    browser_command(browser, Path(profile), action, url),
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
                detail = (err.stderr or "")[-1500:] if isinstance(err.stderr, str) else ""
                raise StancewatchError(f"{browser} {action} failed: {err}\n{detail}") from err
            outputs.append(done.stdout)
    if not screenshot.is_file() or screenshot.stat().st_size == 0:
        raise StancewatchError(f"{browser} wrote no screenshot at {screenshot}")
    return outputs[1]


def confirm_run(base_url: str, run_id: str) -> dict[str, Any]:
    """The run as the REST API returns it; it must be FINISHED with test metrics."""
    query = urllib.parse.urlencode({"run_id": run_id})
    run = http_json(f"{base_url}/api/2.0/mlflow/runs/get?{query}")["run"]
    if run["info"]["status"] != "FINISHED":
        raise StancewatchError(f"run {run_id} is {run['info']['status']}, not FINISHED")
    metrics = {m["key"] for m in run["data"].get("metrics", [])}
    if "test_macro_f1" not in metrics:
        raise StancewatchError(f"run {run_id} has no test_macro_f1 metric")
    return run


def champion_version(base_url: str, name: str) -> str:
    query = urllib.parse.urlencode({"name": name, "alias": registry.CHAMPION_ALIAS})
    answer = http_json(f"{base_url}/api/2.0/mlflow/registered-models/alias?{query}")
    return str(answer["model_version"]["version"])


def run_ui_check(
    out_dir: Path,
    data: Path | None = None,
    param_grid: dict[str, list[Any]] | None = None,
    progress: Callable[[str], None] = print,
) -> UiCheck:
    """Start a server on a temporary store in ``out_dir``, train through it, render the UI."""
    browser = find_browser()
    out_dir.mkdir(parents=True, exist_ok=True)
    for previous in out_dir.glob("store-*"):  # keep only this check's store
        shutil.rmtree(previous, ignore_errors=True)
    store = Path(tempfile.mkdtemp(prefix="store-", dir=out_dir))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", f"sqlite:///{store / 'mlflow.db'}",
        "--artifacts-destination", str(store / "artifacts"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]  # fmt: skip
    environment = server_environment(MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false")
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    progress(f"starting mlflow server on {base_url} (store {store})")
    with running(command, f"{base_url}/health", out_dir / "mlflow-server.log", environment):
        timings["server_start_seconds"] = time.perf_counter() - clock
        run_name = f"ui-check-{time.strftime('%Y%m%d-%H%M%S')}"
        config = TrainConfig(
            tracking_uri=base_url,
            experiment=EXPERIMENT,
            model_dir=store / "models" / "default",
            run_name=run_name,
            param_grid=param_grid or SINGLE_CANDIDATE,
            **({"data": data} if data is not None else {}),
        )
        started = time.perf_counter()
        result = train(config, progress=progress)
        timings["train_seconds"] = time.perf_counter() - started
        confirm_run(base_url, result.run_id)
        version = champion_version(base_url, config.registered_model)
        progress(f"REST API: run {result.run_id} FINISHED; champion is version {version}")
        url = f"{base_url}/#/experiments/{result.experiment_id}/runs"
        screenshot = out_dir / "runs.png"
        started = time.perf_counter()
        dom = render(browser, url, screenshot)
        timings["browser_seconds"] = time.perf_counter() - started
        if run_name not in dom:
            raise StancewatchError(
                f"the run list at {url} rendered without the run {run_name!r} "
                f"(screenshot {screenshot})"
            )
    return UiCheck(
        screenshot=screenshot,
        url=url,
        run_id=result.run_id,
        run_name=run_name,
        registered_version=version,
        timings=timings,
    )
