import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from inference.errors import ModelIntegrityError, ModelNotFoundError
from inference.model import METADATA_FILE, MODEL_FILE, StanceModel, load_model, save_model

TEXTS = ["He denied the allegations.", "Police arrested two men.", "They accused him of fraud."]


@pytest.fixture
def saved(tmp_path: Path, corpus_model: StanceModel) -> Path:
    model_dir = tmp_path / "models" / "default"
    save_model(corpus_model.pipeline, model_dir, {"note": "first"})
    return model_dir


def test_round_trip_gives_identical_probabilities(saved: Path, corpus_model: StanceModel):
    loaded = load_model(saved)
    assert np.allclose(loaded.probabilities(TEXTS), corpus_model.probabilities(TEXTS))
    metadata = json.loads((saved / METADATA_FILE).read_text())
    assert metadata["labels"] == ["accusation", "denial", "neutral"]
    assert metadata["note"] == "first"
    assert {"scikit-learn", "nltk", "joblib"} <= set(metadata["library_versions"])
    assert len(metadata["sha256"]) == 64


def test_missing_model_names_the_path_and_the_fix(tmp_path: Path):
    with pytest.raises(ModelNotFoundError, match=r"no trained model at .*nowhere.*stance-train"):
        load_model(tmp_path / "nowhere")


def test_default_path_comes_from_environment(saved: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STANCEWATCH_MODEL", str(saved))
    assert load_model().path == saved.resolve()


def test_tampered_model_is_refused_before_unpickling(saved: Path, monkeypatch):
    model_file = saved / MODEL_FILE
    model_file.write_bytes(model_file.read_bytes() + b"\0")
    monkeypatch.setattr(joblib, "load", lambda *_: pytest.fail("unverified file was loaded"))
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_model(saved)


def test_metadata_with_wrong_labels_is_refused(saved: Path):
    metadata_file = saved / METADATA_FILE
    metadata = json.loads(metadata_file.read_text())
    metadata["labels"] = ["yes", "no"]
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(ModelIntegrityError, match="expected labels"):
        load_model(saved)


def test_failed_save_keeps_the_previous_model(saved: Path, corpus_model, monkeypatch):
    before = load_model(saved).metadata["sha256"]

    def broken_dump(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(joblib, "dump", broken_dump)
    with pytest.raises(OSError, match="No space left"):
        save_model(corpus_model.pipeline, saved, {"note": "second"})
    assert load_model(saved).metadata["sha256"] == before
    hidden = [p.name for p in saved.parent.iterdir() if p.name.startswith(".")]
    assert len(hidden) == 1, hidden  # only the live version, no half-written one


def test_new_save_replaces_the_link_and_prunes_old_versions(saved: Path, corpus_model):
    for note in ("second", "third", "fourth"):
        save_model(corpus_model.pipeline, saved, {"note": note})
    assert saved.is_symlink()
    assert load_model(saved).metadata["note"] == "fourth"
    versions = [p for p in saved.parent.iterdir() if p.name.startswith(".default.")]
    assert len(versions) == 2  # the live one and the one before it


def test_plain_directory_is_adopted_and_replaced(tmp_path: Path, corpus_model):
    model_dir = tmp_path / "plain"
    model_dir.mkdir()
    (model_dir / "stale.txt").write_text("old")
    save_model(corpus_model.pipeline, model_dir, {})
    assert model_dir.is_symlink() and (model_dir / MODEL_FILE).is_file()


def test_probabilities_follow_label_order(corpus_model: StanceModel):
    proba = corpus_model.probabilities(TEXTS)
    assert proba.shape == (3, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
