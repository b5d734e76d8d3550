"""Score a Spark DataFrame with a logged stancewatch model (the ``spark`` extra).

:func:`score_spark` wraps the registered pyfunc (:mod:`inference.pyfunc`) in
``mlflow.pyfunc.spark_udf`` and adds its output columns, ``label`` and
``p_<label>`` for every label, to each row. pyspark and mlflow are imported
only when it is called, so ``predict`` never needs them.

The driver downloads the model from the registry and Spark ships it to the
executors; each Python worker loads it once and scores whole Arrow batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from inference.errors import ModelNotFoundError, StancewatchError
from inference.labels import OUTPUT_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

DEFAULT_MODEL_URI = "models:/stancewatch@champion"
_RESULT_COLUMN = "__stancewatch_prediction"


class SparkMissingError(StancewatchError, ImportError):
    """Spark scoring was asked for but pyspark (or mlflow) is not installed."""


def score_spark(
    df: DataFrame,
    model_uri: str = DEFAULT_MODEL_URI,
    text_column: str = "text",
    env_manager: str = "local",
    *,
    tracking_uri: str | None = None,
    prefix: str = "",
) -> DataFrame:
    """Return ``df`` with the model's prediction for each row's ``text_column``.

    Adds ``label`` (string) and ``p_accusation``, ``p_denial``, ``p_neutral``
    (double, summing to 1), each named with ``prefix`` in front, after the
    existing columns. Rows, their order and every other column are kept; a
    null text gives null outputs. Nothing is computed until an action
    (``write``, ``collect``, ``count`` ...) runs.

    Args:
        df: the statements, one per row.
        model_uri: an MLflow model URI: ``models:/stancewatch@champion`` (default),
            ``models:/stancewatch/3``, ``runs:/<run id>/model``, a local path ...
            Only the driver reads it; Spark sends the model to the executors.
        text_column: the string column holding the statements.
        env_manager: ``"local"`` scores in the executors' own Python, which must
            have stancewatch's dependencies (``pip install 'stancewatch[spark]'``);
            ``"virtualenv"``, ``"uv"`` or ``"conda"`` make MLflow build the model's
            logged environment on each executor instead.
        tracking_uri: the MLflow tracking server or store holding ``model_uri``;
            default ``$MLFLOW_TRACKING_URI``, else the project's ``mlruns/mlflow.db``
            (as for ``load_model``). It becomes MLflow's current tracking URI.
        prefix: put in front of the output column names, e.g. ``"pred_"`` when
            ``df`` already has a ``label`` column.

    Raises:
        SparkMissingError: pyspark or mlflow is not installed.
        ValueError: ``text_column`` is missing or not a string column, or an
            output column already exists.
        ModelNotFoundError: ``model_uri`` names no model in the store.
    """
    try:
        import mlflow.pyfunc
        import pyspark.sql.functions as F
        from mlflow.exceptions import MlflowException
        from pyspark.sql.types import DoubleType, StringType, StructField, StructType
    except ImportError as err:
        raise SparkMissingError(
            f"scoring a Spark DataFrame needs pyspark and mlflow ({err.name or err} is missing): "
            "pip install 'stancewatch[spark]'"
        ) from err

    if text_column not in df.columns:
        raise ValueError(f"no column {text_column!r} to score; the DataFrame has {df.columns}")
    text_type = df.schema[text_column].dataType
    if not isinstance(text_type, StringType):
        raise ValueError(
            f"column {text_column!r} must hold strings, it is {text_type.simpleString()}"
        )
    outputs = [prefix + name for name in OUTPUT_COLUMNS]
    clashing = [name for name in outputs if name in df.columns]
    if clashing:
        raise ValueError(
            f"the DataFrame already has output column(s) {clashing}: "
            "pass prefix= (e.g. prefix='pred_') or rename them"
        )

    from inference.registry import artifact_progress_bar_off, default_tracking_uri

    result_type = StructType(
        [
            StructField(name, StringType() if name == "label" else DoubleType())
            for name in OUTPUT_COLUMNS
        ]
    )
    mlflow.set_tracking_uri(tracking_uri or default_tracking_uri())
    try:
        with artifact_progress_bar_off():
            udf = mlflow.pyfunc.spark_udf(
                df.sparkSession, model_uri, result_type=result_type, env_manager=env_manager
            )
    except MlflowException as err:
        # An unknown run, model or version is RESOURCE_DOES_NOT_EXIST; an unknown alias
        # is INVALID_PARAMETER_VALUE ("Registered model alias ... not found").
        if err.error_code == "RESOURCE_DOES_NOT_EXIST" or (
            err.error_code == "INVALID_PARAMETER_VALUE" and "not found" in err.message
        ):
            raise ModelNotFoundError(Path(model_uri)) from err
        raise

    text = df[text_column]
    # The model's signature names its input `text`: an unnamed argument maps to it.
    prediction = F.when(text.isNotNull(), udf(text))
    return df.withColumn(_RESULT_COLUMN, prediction).select(
        *(df[name] for name in df.columns),
        *(
            F.col(_RESULT_COLUMN).getField(name).alias(output)
            for name, output in zip(OUTPUT_COLUMNS, outputs, strict=True)
        ),
    )
