"""Scoring a stream of statements in chunks, in input order, in one or more processes.

Memory stays bounded whatever the input's size: statements are read in chunks
and at most ``READ_AHEAD * jobs`` chunks are read ahead of the output written.
Worker processes (joblib's loky executor) get the model's directory, not the
model, and load it once each.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field

from inference.article_cli import cut
from inference.errors import InputFormatError
from inference.labels import LABELS
from inference.model import StanceModel, load_model
from inference.predict import Prediction, predict

#: Chunks in flight per worker process: one scoring, one queued.
READ_AHEAD = 2
#: Evidence column width of the table format.
EVIDENCE_WIDTH = 30


@dataclass(frozen=True)
class OutputStyle:
    """How scored statements are written: JSON Lines or table rows, with evidence or not."""

    table: bool = False
    evidence: bool = True
    text_width: int = 80


def table_header(style: OutputStyle) -> str:
    header = f"{'label':<10} " + " ".join(f"{name[:3]:>5}" for name in LABELS)
    evidence = f"  {'evidence':<{EVIDENCE_WIDTH}}" if style.evidence else ""
    return f"{header}{evidence}  text\n"


def table_text_width(columns: int, evidence: bool) -> int:
    """Room left for the text column on a terminal ``columns`` wide."""
    fixed = len(table_header(OutputStyle(evidence=evidence))) - len("text\n")
    return max(max(columns, 80) - fixed, 20)


def render(predictions: list[Prediction], style: OutputStyle) -> str:
    """The output lines of ``predictions``; evidence is computed only if shown."""
    lines = []
    for prediction in predictions:
        if not style.table:
            record = prediction.to_dict(evidence=style.evidence)
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        probabilities = " ".join(f"{prediction.probabilities[name]:5.2f}" for name in LABELS)
        evidence = ""
        if style.evidence:
            phrases = ", ".join(item.phrase for item in prediction.evidence[:3])
            evidence = f"  {cut(phrases, EVIDENCE_WIDTH):<{EVIDENCE_WIDTH}}"
        text = cut(prediction.text, style.text_width)
        lines.append(f"{prediction.label:<10} {probabilities}{evidence}  {text}\n")
    return "".join(lines)


_worker_models: dict[str, StanceModel] = {}


def worker_model(path: str) -> StanceModel:
    """The model at ``path``, loaded once per process (the last one used is kept)."""
    model = _worker_models.get(path)
    if model is None:
        _worker_models.clear()
        model = _worker_models[path] = load_model(path)
    return model


def score_texts(model: StanceModel | str, texts: list[str], style: OutputStyle) -> str:
    """Score ``texts`` and render them; ``model`` may be a model directory (in workers)."""
    loaded = worker_model(model) if isinstance(model, str) else model
    return render(predict(texts, loaded), style)


@dataclass
class Chunk:
    """Consecutive statements, and how many bytes of input were read once it was full."""

    texts: list[str]
    position: int | None = None


@dataclass
class ChunkReader:
    """Group statements into chunks of ``size``.

    A bad line ends the chunks (after a last one with the statements before
    it) and is kept in ``error``, so everything before it can be written first.
    """

    statements: Iterable[tuple[int, str]]
    size: int
    position: Callable[[], int | None] = lambda: None
    error: InputFormatError | None = field(default=None, init=False)

    def __iter__(self) -> Iterator[Chunk]:
        texts: list[str] = []
        try:
            for _, text in self.statements:
                texts.append(text)
                if len(texts) == self.size:
                    yield Chunk(texts, self.position())
                    texts = []
        except InputFormatError as err:
            self.error = err
        if texts:
            yield Chunk(texts, self.position())


def score_chunks(
    chunks: Iterable[Chunk], model: StanceModel, style: OutputStyle, jobs: int = 1
) -> Iterator[tuple[Chunk, str]]:
    """Yield each chunk with its rendered output, in input order.

    With ``jobs > 1``, chunks are scored in that many worker processes, each
    loading ``model.path`` once; at most ``READ_AHEAD * jobs`` chunks are in
    flight, so a slow reader of the output holds the input back.
    """
    if jobs == 1:
        for chunk in chunks:
            yield chunk, score_texts(model, chunk.texts, style)
        return
    if model.path is None:
        raise ValueError("scoring in several processes needs a model loaded from a directory")
    # A pool of our own, not loky's process-wide reusable one: joblib.Parallel
    # (model selection in training) cannot share that one once we created it.
    from joblib.externals.loky import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=jobs)
    path = str(model.path)
    pending: deque[tuple[Chunk, Future[str]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, executor.submit(score_texts, path, chunk.texts, style)))
            if len(pending) >= READ_AHEAD * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        for _, future in pending:
            future.cancel()
        executor.shutdown(wait=False)
