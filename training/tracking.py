"""MLflow tracking: the only module of the project that imports ``mlflow``."""

from __future__ import annotations

import json
import logging
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import inference
from inference.model import directory_lock
from inference.paths import project_tracking_uri
from training.corpus import Corpus
from training.evaluate import Evaluation
from training.interrupts import shielded
from training.plots import (
    save_calibration_plot,
    save_confusion_matrix,
    save_phenomenon_accuracy,
    save_precision_recall_curves,
)

DEFAULT_EXPERIMENT = "stancewatch"
INPUT_EXAMPLE = [
    "Prosecutors charged the former minister with taking bribes.",
    "The ministry called the accusations baseless.",
    "Talks between the two governments resumed on Monday.",
]


def default_tracking_uri() -> str:
    return project_tracking_uri()


def sqlite_path(tracking_uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI, else None."""
    if not tracking_uri.startswith("sqlite:///"):
        return None
    return Path(tracking_uri[len("sqlite:///") :])


def configure(tracking_uri: str, experiment: str) -> str:
    """Point MLflow at the store and return the experiment id, creating it if new.

    A new experiment on a sqlite store keeps its artifacts in ``artifacts/``
    beside the database, wherever the command is started from.
    """
    database = sqlite_path(tracking_uri)
    if database is None:
        return _configure(tracking_uri, experiment, None)
    database.parent.mkdir(parents=True, exist_ok=True)
    # MLflow creates the tables of a new sqlite store without a lock: two runs
    # started at once on a new store would both run the migrations and one
    # fails. The lock on the store's directory makes the second one wait.
    with directory_lock(database.parent):
        return _configure(tracking_uri, experiment, database)


def _configure(tracking_uri: str, experiment: str, database: Path | None) -> str:
    import mlflow

    mlflow.set_tracking_uri(tracking_uri)
    _quiet_database_error_log()
    existing = mlflow.get_experiment_by_name(experiment)
    if existing is not None:
        return existing.experiment_id
    artifact_location = None
    if database is not None:
        artifact_location = (database.resolve().parent / "artifacts").as_uri()
    try:
        return mlflow.create_experiment(experiment, artifact_location=artifact_location)
    except mlflow.exceptions.MlflowException as err:
        # Another process created it a moment ago (two runs started at once).
        existing = mlflow.get_experiment_by_name(experiment)
        if existing is None:
            raise err from None
        return existing.experiment_id


class _DropDatabaseErrorLog(logging.Filter):
    """Drops MLflow's log of a database error with its traceback: the same error
    is raised right after as an ``MlflowException``, and reported once by the caller."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("SQLAlchemy database error")


def _quiet_database_error_log() -> None:
    logger = logging.getLogger("mlflow.store.db.utils")
    if not any(isinstance(f, _DropDatabaseErrorLog) for f in logger.filters):
        logger.addFilter(_DropDatabaseErrorLog())


@dataclass
class RunRecord:
    """A run :func:`tracked_run` started, and the status it ended with (or RUNNING)."""

    run_id: str
    status: str = "RUNNING"


#: The last run :func:`tracked_run` started in this process, for the CLI to say
#: what became of it when training fails or is interrupted.
last_run: RunRecord | None = None


@contextmanager
def tracked_run(experiment_id: str, run_name: str | None = None) -> Iterator[str]:
    """A run that ends FINISHED, FAILED on an error, or KILLED on Ctrl-C or SIGTERM.

    Starting and ending the run are shielded from interrupts (see
    :mod:`training.interrupts`), so a signal cannot land between MLflow
    creating the run and this function learning its id, or halfway through
    recording its final status: either would leave the run RUNNING for ever.
    """
    import mlflow

    global last_run
    run_id: str | None = None
    try:
        # Inside the try: a signal held back by the shield is raised as it
        # ends, once the run exists, and must end the run as KILLED.
        with shielded():
            run_id = mlflow.start_run(experiment_id=experiment_id, run_name=run_name).info.run_id
            last_run = RunRecord(run_id)
        yield run_id
    except BaseException as err:
        if run_id is None:  # no run was started
            raise
        status = "KILLED" if isinstance(err, KeyboardInterrupt) else "FAILED"
        try:
            _end_run(run_id, status)
        except Exception as end_error:  # keep the original error; say what is left behind
            logging.getLogger(__name__).warning(
                "stance-train: warning: MLflow run %s could not be marked %s and shows as "
                "RUNNING (%s)",
                run_id,
                status,
                first_line(end_error),
            )
        raise
    _end_run(run_id, "FINISHED")


def _end_run(run_id: str, status: str) -> None:
    """End the active run with ``status``.

    ``mlflow.end_run`` forgets the run before it writes the status, so if that
    write fails (say the database is locked for longer than MLflow's busy
    timeout) the status is written once more directly; if that fails too, the
    store's error propagates.
    """
    import mlflow

    with shielded():
        try:
            mlflow.end_run(status=status)
        except Exception:
            mlflow.MlflowClient().set_terminated(run_id, status)
        if last_run is not None and last_run.run_id == run_id:
            last_run.status = status


def first_line(error: BaseException) -> str:
    """The first line of an error message (MLflow's database errors quote the SQL after it)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def log_corpus(corpus: Corpus) -> None:
    """Each split as an MLflow dataset input (context ``train``/``dev``/``test``,
    digest, source path, rows), plus the corpus sha256 and row counts as params."""
    import hashlib

    import mlflow
    import pandas as pd

    for split in corpus.split_label_counts():
        frame = pd.DataFrame(
            [
                {
                    "id": s.id,
                    "text": s.text,
                    "label": s.label,
                    "domain": s.domain,
                    "register": s.register,
                    "phenomenon": s.phenomenon,
                }
                for s in corpus.statements
                if s.split == split
            ]
        )
        digest = hashlib.sha256(
            "\n".join(
                f"{i}\t{t}\t{lab}" for i, t, lab in frame[["id", "text", "label"]].values
            ).encode("utf-8")
        ).hexdigest()[:16]
        with warnings.catch_warnings():
            # MLflow registers its local-file source twice and warns that a path
            # "can be interpreted in multiple ways"; both readings are the same class.
            warnings.filterwarnings("ignore", message="The specified dataset source")
            dataset = mlflow.data.from_pandas(
                frame,
                source=str(corpus.path.resolve()),
                targets="label",
                name=f"{corpus.path.stem}-{split}",
                digest=digest,
            )
        mlflow.log_input(
            dataset,
            context=split,
            tags={"rows": str(len(frame)), "corpus_sha256": corpus.sha256},
        )
    counts = {
        f"corpus_rows_{split}": sum(row.values())
        for split, row in corpus.split_label_counts().items()
    }
    mlflow.log_params(
        {
            "corpus_sha256": corpus.sha256,
            "corpus_path": str(corpus.path),
            "corpus_rows": len(corpus.statements),
            **counts,
        }
    )
    mlflow.set_tag("corpus_sha256", corpus.sha256)


def log_git(commit: str, dirty: bool) -> None:
    import mlflow

    mlflow.set_tags(
        {"mlflow.source.git.commit": commit, "git_commit": commit, "git_dirty": str(dirty).lower()}
    )


def log_selection(params: dict[str, Any], candidates: list[dict[str, Any]]) -> None:
    """Chosen hyperparameters as params, and every candidate's CV score as a table."""
    import mlflow

    log_params(params)
    mlflow.log_table(
        {
            "params": [json.dumps(c["params"], default=str) for c in candidates],
            "cv_macro_f1_mean": [c["mean"] for c in candidates],
            "cv_macro_f1_std": [c["std"] for c in candidates],
        },
        artifact_file="model_selection/cv_results.json",
    )


def log_metrics(metrics: dict[str, float]) -> None:
    import mlflow

    mlflow.log_metrics(metrics)


def log_params(params: dict[str, Any]) -> None:
    import mlflow

    mlflow.log_params({key: str(value) for key, value in params.items()})


def log_records(records: list[dict[str, Any]], artifact_file: str) -> None:
    """A list of same-keyed rows as an MLflow table (shown in the run's artifacts)."""
    import mlflow

    if records:
        mlflow.log_table({key: [r[key] for r in records] for key in records[0]}, artifact_file)


def log_text(text: str, artifact_file: str) -> None:
    import mlflow

    mlflow.log_text(text, artifact_file)


def log_evaluation(evaluation: Evaluation) -> None:
    """Metrics, and under ``evaluation/``: the confusion matrix, precision-recall
    curves, the calibration plot, accuracy per phenomenon family (table and
    chart) and the misclassified statements (table)."""
    import mlflow

    split = evaluation.split
    log_metrics(evaluation.metrics())
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        images = [
            save_confusion_matrix(
                evaluation.confusion, f"{split} confusion matrix", folder / f"confusion_{split}.png"
            ),
            save_precision_recall_curves(
                evaluation.gold,
                evaluation.probabilities,
                f"{split} precision-recall (one vs rest)",
                folder / f"precision_recall_{split}.png",
            ),
            save_calibration_plot(
                evaluation.gold,
                evaluation.probabilities,
                f"{split} calibration (ECE {evaluation.ece:.3f})",
                folder / f"calibration_{split}.png",
            ),
        ]
        phenomena = evaluation.per_phenomenon()
        if any(row["phenomenon"] != "(none)" for row in phenomena):
            images.append(
                save_phenomenon_accuracy(
                    phenomena,
                    f"{split} accuracy per phenomenon",
                    folder / f"phenomena_{split}.png",
                )
            )
        for image in images:
            mlflow.log_artifact(str(image), artifact_path="evaluation")
    mlflow.log_dict(
        {
            "split": split,
            "confusion": evaluation.confusion,
            "per_class": evaluation.per_class,
            "brier": evaluation.brier,
            "ece": evaluation.ece,
        },
        f"evaluation/{split}_report.json",
    )
    log_records(phenomena, f"evaluation/{split}_phenomena.json")
    log_records(evaluation.misclassified(), f"evaluation/{split}_misclassified.json")


def pip_requirements() -> list[str]:
    """Explicit requirements: inferring them costs seconds per run."""
    from importlib.metadata import version

    return [
        f"{name}=={version(name)}"
        for name in ("mlflow", "scikit-learn", "nltk", "joblib", "numpy", "scipy", "pandas")
    ]


def log_model(model_dir: Path) -> str:
    """Log a saved model directory as a pyfunc; returns the logged model's URI.

    The pyfunc (:class:`inference.pyfunc.StancewatchPyfunc`) takes a DataFrame
    with a ``text`` column and returns ``label`` and ``p_<label>`` columns.
    The model directory travels as the ``stancewatch`` artifact (joblib, about
    2 MB), the ``inference`` package as code.
    """
    import mlflow
    import pandas as pd
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    from inference.labels import LABELS
    from inference.registry import ARTIFACT_KEY

    signature = ModelSignature(
        inputs=Schema([ColSpec("string", "text")]),
        outputs=Schema(
            [ColSpec("string", "label"), *(ColSpec("double", f"p_{label}") for label in LABELS)]
        ),
    )
    with quiet_model_logging():
        from inference.pyfunc import StancewatchPyfunc

        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=StancewatchPyfunc(),
            artifacts={ARTIFACT_KEY: str(model_dir)},
            code_paths=[str(Path(inference.__file__).parent)],
            signature=signature,
            input_example=pd.DataFrame({"text": INPUT_EXAMPLE}),
            pip_requirements=pip_requirements(),
        )
    return str(info.model_uri)


@contextmanager
def quiet_model_logging() -> Iterator[None]:
    """Silence MLflow's advice that does not apply to us while a model is logged:
    our own class is what gets cloudpickled, and the artifacts are a few small
    files (no progress bar)."""
    import logging

    from inference.registry import artifact_progress_bar_off

    logger = logging.getLogger("mlflow.pyfunc")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with artifact_progress_bar_off():
            yield
    finally:
        logger.setLevel(level)


def record_registration(registration: Any) -> None:
    """Tags on the run saying which registry version it became and whether it leads."""
    import mlflow

    mlflow.set_tags(
        {
            "registered_model": registration.name,
            "registered_version": registration.version,
            "promoted": str(registration.promoted).lower(),
            "champion_decision": registration.reason,
        }
    )
    if registration.previous_test_macro_f1 is not None:
        log_metrics({"previous_champion_test_macro_f1": registration.previous_test_macro_f1})


def format_time(milliseconds: int | None) -> str:
    """An MLflow timestamp as local ``YYYY-MM-DD HH:MM``."""
    import time

    if not milliseconds:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(milliseconds / 1000))


def ui_command(tracking_uri: str) -> str:
    return f"mlflow ui --backend-store-uri {tracking_uri} --host 127.0.0.1 --port 5000"
