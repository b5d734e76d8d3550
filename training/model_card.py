"""The model card: a Markdown summary logged with every run and saved with the model."""

from __future__ import annotations

from typing import Any

from inference.labels import LABELS
from training.corpus import Corpus
from training.evaluate import Evaluation

INTENDED_USE = """\
Tags single English statements from news and political text (a sentence, a
headline, a quote, a post) as **accusation**, **denial** or **neutral**
reporting, for analysts, journalists and researchers who follow who accuses
whom of what and who denies it. The label contract is `LABELS.md`; the
annotation guidelines are `datasets/GUIDELINES.md`.

Not for: judging whether an accusation is true, scoring people, or making
decisions about individuals without a human reading the text."""

KNOWN_LIMITS = """\
- Trained only on statements written for this project (one sentence each);
  real articles mix registers, quote chains and multi-sentence context.
- On real headlines (Emergent) denial F1 is lower than on our test split, and
  a small share of real event descriptions (PLOVER) are tagged as denials
  that are not: run `make benchmark` for the current figures.
- Sarcasm, irony, rhetorical questions and implicit denials are the hardest
  cases (see accuracy per phenomenon below).
- A statement with two acts ("X accused Y, which Y denied") gets one label,
  `denial` by the contract's precedence; the accusation is not shown.
- English only; probabilities are calibrated on our corpus, not on other
  domains."""


def _split_table(evaluation: Evaluation) -> list[str]:
    lines = ["| label | precision | recall | F1 | n |", "|---|---:|---:|---:|---:|"]
    for label in LABELS:
        scores = evaluation.per_class[label]
        lines.append(
            f"| {label} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1']:.3f} | {int(scores['support'])} |"
        )
    return lines


def render_model_card(
    corpus: Corpus,
    params: dict[str, Any],
    dev: Evaluation,
    test: Evaluation,
    run_id: str,
    git_commit: str,
    git_dirty: bool,
) -> str:
    """The card as Markdown."""
    counts = corpus.split_label_counts()
    data = ["| split | " + " | ".join(LABELS) + " | total |", "|---|" + "---:|" * 4]
    for split, row in counts.items():
        data.append(
            f"| {split} | "
            + " | ".join(str(row[label]) for label in LABELS)
            + f" | {sum(row.values())} |"
        )
    phenomena = ["| phenomenon | n | test accuracy |", "|---|---:|---:|"] + [
        f"| {row['phenomenon']} | {row['n']} | {row['accuracy']:.3f} |"
        for row in test.per_phenomenon()
    ]
    lines = [
        "# Model card: stancewatch",
        "",
        f"MLflow run `{run_id}`, git commit `{git_commit}`"
        + (" (uncommitted changes)" if git_dirty else "")
        + ".",
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Labels",
        "",
        "- **accusation**: makes or reports an allegation that an identifiable party did"
        " wrong, or holds a party responsible for a harmful act (formal charges and"
        " hedged allegations included).",
        "- **denial**: makes or reports a rejection of an accusation, charge or claim"
        " (pleas of not guilty and third-party rebuttals included).",
        "- **neutral**: everything else; rejecting a proposal is not a denial.",
        "- Precedence when a statement carries two acts: denial, then accusation, then neutral.",
        "",
        "## Model",
        "",
        "TF-IDF word and character n-grams plus cue-lexicon features, a ridge"
        " classifier, temperature-scaled probabilities. Hyperparameters:",
        "",
        *[f"- `{key}`: `{value}`" for key, value in params.items()],
        "",
        "## Data",
        "",
        f"`{corpus.path.name}`, sha256 `{corpus.sha256}`, {len(corpus.statements)}"
        " hand-written statements; splits are fixed in the file.",
        "",
        *data,
        "",
        "## Metrics",
        "",
        f"Dev macro-F1 **{dev.macro_f1:.3f}**, test macro-F1 **{test.macro_f1:.3f}**"
        f" (accuracy {test.accuracy:.3f}); test Brier score {test.brier:.3f},"
        f" expected calibration error {test.ece:.3f}.",
        "",
        "Test split:",
        "",
        *_split_table(test),
        "",
        *phenomena,
        "",
        "## Known limits",
        "",
        KNOWN_LIMITS,
        "",
    ]
    return "\n".join(lines)
