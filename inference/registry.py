"""Fetch a stancewatch model logged to MLflow (``models:/`` and ``runs:/`` URIs).

Imported only when such a URI is loaded, so plain ``predict`` never imports
mlflow. The logged model is a pyfunc whose ``stancewatch`` artifact is an
ordinary model directory (``model.joblib`` + ``model.json``); it is
downloaded and then loaded, checksum first, like any other.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inference.errors import ModelNotFoundError, StancewatchError
from inference.paths import project_tracking_uri

#: The pyfunc artifact key holding the model directory.
ARTIFACT_KEY = "stancewatch"
PROGRESS_BAR_VAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


class MlflowMissingError(StancewatchError, ImportError):
    """An MLflow URI was given but mlflow is not installed."""


def default_tracking_uri() -> str:
    """``$MLFLOW_TRACKING_URI``, else the project's sqlite store."""
    return os.environ.get("MLFLOW_TRACKING_URI") or project_tracking_uri()


@contextmanager
def artifact_progress_bar_off() -> Iterator[None]:
    """No MLflow download/upload progress bar (a few small files) inside the block."""
    before = os.environ.get(PROGRESS_BAR_VAR)
    os.environ[PROGRESS_BAR_VAR] = "false"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROGRESS_BAR_VAR, None)
        else:
            os.environ[PROGRESS_BAR_VAR] = before


def download_model(uri: str, tracking_uri: str | None = None) -> Path:
    """Download the logged model ``uri`` and return its model directory."""
    try:
        import mlflow
        from mlflow.exceptions import MlflowException
        from mlflow.models import Model
    except ImportError as err:
        raise MlflowMissingError(
            f"loading {uri} needs mlflow: pip install 'stancewatch[mlflow]'"
        ) from err

    mlflow.set_tracking_uri(tracking_uri or default_tracking_uri())
    destination = tempfile.mkdtemp(prefix="stancewatch-model-")
    try:
        with artifact_progress_bar_off():
            local = Path(
                mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=destination)
            )
    except (MlflowException, OSError) as err:
        raise ModelNotFoundError(Path(uri)) from err
    flavor = Model.load(str(local)).flavors.get("python_function", {})
    artifact = flavor.get("artifacts", {}).get(ARTIFACT_KEY, {})
    if "path" not in artifact:
        raise ModelNotFoundError(Path(uri))
    return local / artifact["path"]
