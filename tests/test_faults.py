"""Faults cost no data and no trust: interrupts, concurrent runs and a full disk.

Each case runs the real ``stance-train`` (``python -m training``) in a
subprocess against a copy of a store that already holds one finished run and
a saved model, then checks what is left: the exit code and message, a model
directory that loads (the previous model, or the new one if it was already in
place), no half-written version directory, and no MLflow run left RUNNING.
"""

from __future__ import annotations

import csv
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import mlflow
import pytest

from inference import load_model
from inference.model import METADATA_FILE
from tests.conftest import tiny_train_config
from training.cli import main
from training.registry import CHAMPION_ALIAS, REGISTERED_NAME
from training.train import train

EXPERIMENT = "faults"
TIMEOUT = 240


def train_command(root: Path, data: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "training",
        "train",
        "--data",
        str(data),
        "--model-dir",
        str(root / "models" / "default"),
        "--tracking-uri",
        f"sqlite:///{root / 'mlflow.db'}",
        "--experiment",
        EXPERIMENT,
        "--folds",
        "2",
        "--jobs",
        "1",
        "--seed",
        "7",
        *extra,
    ]


@dataclass
class Store:
    """A store with one finished run and the model it saved."""

    root: Path
    run_id: str

    @property
    def model_dir(self) -> Path:
        return self.root / "models" / "default"

    @property
    def uri(self) -> str:
        return f"sqlite:///{self.root / 'mlflow.db'}"

    def copy(self, target: Path) -> Store:
        shutil.copytree(self.root, target, symlinks=True)
        return Store(target, self.run_id)

    def runs(self) -> list[mlflow.entities.Run]:
        client = mlflow.MlflowClient(self.uri)
        experiment = client.get_experiment_by_name(EXPERIMENT)
        return client.search_runs([experiment.experiment_id])

    def assert_consistent(self) -> None:
        """No run RUNNING; the champion alias on an existing version; the model
        directory loads and holds only complete versions."""
        statuses = [run.info.status for run in self.runs()]
        assert "RUNNING" not in statuses, statuses
        assert set(statuses) <= {"FINISHED", "FAILED", "KILLED"}, statuses
        client = mlflow.MlflowClient(self.uri)
        versions = {v.version for v in client.search_model_versions(f"name='{REGISTERED_NAME}'")}
        champion = client.get_model_version_by_alias(REGISTERED_NAME, CHAMPION_ALIAS)
        assert champion.version in versions
        load_model(self.model_dir)
        parent = self.model_dir.parent
        hidden = [p for p in parent.iterdir() if p.name.startswith(".")]
        assert all(p.is_dir() and not p.is_symlink() for p in hidden), hidden  # no stray links
        assert all((p / METADATA_FILE).is_file() for p in hidden), hidden  # nothing half-written
        assert len(hidden) <= 2, hidden


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_corpus_path) -> Store:
    root = tmp_path_factory.mktemp("faults-store")
    result = train(tiny_train_config(root, tiny_corpus_path, EXPERIMENT), progress=lambda _: None)
    return Store(root, result.run_id)


def one_error_line(stderr: str, prefix: str) -> str:
    """The single ``stance-train:`` line, checked to be last and without a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("stance-train:")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(prefix), stderr
    assert stderr.rstrip().endswith(lines[0]), stderr
    return lines[0]


# --- Interrupts ----------------------------------------------------------------

#: Where the signal is sent: right after start, some seconds into the imports,
#: or as soon as a line of the run's progress appears on stderr.
POINTS = {
    "at-exec": None,
    "while-importing": 0.3,
    "loading": "[1/5]",
    "fitting": "[2/5]",
    "logging": "[4/5]",
    "registering": "Created version",
    "saving": "[5/5]",
}
CASES = [(point, signal.SIGTERM) for point in POINTS] + [
    (point, signal.SIGINT) for point in ("at-exec", "while-importing", "fitting")
]


@dataclass
class Outcome:
    store: Store
    signum: signal.Signals
    returncode: int
    stderr: str
    previous_target: str


def interrupt(store: Store, point: str, signum: signal.Signals, data: Path) -> Outcome:
    previous_target = os.readlink(store.model_dir)
    process = subprocess.Popen(
        train_command(store.root, data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    trigger = POINTS[point]
    seen = []
    if isinstance(trigger, float):
        time.sleep(trigger)
    elif isinstance(trigger, str):
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            if trigger in line:
                break
    process.send_signal(signum)
    _, rest = process.communicate(timeout=TIMEOUT)
    return Outcome(store, signum, process.returncode, "".join(seen) + rest, previous_target)


@pytest.fixture(scope="module")
def sigint_not_ignored() -> Iterator[None]:
    """Children that start with SIGINT at its default, as from a terminal.

    A shell script's background job (``pytest &``) starts with SIGINT ignored
    and passes that on to its children, where stance-train rightly keeps
    ignoring it; here the children must get it.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # SIG_DFL after exec
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="module")
def interrupted(
    store, tiny_corpus_path, tmp_path_factory, sigint_not_ignored
) -> dict[str, Outcome]:
    """Every case, three at a time (each in its own copy of the store)."""
    copies = [store.copy(tmp_path_factory.mktemp(f"{p}-{s.name}") / "store") for p, s in CASES]
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = pool.map(
            lambda args: interrupt(*args, tiny_corpus_path),
            [(copy, point, signum) for copy, (point, signum) in zip(copies, CASES, strict=True)],
        )
        return {f"{p}-{s.name}": o for (p, s), o in zip(CASES, outcomes, strict=True)}


@pytest.mark.parametrize("case", [f"{p}-{s.name}" for p, s in CASES])
def test_an_interrupt_at_any_point_keeps_the_model_and_ends_the_run(interrupted, case):
    outcome = interrupted[case]
    store, signum = outcome.store, outcome.signum
    new_runs = [run for run in store.runs() if run.info.run_id != store.run_id]
    moved = os.readlink(store.model_dir) != outcome.previous_target
    if outcome.returncode == -signum:
        # Killed before Python ran any of stance-train (the first few
        # milliseconds, or longer on a loaded machine): nothing was written, and
        # there is no handler to report it.
        assert case.startswith(("at-exec", "while-importing")), outcome.stderr
        assert not new_runs and not moved
    elif outcome.returncode == 0:
        # The signal came after the process had finished (only possible when
        # it is sent after the last progress line).
        assert case.startswith("saving"), outcome.stderr
        assert [run.info.status for run in new_runs] == ["FINISHED"]
        assert moved
    else:
        assert outcome.returncode == 128 + signum, outcome.stderr
        line = one_error_line(outcome.stderr, f"stance-train: interrupted by {signum.name}")
        if moved:  # the new model was complete and in place before the signal landed
            assert "the new model had already been saved" in line
            assert case.startswith("saving")
        elif "[1/5]" in outcome.stderr:  # training had started: the line says what is left
            assert "the previous model in" in line and "is unchanged" in line
        if new_runs:
            (run,) = new_runs
            # KILLED, or FINISHED if the signal came once the run had been ended.
            assert run.info.status == ("FINISHED" if moved and "FINISHED" in line else "KILLED")
            assert line.endswith(f"MLflow run {run.info.run_id} is {run.info.status}")
        elif "[1/5]" in outcome.stderr:
            assert line.endswith("no MLflow run had started")
    store.assert_consistent()
    model = load_model(store.model_dir)
    if not moved:
        assert model.metadata["mlflow"]["run_id"] == store.run_id
    else:
        assert model.metadata["mlflow"]["run_id"] in {run.info.run_id for run in new_runs}


def test_signal_handlers_are_restored_after_the_command(tiny_corpus_path):
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    assert main(["validate", "--data", str(tiny_corpus_path)]) == 0
    assert {s: signal.getsignal(s) for s in before} == before


def test_a_signal_ignored_at_start_stays_ignored():
    """``nohup stance-train`` (or a background job of a script) keeps ignoring it."""
    from training.interrupts import signals_as_exceptions

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with signals_as_exceptions():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # would have raised by now if it were handled
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_signal_while_the_handlers_are_put_back_is_ignored(monkeypatch):
    """The command is over: a signal landing between restoring SIGINT and
    SIGTERM must not escape, nor leave the handlers half-restored."""
    from training import interrupts

    real = signal.signal
    before = {s: signal.getsignal(s) for s in interrupts.HANDLED_SIGNALS}
    hook = sys.unraisablehook

    def restore_then_signal(signum, handler):
        result = real(signum, handler)
        if signum == signal.SIGINT and handler is not interrupts._handle:
            os.kill(os.getpid(), signal.SIGTERM)  # SIGTERM's handler is still ours
            time.sleep(0.05)  # and runs here
        return result

    monkeypatch.setattr(signal, "signal", restore_then_signal)
    with interrupts.signals_as_exceptions():
        pass
    monkeypatch.undo()
    assert {s: signal.getsignal(s) for s in before} == before
    assert sys.unraisablehook is hook
    with interrupts.signals_as_exceptions():  # and it can be installed again
        assert signal.getsignal(signal.SIGTERM) is interrupts._handle


def test_sigterm_becomes_an_exception_and_waits_for_a_shielded_step():
    from training.interrupts import Interrupted, shielded, signals_as_exceptions

    steps = []
    with pytest.raises(Interrupted) as caught, signals_as_exceptions():
        with shielded():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run by now, and held the signal back
            steps.append("the shielded step finished")
        steps.append("not reached")
    assert steps == ["the shielded step finished"]
    assert caught.value.exit_code == 143 and caught.value.signal_name == "SIGTERM"


def test_an_interrupt_dropped_in_a_weakref_callback_is_delivered_again(capsys):
    """The garbage collector can run a callback exactly when the signal arrives;
    Python drops exceptions raised there ("Exception ignored in ...")."""
    import weakref

    from training.interrupts import Interrupted, signals_as_exceptions

    class Thing:
        pass

    def callback(_):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)  # the handler runs here, inside the callback

    with pytest.raises(Interrupted), signals_as_exceptions():
        thing = Thing()
        reference = weakref.ref(thing, callback)
        del thing  # runs the callback; its Interrupted is dropped
        assert reference() is None
        time.sleep(2)  # the signal is sent again, and lands here
        pytest.fail("the interrupt was lost")
    assert "Exception ignored" not in capsys.readouterr().err


def test_a_signal_while_the_run_starts_ends_it_killed(tmp_path, monkeypatch):
    """The shield around starting the run raises the held-back signal as it
    ends; the run it started must still be ended, not left RUNNING."""
    from training import tracking
    from training.interrupts import Interrupted, signals_as_exceptions

    experiment_id = tracking.configure(f"sqlite:///{tmp_path / 'mlflow.db'}", EXPERIMENT)
    real = mlflow.start_run

    def start_run(**kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # lands while MLflow creates the run
        return real(**kwargs)

    monkeypatch.setattr(mlflow, "start_run", start_run)
    with pytest.raises(Interrupted), signals_as_exceptions():
        with tracking.tracked_run(experiment_id):
            pytest.fail("the body ran although the signal came first")
    (run,) = mlflow.search_runs([experiment_id], output_format="list")
    assert run.info.status == "KILLED"
    assert tracking.last_run is not None and tracking.last_run.status == "KILLED"


def test_a_failed_status_write_is_retried_and_never_masks_the_error(tmp_path, monkeypatch, caplog):
    from mlflow.exceptions import MlflowException
    from mlflow.tracking.client import MlflowClient

    from training import tracking

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    experiment_id = tracking.configure(uri, EXPERIMENT)
    real = MlflowClient.set_terminated
    refusals = {"left": 1}

    def flaky(self, run_id, status=None, end_time=None):
        if refusals["left"]:
            refusals["left"] -= 1
            raise MlflowException("database is locked")
        return real(self, run_id, status, end_time)

    monkeypatch.setattr(MlflowClient, "set_terminated", flaky)
    with pytest.raises(ValueError, match="boom"), tracking.tracked_run(experiment_id) as first:
        raise ValueError("boom")
    assert MlflowClient(uri).get_run(first).info.status == "FAILED"  # written on the retry

    refusals["left"] = 2  # the store refuses both writes: the original error still surfaces
    with pytest.raises(KeyboardInterrupt), tracking.tracked_run(experiment_id) as second:
        raise KeyboardInterrupt
    assert f"MLflow run {second} could not be marked KILLED" in caplog.text
    monkeypatch.undo()
    mlflow.end_run()


# --- Concurrent runs -----------------------------------------------------------


def test_two_runs_at_once_on_one_store_and_model_dir_both_finish(tmp_path, tiny_corpus_path):
    """A new store (both runs race to create its tables and the experiment) and
    one model directory (both race to swap the link)."""
    root = tmp_path / "shared"
    processes = [
        subprocess.Popen(
            [*train_command(root, tiny_corpus_path), "--run-name", name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    errors = [process.communicate(timeout=TIMEOUT)[1] for process in processes]
    for process, stderr in zip(processes, errors, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr
    shared = Store(root, run_id="")
    runs = shared.runs()
    assert sorted(run.info.status for run in runs) == ["FINISHED", "FINISHED"]
    client = mlflow.MlflowClient(shared.uri)
    versions = client.search_model_versions(f"name='{REGISTERED_NAME}'")
    assert sorted(int(v.version) for v in versions) == [1, 2]
    assert {v.run_id for v in versions} == {run.info.run_id for run in runs}
    shared.assert_consistent()
    model = load_model(shared.model_dir)
    assert model.metadata["mlflow"]["run_id"] in {run.info.run_id for run in runs}


# --- A full disk ---------------------------------------------------------------


def big_vocabulary_corpus(source: Path, target: Path, copies: int = 3) -> Path:
    """The tiny corpus three times over, padded with random 12-letter words: its
    model (about 1.4 MB) is bigger than the MLflow database (about 1 MB)."""
    rng = random.Random(0)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    padded = []
    for copy in range(copies):
        for row in rows:
            words = row["text"].split()
            noise = [
                "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
                for _ in range(65 - len(words))
            ]
            padded.append({**row, "id": f"{row['id']}-{copy}", "text": " ".join(words + noise)})
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(padded)
    return target


#: Runs ``python -m training`` with a file-size limit (RLIMIT_FSIZE) and
#: SIGXFSZ ignored: a write past the limit fails with EFBIG, as a full disk fails.
LIMITED = (
    "import resource, runpy, signal, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "sys.argv[0] = 'stance-train'\n"
    "runpy.run_module('training', run_name='__main__')\n"
)


def test_a_run_that_fills_the_disk_fails_cleanly_and_keeps_the_previous_model(
    store, tmp_path, tiny_corpus_path
):
    copy = store.copy(tmp_path / "store")
    data = big_vocabulary_corpus(tiny_corpus_path, tmp_path / "big.csv")
    # Room for the database to grow, not for the new model file.
    limit = (copy.root / "mlflow.db").stat().st_size + 256 * 1024
    previous_target = os.readlink(copy.model_dir)
    command = train_command(copy.root, data)
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *command[3:]],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 1, done.stderr
    line = one_error_line(done.stderr, "stance-train: error: out of disk space")
    assert "File too large" in line and "model.joblib" in line
    assert "the previous model in" in line and "is unchanged" in line
    assert line.endswith(" is FAILED")
    assert os.readlink(copy.model_dir) == previous_target
    assert load_model(copy.model_dir).metadata["mlflow"]["run_id"] == store.run_id
    statuses = sorted(run.info.status for run in copy.runs())
    assert statuses == ["FAILED", "FINISHED"]
    copy.assert_consistent()


def test_disk_full_while_saving_is_one_line_and_a_failed_run(
    store, tmp_path, tiny_corpus_path, monkeypatch, capsys
):
    """In-process: the save step's write fails with ENOSPC halfway through."""
    import joblib

    import training.train

    copy = store.copy(tmp_path / "store")
    real_save, real_dump = training.train.save_model, joblib.dump

    def dump_half_then_fill_the_disk(value, filename, **kwargs):
        real_dump(value, filename, **kwargs)
        path = Path(filename)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    def save_on_a_full_disk(*args, **kwargs):
        monkeypatch.setattr(joblib, "dump", dump_half_then_fill_the_disk)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(training.train, "save_model", save_on_a_full_disk)
    code = main(train_command(copy.root, tiny_corpus_path)[3:])
    assert code == 1
    line = one_error_line(capsys.readouterr().err, "stance-train: error: out of disk space")
    assert "No space left on device" in line and "model.joblib" in line
    assert "is unchanged" in line and line.endswith(" is FAILED")
    assert load_model(copy.model_dir).metadata["mlflow"]["run_id"] == store.run_id
    assert sorted(run.info.status for run in copy.runs()) == ["FAILED", "FINISHED"]
    copy.assert_consistent()
