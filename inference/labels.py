"""The label set: the one source of truth for label names and their order."""

from typing import Final

ACCUSATION: Final = "accusation"
DENIAL: Final = "denial"
NEUTRAL: Final = "neutral"

#: Labels in the order the model's probability columns use.
LABELS: Final[tuple[str, str, str]] = (ACCUSATION, DENIAL, NEUTRAL)

#: The columns of a served or Spark-scored prediction: the label, then one
#: probability per label.
OUTPUT_COLUMNS: Final[tuple[str, ...]] = ("label", *(f"p_{label}" for label in LABELS))
