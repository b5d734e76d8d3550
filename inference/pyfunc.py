"""The MLflow pyfunc form of a stancewatch model, for ``mlflow models serve``.

Only MLflow imports this module (it needs mlflow installed). Input: a
DataFrame with a ``text`` column (a single unnamed column, a Series or a list
of strings also work). Output: one row per statement with ``label`` and the
probability of each label, ``p_accusation``, ``p_denial`` and ``p_neutral``.
"""

from __future__ import annotations

from typing import Any

import mlflow.pyfunc
import pandas as pd

from inference.labels import LABELS, OUTPUT_COLUMNS
from inference.model import StanceModel, load_model
from inference.registry import ARTIFACT_KEY


def input_texts(model_input: Any) -> list[str]:
    """The statements of a pyfunc input, with a clear error for anything else."""
    if isinstance(model_input, pd.DataFrame):
        if "text" in model_input.columns:
            column = model_input["text"]
        elif len(model_input.columns) == 1:
            column = model_input.iloc[:, 0]
        else:
            raise ValueError(f"expected a 'text' column, got columns {list(model_input.columns)}")
        return [str(value) for value in column]
    if isinstance(model_input, pd.Series):
        return [str(value) for value in model_input]
    if isinstance(model_input, list | tuple):
        return [str(value) for value in model_input]
    if isinstance(model_input, str):
        return [model_input]
    raise TypeError(f"expected a DataFrame with a 'text' column, got {type(model_input).__name__}")


def predictions_frame(model: StanceModel, texts: list[str]) -> pd.DataFrame:
    """One row per text: the label and the probability of every label."""
    if not texts:
        return pd.DataFrame(columns=list(OUTPUT_COLUMNS))
    proba = model.probabilities(texts)
    frame = pd.DataFrame(proba, columns=list(OUTPUT_COLUMNS[1:]))
    frame.insert(0, "label", [LABELS[int(i)] for i in proba.argmax(axis=1)])
    return frame


class StancewatchPyfunc(mlflow.pyfunc.PythonModel):
    """Loads the ``stancewatch`` artifact (a model directory, checksum-verified)."""

    # The logged model carries an explicit signature; MLflow's type-hint-based
    # validation (and its warning about missing hints) does not apply.
    _skip_type_hint_validation = True

    def load_context(self, context: Any) -> None:
        self.model = load_model(context.artifacts[ARTIFACT_KEY])

    # No annotations on purpose: MLflow would read them as the input schema.
    def predict(self, context, model_input, params=None):
        return predictions_frame(self.model, input_texts(model_input))
