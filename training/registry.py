"""The model registry: register each run's model and move the ``champion`` alias.

The alias moves only when the new version beats the current champion on the
current test split (both scored now, on the same statements), or when forced.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from sklearn.metrics import f1_score

from inference.labels import LABELS
from inference.model import directory_lock
from training.tracking import sqlite_path

REGISTERED_NAME = "stancewatch"
CHAMPION_ALIAS = "champion"


@dataclass
class Registration:
    """What happened to a run's model in the registry."""

    name: str
    version: str
    promoted: bool
    #: The champion before this run ("" when there was none) and its test macro-F1 now.
    previous_version: str
    previous_test_macro_f1: float | None
    reason: str


def current_champion(name: str) -> str:
    """The version the champion alias points at, or "" when there is none."""
    import mlflow
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient()
    try:
        return str(client.get_model_version_by_alias(name, CHAMPION_ALIAS).version)
    except MlflowException:
        return ""


def champion_test_macro_f1(
    name: str, version: str, texts: list[str], gold: list[str], warn: Callable[[str], None]
) -> float | None:
    """Score the champion on the given test statements; None if it cannot be loaded."""
    import mlflow
    import pandas as pd
    from mlflow.exceptions import MlflowException

    try:
        model = mlflow.pyfunc.load_model(f"models:/{name}/{version}")
        predicted = list(model.predict(pd.DataFrame({"text": texts}))["label"]) if texts else []
    except (MlflowException, OSError, ImportError, KeyError, TypeError, ValueError) as err:
        warn(f"  could not score champion version {version} ({type(err).__name__}: {err})")
        return None
    return float(f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0))


def register(
    model_uri: str,
    run_id: str,
    test_macro_f1: float,
    texts: list[str],
    gold: list[str],
    *,
    name: str = REGISTERED_NAME,
    force_promote: bool = False,
    progress: Callable[[str], None] = print,
) -> Registration:
    """Register ``model_uri`` as a new version of ``name``; promote it if it is better.

    On a sqlite store the whole decision (read the champion, score it, move the
    alias) holds a lock on the store's directory, so two runs finishing at once
    cannot both read the same champion and leave the alias on the worse model.
    (Registering versions at once is safe anyway: MLflow retries a clash of
    version numbers.)
    """
    import mlflow

    database = sqlite_path(mlflow.get_tracking_uri())
    lock: AbstractContextManager[None] = (
        directory_lock(database.parent) if database is not None else nullcontext()
    )
    with lock:
        return _register(
            model_uri, run_id, test_macro_f1, texts, gold, name, force_promote, progress
        )


def _register(
    model_uri: str,
    run_id: str,
    test_macro_f1: float,
    texts: list[str],
    gold: list[str],
    name: str,
    force_promote: bool,
    progress: Callable[[str], None],
) -> Registration:
    import mlflow

    client = mlflow.MlflowClient()
    previous = current_champion(name)
    version = str(mlflow.register_model(model_uri, name).version)
    client.set_model_version_tag(name, version, "run_id", run_id)
    client.set_model_version_tag(name, version, "test_macro_f1", f"{test_macro_f1:.4f}")
    champion_f1 = None
    if force_promote:
        promoted, reason = True, "forced with --promote"
    elif not previous:
        promoted, reason = True, "first version: no champion yet"
    else:
        champion_f1 = champion_test_macro_f1(name, previous, texts, gold, progress)
        if champion_f1 is None:
            promoted, reason = False, f"champion v{previous} could not be scored; kept it"
        elif test_macro_f1 > champion_f1:
            promoted = True
            reason = f"test macro-F1 {test_macro_f1:.4f} > champion v{previous} {champion_f1:.4f}"
        else:
            promoted = False
            reason = f"test macro-F1 {test_macro_f1:.4f} <= champion v{previous} {champion_f1:.4f}"
    if promoted:
        client.set_registered_model_alias(name, CHAMPION_ALIAS, version)
    return Registration(
        name=name,
        version=version,
        promoted=promoted,
        previous_version=previous,
        previous_test_macro_f1=champion_f1,
        reason=reason,
    )
