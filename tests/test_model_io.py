import errno
import json
import os
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


def test_pruning_leaves_a_sibling_whose_name_starts_the_same(saved: Path, corpus_model):
    backup = saved.parent / "default.bak"  # its versions are ".default.bak.<stamp>"
    save_model(corpus_model.pipeline, backup, {"note": "backup"})
    for note in ("second", "third", "fourth"):
        save_model(corpus_model.pipeline, saved, {"note": note})
    assert load_model(backup).metadata["note"] == "backup"
    assert load_model(saved).metadata["note"] == "fourth"


def test_plain_directory_is_adopted_and_replaced(tmp_path: Path, corpus_model):
    model_dir = tmp_path / "plain"
    model_dir.mkdir()
    (model_dir / "stale.txt").write_text("old")
    save_model(corpus_model.pipeline, model_dir, {})
    assert model_dir.is_symlink() and (model_dir / MODEL_FILE).is_file()


def test_a_plain_directory_is_put_back_if_the_link_cannot_be_made(
    tmp_path: Path, corpus_model, monkeypatch
):
    model_dir = tmp_path / "plain"
    model_dir.mkdir()
    (model_dir / "stale.txt").write_text("old")
    monkeypatch.setattr(os, "replace", _raise(OSError(errno.EIO, "I/O error")))
    with pytest.raises(OSError, match="I/O error"):
        save_model(corpus_model.pipeline, model_dir, {})
    monkeypatch.undo()
    assert not model_dir.is_symlink() and (model_dir / "stale.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plain"]


def test_probabilities_follow_label_order(corpus_model: StanceModel):
    proba = corpus_model.probabilities(TEXTS)
    assert proba.shape == (3, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)


# --- Integrity: a tampered or foreign model is refused before anything is unpickled.


class _Payload:
    """Unpickling this creates ``marker``: proof that a pickle ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _no_unpickling(monkeypatch) -> None:
    monkeypatch.setattr(joblib, "load", lambda *_, **__: pytest.fail("a model was unpickled"))


def test_one_flipped_byte_in_the_joblib_is_refused_naming_the_file(saved: Path, monkeypatch):
    model_file = saved / MODEL_FILE
    data = bytearray(model_file.read_bytes())
    data[len(data) // 2] ^= 0x01
    model_file.write_bytes(bytes(data))
    _no_unpickling(monkeypatch)
    with pytest.raises(ModelIntegrityError) as refused:
        load_model(saved)
    message = str(refused.value)
    assert str(saved.resolve() / MODEL_FILE) in message and "does not match" in message


def test_a_swapped_in_malicious_pickle_never_runs(saved: Path, tmp_path: Path):
    marker = tmp_path / "pwned"
    joblib.dump(_Payload(marker), saved / MODEL_FILE)
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_model(saved)
    assert not marker.exists()
    # The payload is live: unpickling the file without the check runs it.
    joblib.load(saved / MODEL_FILE).close()
    assert marker.exists()


def test_a_changed_sha_in_model_json_is_refused_naming_both_files(saved: Path, monkeypatch):
    metadata_file = saved / METADATA_FILE
    metadata = json.loads(metadata_file.read_text())
    metadata["sha256"] = ("0" if metadata["sha256"][0] != "0" else "1") + metadata["sha256"][1:]
    metadata_file.write_text(json.dumps(metadata))
    _no_unpickling(monkeypatch)
    with pytest.raises(ModelIntegrityError) as refused:
        load_model(saved)
    message = str(refused.value)
    assert str(saved.resolve() / MODEL_FILE) in message
    assert str(saved.resolve() / METADATA_FILE) in message


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("sha256", "abc123", "not 64 lowercase hex digits"),
        ("sha256", None, "not 64 lowercase hex digits"),
        ("model_file", "../elsewhere/model.joblib", "must be a file name"),
        ("model_file", "/etc/passwd", "must be a file name"),
    ],
)
def test_malformed_integrity_fields_are_refused(saved: Path, monkeypatch, field, value, complaint):
    metadata_file = saved / METADATA_FILE
    metadata = json.loads(metadata_file.read_text())
    metadata[field] = value
    metadata_file.write_text(json.dumps(metadata))
    _no_unpickling(monkeypatch)
    with pytest.raises(ModelIntegrityError, match=complaint):
        load_model(saved)


def _claim_sklearn_version(model_dir: Path, version: str) -> None:
    metadata_file = model_dir / METADATA_FILE
    metadata = json.loads(metadata_file.read_text())
    metadata["library_versions"]["scikit-learn"] = version
    metadata_file.write_text(json.dumps(metadata))


def test_another_minor_scikit_learn_version_loads_with_a_clear_warning(saved: Path):
    import sklearn

    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    other = f"{major}.{minor + 1}.0"
    _claim_sklearn_version(saved, other)
    with pytest.warns(UserWarning, match=rf"trained with scikit-learn {other}, this is .*retrain"):
        model = load_model(saved)
    assert model.probabilities(TEXTS).shape == (3, 3)


def test_another_major_scikit_learn_version_is_refused_before_unpickling(saved: Path, monkeypatch):
    import sklearn

    other = f"{int(sklearn.__version__.split('.')[0]) - 1}.24.2"
    _claim_sklearn_version(saved, other)
    _no_unpickling(monkeypatch)
    with pytest.raises(ModelIntegrityError, match=rf"scikit-learn {other}.*another major version"):
        load_model(saved)


# --- A save that fails at any step leaves the previous model in place.


def _half_then(error: BaseException):
    """A ``joblib.dump`` that writes half of the real file, then fails with ``error``."""
    real_dump = joblib.dump

    def dump(value, filename, **kwargs):
        real_dump(value, filename, **kwargs)
        path = Path(filename)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        raise error

    return dump


def _fail_metadata_halfway(real_write):
    def write(path: Path, text: str) -> None:
        if path.name == METADATA_FILE:
            path.write_text(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, text)

    return write


def _raise(error: BaseException):
    def fail(*args, **kwargs):
        raise error

    return fail


def _inject(step: str, monkeypatch) -> type[BaseException]:
    """Make ``save_model`` fail at ``step``; returns the exception type it will raise."""
    import inference.model as model_module

    disk_full = OSError(errno.ENOSPC, "No space left on device")
    if step == "after the extra files":
        monkeypatch.setattr(model_module, "write_model_files", _raise(disk_full))
    elif step == "disk full during joblib.dump":
        monkeypatch.setattr(joblib, "dump", _half_then(disk_full))
    elif step == "interrupt during joblib.dump":
        monkeypatch.setattr(joblib, "dump", _half_then(KeyboardInterrupt()))
        return KeyboardInterrupt
    elif step == "disk full during the model.json write":
        monkeypatch.setattr(
            model_module, "_write_synced", _fail_metadata_halfway(model_module._write_synced)
        )
    elif step == "fsync fails":
        monkeypatch.setattr(model_module, "_fsync_path", _raise(OSError(errno.EIO, "I/O error")))
    elif step == "creating the new link":
        monkeypatch.setattr(Path, "symlink_to", _raise(disk_full))
    elif step == "the rename that swaps the link":
        monkeypatch.setattr(os, "replace", _raise(OSError(errno.EIO, "I/O error")))
    else:  # pragma: no cover
        raise AssertionError(step)
    return OSError


SAVE_STEPS = [
    "after the extra files",
    "disk full during joblib.dump",
    "interrupt during joblib.dump",
    "disk full during the model.json write",
    "fsync fails",
    "creating the new link",
    "the rename that swaps the link",
]


@pytest.mark.parametrize("step", SAVE_STEPS)
def test_a_save_failing_at_any_step_keeps_the_previous_model(
    saved: Path, corpus_model, monkeypatch, step
):
    target = os.readlink(saved)
    entries = sorted(p.name for p in saved.parent.iterdir())
    expected = _inject(step, monkeypatch)
    with pytest.raises(expected):
        save_model(
            corpus_model.pipeline, saved, {"note": "second"}, extra_files={"MODEL_CARD.md": "x"}
        )
    monkeypatch.undo()
    assert os.readlink(saved) == target
    assert sorted(p.name for p in saved.parent.iterdir()) == entries  # nothing half-written
    assert load_model(saved).metadata["note"] == "first"


def test_the_next_save_clears_what_a_killed_save_left_behind(saved: Path, corpus_model):
    # What SIGKILL in the middle of a save leaves: a version without model.json
    # (newer than the live one) and the temporary link.
    leftover = saved.parent / ".default.29990101T000000-dead00"
    leftover.mkdir()
    (leftover / MODEL_FILE).write_bytes(b"half a model")
    (saved.parent / ".default.link-dead00").symlink_to(leftover.name)
    previous = os.readlink(saved)
    save_model(corpus_model.pipeline, saved, {"note": "second"})
    names = {p.name for p in saved.parent.iterdir()}
    assert names == {"default", previous, os.readlink(saved)}  # the previous complete one stays
    assert load_model(saved).metadata["note"] == "second"


def test_saves_from_many_threads_at_once_leave_one_complete_model(saved: Path, corpus_model):
    from concurrent.futures import ThreadPoolExecutor

    notes = [f"thread {i}" for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda note: save_model(corpus_model.pipeline, saved, {"note": note}), notes))
    assert load_model(saved).metadata["note"] in notes
    versions = [p for p in saved.parent.iterdir() if p.name.startswith(".default.")]
    assert len(versions) == 2
    assert all((v / METADATA_FILE).is_file() for v in versions)


def test_an_interrupt_right_after_the_swap_keeps_the_new_model(
    saved: Path, corpus_model, monkeypatch
):
    import inference.model as model_module

    real_fsync = model_module._fsync_path

    def fsync(path: Path) -> None:
        if path == saved.parent:  # the directory fsync that follows the rename
            raise KeyboardInterrupt
        real_fsync(path)

    monkeypatch.setattr(model_module, "_fsync_path", fsync)
    with pytest.raises(KeyboardInterrupt):
        save_model(corpus_model.pipeline, saved, {"note": "second"})
    monkeypatch.undo()
    assert load_model(saved).metadata["note"] == "second"
