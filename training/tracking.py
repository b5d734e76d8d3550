"""MLflow tracking: the only module of the project that imports ``mlflow``."""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import inference
from inference.paths import project_root
from training.corpus import Corpus
from training.evaluate import Evaluation
from training.plots import save_confusion_matrix

DEFAULT_EXPERIMENT = "stancewatch"
REGISTERED_NAME = "stancewatch"
#: Trusted by skops when it loads the logged model: our own picklable parts.
SKOPS_TRUSTED_TYPES = [
    "inference.features.TextNormalizer",
    "inference.text.Tokenizer",
    "inference.cues.CueFeatures",
    "inference.calibration.TemperatureScaledClassifier",
]
INPUT_EXAMPLE = [
    "Prosecutors charged the former minister with taking bribes.",
    "The ministry called the accusations baseless.",
    "Talks between the two governments resumed on Monday.",
]


def default_tracking_uri() -> str:
    return f"sqlite:///{project_root() / 'mlruns' / 'mlflow.db'}"


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
    import mlflow

    database = sqlite_path(tracking_uri)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(tracking_uri)
    existing = mlflow.get_experiment_by_name(experiment)
    if existing is not None:
        return existing.experiment_id
    artifact_location = None
    if database is not None:
        artifact_location = (database.resolve().parent / "artifacts").as_uri()
    return mlflow.create_experiment(experiment, artifact_location=artifact_location)


@contextmanager
def tracked_run(experiment_id: str, run_name: str | None = None) -> Iterator[str]:
    """A run that ends FINISHED, FAILED on an error, or KILLED on Ctrl-C."""
    import mlflow

    run = mlflow.start_run(experiment_id=experiment_id, run_name=run_name)
    try:
        yield run.info.run_id
    except KeyboardInterrupt:
        mlflow.end_run(status="KILLED")
        raise
    except BaseException:
        mlflow.end_run(status="FAILED")
        raise
    mlflow.end_run(status="FINISHED")


def log_corpus(corpus: Corpus) -> None:
    """The corpus as an MLflow dataset input, plus its sha256 and row counts."""
    import mlflow
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "id": s.id,
                "text": s.text,
                "label": s.label,
                "split": s.split,
                "domain": s.domain,
                "register": s.register,
                "phenomenon": s.phenomenon,
            }
            for s in corpus.statements
        ]
    )
    with warnings.catch_warnings():
        # MLflow registers its local-file source twice and warns that a path
        # "can be interpreted in multiple ways"; both readings are the same class.
        warnings.filterwarnings("ignore", message="The specified dataset source")
        dataset = mlflow.data.from_pandas(
            frame,
            source=str(corpus.path.resolve()),
            targets="label",
            name=corpus.path.name,
            digest=corpus.sha256[:16],
        )
    mlflow.log_input(dataset, context="training")
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
    """Metrics, the confusion matrix image and (for dev) the misclassified table."""
    import mlflow

    log_metrics(evaluation.metrics())
    with tempfile.TemporaryDirectory() as scratch:
        image = save_confusion_matrix(
            evaluation.confusion,
            f"{evaluation.split} confusion matrix",
            Path(scratch) / f"confusion_{evaluation.split}.png",
        )
        mlflow.log_artifact(str(image), artifact_path="evaluation")
    mlflow.log_dict(
        {
            "split": evaluation.split,
            "confusion": evaluation.confusion,
            "per_class": evaluation.per_class,
        },
        f"evaluation/{evaluation.split}_report.json",
    )
    if evaluation.split == "dev":
        rows = evaluation.misclassified()
        mlflow.log_table(
            {
                "text": [r["text"] for r in rows],
                "gold": [r["gold"] for r in rows],
                "predicted": [r["predicted"] for r in rows],
            },
            artifact_file="evaluation/dev_misclassified.json",
        )


def pip_requirements() -> list[str]:
    """Explicit requirements: inferring them costs seconds per run."""
    from importlib.metadata import version

    return [
        f"{name}=={version(name)}" for name in ("scikit-learn", "nltk", "joblib", "numpy", "pandas")
    ]


def log_model(pipeline: Any) -> str:
    """Log the pipeline (sklearn flavor, usable as pyfunc); returns its model URI."""
    import mlflow
    import numpy as np
    from mlflow.models import infer_signature

    # One unnamed string column: the pyfunc then accepts a list of strings as
    # well as a DataFrame with one column (``text``).
    signature = infer_signature(
        INPUT_EXAMPLE, np.asarray(pipeline.predict(INPUT_EXAMPLE), dtype=str)
    )
    info = mlflow.sklearn.log_model(
        pipeline,
        name="model",
        signature=signature,
        input_example=INPUT_EXAMPLE,
        pip_requirements=pip_requirements(),
        code_paths=[str(Path(inference.__file__).parent)],
        serialization_format="skops",
        skops_trusted_types=SKOPS_TRUSTED_TYPES,
    )
    return str(info.model_uri)


def ui_command(tracking_uri: str) -> str:
    return f"mlflow ui --backend-store-uri {tracking_uri} --host 127.0.0.1 --port 5000"
