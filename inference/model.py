"""Saving and loading a trained model: a joblib file plus ``model.json``.

joblib files run code when loaded, so the loader verifies the file's sha256
against ``model.json`` before it unpickles anything, and refuses a mismatch.

A model directory is replaced atomically: each save writes a complete new
version into a hidden sibling directory and then swaps a symbolic link
(``models/default -> .default.<stamp>``) with one ``rename``. A reader sees
the old model or the new one, never a mix, and a save that fails part-way
(an error, a full disk, Ctrl-C) leaves the previous model untouched. Saves
from several processes at once take turns on a lock on the parent directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

try:  # POSIX: serialise concurrent saves into one model directory.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import numpy as np

from inference.errors import ModelIntegrityError, ModelNotFoundError
from inference.explain import Evidence, Explainer
from inference.labels import LABELS
from inference.paths import MODEL_ENV_VAR, default_model_dir
from inference.scorer import LinearScorer, UnsupportedPipeline
from inference.text import normalize

MODEL_FILE = "model.joblib"
METADATA_FILE = "model.json"
FORMAT_VERSION = 1


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries a saved pipeline depends on."""
    import platform

    import joblib
    import nltk
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "nltk": nltk.__version__,
        "joblib": joblib.__version__,
        "numpy": np.__version__,
    }


@dataclass
class StanceModel:
    """A fitted pipeline with its metadata, as returned by :func:`load_model`.

    The pipeline is the one ``training.pipeline.build_pipeline`` makes: steps
    ``normalize`` (:class:`~inference.features.TextNormalizer`), ``features``
    (a FeatureUnion of ``word`` and optional ``char`` TF-IDF) and
    ``classifier`` (a linear model with ``coef_``).
    """

    pipeline: Any
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def score(self, texts: list[str]) -> tuple[list[str], Any, np.ndarray]:
        """Normalised texts, their feature matrix and label probabilities,
        through the pipeline itself (what evidence is computed from).

        Each text is normalised once; the probability columns follow ``LABELS``.
        """
        steps = self.pipeline.named_steps
        normalized = steps["normalize"].transform(texts)
        features = steps["features"].transform(normalized)
        proba = steps["classifier"].predict_proba(features)
        return normalized, features, proba[:, self._label_order(steps["classifier"].classes_)]

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Probability matrix with one column per label, in ``LABELS`` order.

        Computed by the fast :class:`~inference.scorer.LinearScorer` when the
        pipeline has the shape it reproduces, otherwise by the pipeline.
        """
        scorer = self.scorer
        if scorer is None:
            return self.score(texts)[2]
        return scorer.predict_proba(texts)[:, self._label_order(scorer.classes)]

    def explain(self, text: str, label: str) -> list[Evidence]:
        """Evidence for ``label`` on one raw statement."""
        if self.scorer is None:
            normalized, features, _ = self.score([text])
            return self.explainer.explain(normalized, features, [label])[0]
        clean = normalize(text)
        columns, values = self.scorer.feature_row(clean)
        return self.explainer.explain_row(clean, columns, values, label)

    @staticmethod
    def _label_order(classes: Any) -> list[int]:
        classes = list(classes)
        return [classes.index(label) for label in LABELS]

    @cached_property
    def scorer(self) -> LinearScorer | None:
        """The batched scorer for this pipeline, or None if it has another shape."""
        try:
            return LinearScorer(self.pipeline)
        except UnsupportedPipeline:
            return None

    @cached_property
    def explainer(self) -> Explainer:
        """Evidence for this model's predictions, built on first use."""
        return Explainer(self.pipeline)


def write_model_files(pipeline: Any, directory: Path, metadata: dict[str, Any]) -> Path:
    """Write ``model.joblib`` and ``model.json`` into an existing, empty ``directory``."""
    import joblib

    model_path = directory / MODEL_FILE
    try:
        joblib.dump(pipeline, model_path, compress=3)
    except OSError as err:  # joblib's compressor drops the file name: a full disk names it
        if err.filename is not None:
            raise
        raise OSError(err.errno, err.strerror, str(model_path)) from err
    full_metadata = {
        "format_version": FORMAT_VERSION,
        "labels": list(LABELS),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "library_versions": library_versions(),
        **metadata,
        "model_file": MODEL_FILE,
        "sha256": file_sha256(model_path),
    }
    _write_synced(directory / METADATA_FILE, json.dumps(full_metadata, indent=2) + "\n")
    _fsync_path(model_path)
    _fsync_path(directory)
    return directory


def save_model(
    pipeline: Any,
    model_dir: Path,
    metadata: dict[str, Any],
    extra_files: dict[str, str] | None = None,
) -> Path:
    """Write ``pipeline`` and its metadata to ``model_dir``, atomically.

    ``extra_files`` maps file names to text written beside the model (e.g. the
    model card). Returns the versioned directory that ``model_dir`` now points to.

    If anything fails (an error, a full disk, Ctrl-C) before the link is
    swapped, the new version directory is removed and ``model_dir`` still
    points at the previous model. Saves into the same parent directory from
    several processes at once are serialised by a lock on that directory, so
    one never prunes a version another is still writing.
    """
    model_dir = Path(model_dir)
    parent = model_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    with directory_lock(parent):
        stamp = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        version_dir = parent / f".{model_dir.name}.{stamp}"
        try:
            version_dir.mkdir()
            for name, text in (extra_files or {}).items():
                _write_synced(version_dir / name, text)
            write_model_files(pipeline, version_dir, metadata)
            _point_link_at(model_dir, version_dir)
        except BaseException:
            # Once the link points at the new version it is the live model, even
            # if what failed (or was interrupted) came after the rename.
            if _link_target(model_dir) != version_dir.name:
                shutil.rmtree(version_dir, ignore_errors=True)
            raise
        _prune_old_versions(model_dir)
    return version_dir


@contextlib.contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive advisory ``flock`` on ``directory`` itself while the
    block runs (no lock file to leave behind; a no-op where ``fcntl`` is missing).

    The kernel releases it when the process dies, so a killed process never
    leaves a stale lock. Used to serialise saves into one model directory and
    the creation of a sqlite MLflow store.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _point_link_at(model_dir: Path, version_dir: Path) -> None:
    """Make ``model_dir`` a symlink to ``version_dir`` with one atomic rename.

    A plain directory at ``model_dir`` (from elsewhere) is first kept as a hidden
    version, and put back if the link cannot be made.
    """
    adopted = None
    if model_dir.exists() and not model_dir.is_symlink():
        adopted = model_dir.parent / f".{model_dir.name}.adopted-{secrets.token_hex(3)}"
        model_dir.rename(adopted)
    temporary_link = model_dir.parent / f".{model_dir.name}.link-{secrets.token_hex(3)}"
    try:
        temporary_link.symlink_to(version_dir.name, target_is_directory=True)
        os.replace(temporary_link, model_dir)
    except BaseException:
        temporary_link.unlink(missing_ok=True)
        if adopted is not None and not model_dir.exists():
            adopted.rename(model_dir)
        raise
    # The swap is done and visible; making the rename durable is best effort.
    with contextlib.suppress(OSError):
        _fsync_path(model_dir.parent)


def _link_target(model_dir: Path) -> str | None:
    """The name of the version directory ``model_dir`` links to, if it is a link."""
    try:
        return Path(os.readlink(model_dir)).name
    except OSError:
        return None


def _owned_names(model_dir: Path) -> re.Pattern[str]:
    """Names of what saves to ``model_dir`` create beside it: versions, adopted
    directories and temporary links (not those of ``default.bak`` beside ``default``)."""
    name = re.escape(model_dir.name)
    return re.compile(rf"\.{name}\.(?P<kind>\d{{8}}T\d{{6}}-|adopted-|link-)[0-9a-f]{{6}}")


def _prune_old_versions(model_dir: Path, retain: int = 1) -> None:
    """Delete hidden versions beyond the current one and ``retain`` previous ones.

    The previous version is kept so that a reader that resolved the old link
    a moment ago can still finish loading it; the version the link points at
    now is never deleted. Called under the save lock, so a version directory
    without ``model.json`` is a leftover of a save that was killed (SIGKILL,
    power loss) and is deleted whatever its age. Pruning is housekeeping:
    it never fails a save that already swapped the link.
    """
    owned, live = _owned_names(model_dir), _link_target(model_dir)
    complete: list[tuple[float, Path]] = []
    try:
        entries = list(model_dir.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = owned.fullmatch(entry.name)
        if match is None or entry.name == live:
            continue
        try:
            if entry.is_symlink():
                if match["kind"] == "link-":  # a killed save's temporary link
                    entry.unlink()
                continue
            if not entry.is_dir():
                continue
            if (entry / METADATA_FILE).is_file() or match["kind"] == "adopted-":
                complete.append((entry.stat().st_mtime, entry))
            else:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue
    complete.sort(key=lambda item: item[0], reverse=True)
    for _, stale in complete[retain:]:
        shutil.rmtree(stale, ignore_errors=True)


SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


def read_metadata(model_dir: Path) -> dict[str, Any]:
    """The parsed ``model.json`` of a model directory, checked for what the loader trusts.

    Raises:
        ModelNotFoundError: there is no ``model.json``.
        ModelIntegrityError: it is not JSON, has no well-formed ``sha256``, or its
            ``model_file`` is not a plain file name inside the directory.
    """
    metadata_path = model_dir / METADATA_FILE
    if not metadata_path.is_file():
        raise ModelNotFoundError(model_dir)
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ModelIntegrityError(f"{metadata_path}: not valid JSON ({err})") from err
    if not isinstance(metadata, dict) or "sha256" not in metadata:
        raise ModelIntegrityError(f"{metadata_path}: no 'sha256' entry, refusing to load")
    if not isinstance(metadata["sha256"], str) or not SHA256_PATTERN.fullmatch(metadata["sha256"]):
        raise ModelIntegrityError(
            f"{metadata_path}: 'sha256' is not 64 lowercase hex digits, refusing to load"
        )
    model_file = metadata.get("model_file", MODEL_FILE)
    if not isinstance(model_file, str) or model_file in {"", ".", ".."} or "/" in model_file:
        raise ModelIntegrityError(
            f"{metadata_path}: 'model_file' must be a file name in the model directory, "
            f"got {model_file!r}"
        )
    return metadata


#: URI schemes that :func:`load_model` resolves through MLflow.
MLFLOW_URI_PREFIXES = ("models:/", "runs:/")


def load_model(path: str | Path | None = None) -> StanceModel:
    """Load a model directory written by ``stance-train``, or a logged MLflow model.

    Args:
        path: the model directory; or an MLflow URI such as
            ``models:/stancewatch@champion`` or ``runs:/<run id>/model``
            (needs the ``mlflow`` extra; the store is ``$MLFLOW_TRACKING_URI``
            or the project's ``mlruns/mlflow.db``); by default
            ``$STANCEWATCH_MODEL`` or ``models/default`` in the project.

    Raises:
        ModelNotFoundError: no model there (run ``stance-train``).
        ModelIntegrityError: the joblib file does not match ``model.json``.
    """
    if path is None and os.environ.get(MODEL_ENV_VAR, "").startswith(MLFLOW_URI_PREFIXES):
        path = os.environ[MODEL_ENV_VAR]
    if isinstance(path, str) and path.startswith(MLFLOW_URI_PREFIXES):
        from inference.registry import download_model

        return load_model(download_model(path))
    import joblib

    requested = Path(path) if path is not None else default_model_dir()
    model_dir = requested.resolve()
    if not model_dir.is_dir():
        raise ModelNotFoundError(requested)
    metadata = read_metadata(model_dir)
    if metadata.get("labels") != list(LABELS):
        raise ModelIntegrityError(
            f"{model_dir / METADATA_FILE}: expected labels {list(LABELS)}, "
            f"got {metadata.get('labels')}"
        )
    model_path = model_dir / str(metadata.get("model_file", MODEL_FILE))
    if not model_path.is_file():
        raise ModelNotFoundError(requested)
    actual = file_sha256(model_path)
    if actual != metadata["sha256"]:
        raise ModelIntegrityError(
            f"{model_path}: sha256 {actual} does not match {metadata['sha256']} "
            f"recorded in {model_dir / METADATA_FILE}; refusing to load a file that may "
            "have been altered (or a model.json that was)"
        )
    _check_version_drift(metadata, model_dir)
    pipeline = joblib.load(model_path)
    return StanceModel(pipeline=pipeline, metadata=metadata, path=model_dir)


def _major(version: str) -> int | None:
    match = re.match(r"(\d+)\.", version)
    return int(match.group(1)) if match else None


def _check_version_drift(metadata: dict[str, Any], model_dir: Path) -> None:
    """Refuse a model pickled by another major scikit-learn; warn on any other difference.

    Across a major version estimators are renamed and their pickled state
    changes, so unpickling fails deep inside scikit-learn or, worse, loads a
    model that predicts differently; that is refused before unpickling. Any
    other difference (minor or patch) loads with a warning, as scikit-learn
    itself warns.
    """
    import sklearn

    versions = metadata.get("library_versions")
    trained_with = versions.get("scikit-learn") if isinstance(versions, dict) else None
    if not isinstance(trained_with, str) or trained_with == sklearn.__version__:
        return
    old, new = _major(trained_with), _major(sklearn.__version__)
    if old is not None and new is not None and old != new:
        raise ModelIntegrityError(
            f"{model_dir / METADATA_FILE}: the model was trained with scikit-learn "
            f"{trained_with}, this is {sklearn.__version__} (another major version); "
            "refusing to unpickle it: retrain with stance-train"
        )
    warnings.warn(
        f"the model in {model_dir} was trained with scikit-learn {trained_with}, "
        f"this is {sklearn.__version__}: predictions may differ; retrain with stance-train",
        UserWarning,
        stacklevel=3,
    )
