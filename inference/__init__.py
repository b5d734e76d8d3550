"""stancewatch runtime: tag statements as accusation, denial or neutral.

>>> from inference import predict
>>> predict("The ministry called the accusations baseless.").label  # doctest: +SKIP
'denial'
"""

from inference.article import ArticleAnalysis, Clause, Mention, Statement, analyze
from inference.errors import (
    InputFormatError,
    ModelIntegrityError,
    ModelNotFoundError,
    StancewatchError,
)
from inference.explain import Evidence
from inference.labels import LABELS
from inference.model import StanceModel, load_model
from inference.predict import Prediction, predict

__all__ = [
    "LABELS",
    "ArticleAnalysis",
    "Clause",
    "Mention",
    "Statement",
    "analyze",
    "Evidence",
    "InputFormatError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "Prediction",
    "StanceModel",
    "StancewatchError",
    "load_model",
    "predict",
]
