"""Default locations, anchored to the source checkout when there is one."""

from __future__ import annotations

import os
from pathlib import Path

MODEL_ENV_VAR = "STANCEWATCH_MODEL"
_PACKAGE_PARENT = Path(__file__).resolve().parents[1]


def project_root() -> Path:
    """The source checkout holding this package, else the working directory.

    An editable install or a run from the checkout finds the checkout, so the
    defaults do not depend on the directory a command is started from.
    """
    if (_PACKAGE_PARENT / "pyproject.toml").is_file():
        return _PACKAGE_PARENT
    return Path.cwd()


def default_model_dir() -> Path:
    """Where `stance-train` saves and `predict` loads the model by default."""
    override = os.environ.get(MODEL_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return project_root() / "models" / "default"


def project_tracking_uri() -> str:
    """The project's MLflow store: ``sqlite:///<project>/mlruns/mlflow.db``."""
    return f"sqlite:///{project_root() / 'mlruns' / 'mlflow.db'}"
