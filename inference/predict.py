"""The public ``predict`` function and the :class:`Prediction` it returns."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, overload

from inference.explain import Evidence
from inference.labels import LABELS
from inference.model import StanceModel, load_model
from inference.paths import default_model_dir


@dataclass(frozen=True, slots=True)
class Prediction:
    """The label of one statement, with probabilities and evidence.

    ``probabilities`` has one entry per label and sums to 1; ``evidence``
    lists the phrases that pushed toward ``label``, strongest first. Evidence
    is computed the first time it is read (most of a batch's cost otherwise),
    then kept. A pickled prediction carries its evidence, not its model.
    """

    text: str
    label: str
    probabilities: dict[str, float]
    _model: StanceModel | None = field(default=None, repr=False, compare=False)
    _evidence: list[Evidence] | None = field(default=None, repr=False, compare=False)

    @property
    def evidence(self) -> list[Evidence]:
        if self._evidence is None:
            found = self._model.explain(self.text, self.label) if self._model is not None else []
            object.__setattr__(self, "_evidence", found)
            return found
        return self._evidence

    def to_dict(self, evidence: bool = True) -> dict[str, Any]:
        """A JSON-ready dictionary; ``evidence=False`` leaves evidence out (and uncomputed)."""
        record: dict[str, Any] = {
            "text": self.text,
            "label": self.label,
            "probabilities": self.probabilities,
        }
        if evidence:
            record["evidence"] = [asdict(item) for item in self.evidence]
        return record

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return Prediction, (self.text, self.label, self.probabilities, None, self.evidence)


_cache_lock = threading.Lock()
_cached_models: dict[Path, StanceModel] = {}


def default_model() -> StanceModel:
    """The default model, loaded once per version and then reused."""
    # Load the resolved version directory, so the cache key and the loaded
    # model agree even if a training run swaps the link in between.
    resolved = default_model_dir().resolve()
    with _cache_lock:
        model = _cached_models.get(resolved)
        if model is None:
            model = load_model(resolved)
            _cached_models.clear()
            _cached_models[resolved] = model
        return model


def _validated(texts: list[Any]) -> list[str]:
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"expected a string, got {type(text).__name__} at position {position}")
        if not text.strip():
            raise ValueError(f"empty or whitespace-only text at position {position}")
    return texts


@overload
def predict(texts: str, model: StanceModel | None = None) -> Prediction: ...


@overload
def predict(texts: list[str], model: StanceModel | None = None) -> list[Prediction]: ...


def predict(
    texts: str | list[str], model: StanceModel | None = None
) -> Prediction | list[Prediction]:
    """Label one statement, or a list of statements in one vectorised batch.

    Args:
        texts: a statement, or a list of statements.
        model: a model from :func:`inference.load_model`; by default the
            model saved by ``stance-train`` (or ``$STANCEWATCH_MODEL``).

    Any string that is not blank gets a label and probabilities, whatever it
    holds. A statement of only invisible or control characters ("\\u200b",
    "\\x00") is not blank as typed, but normalises to nothing: it is scored
    as empty text (the model's prior, no evidence).

    Raises:
        TypeError: ``texts`` is neither a string nor a list (or tuple), or a
            statement of the list is not a string (the message names its position).
        ValueError: a statement is empty or only whitespace (``str.isspace``);
            the message names its position (0 for a single string).

    Example:
        >>> from inference import predict
        >>> predict("The ministry called the accusations baseless.").label  # doctest: +SKIP
        'denial'
    """
    if isinstance(texts, str):
        return predict([texts], model)[0]
    if not isinstance(texts, list | tuple):
        raise TypeError(f"expected a string or a list of strings, got {type(texts).__name__}")
    batch = _validated(list(texts))
    if not batch:
        return []
    model = model if model is not None else default_model()
    proba = model.probabilities(batch)
    labels = [LABELS[i] for i in proba.argmax(axis=1).tolist()]
    return [
        Prediction(
            text=text,
            label=label,
            probabilities=dict(zip(LABELS, row, strict=True)),
            _model=model,
        )
        for text, label, row in zip(batch, labels, proba.tolist(), strict=True)
    ]
