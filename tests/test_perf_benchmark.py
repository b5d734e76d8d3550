"""benchmarks/perf.py runs end to end and prints every figure (small sizes)."""

from benchmarks import perf
from inference.model import save_model


def test_perf_prints_every_figure(tmp_path, corpus_model, capsys):
    save_model(corpus_model.pipeline, tmp_path / "model", {})
    argv = ["--statements", "200", "--calls", "5", "--model", str(tmp_path / "model")]
    assert perf.main([*argv, "--skip-training"]) == 0
    out = capsys.readouterr().out
    for figure in ("statements/s", "ratio", "p50", "p99", "cold start", "peak RSS", "model size"):
        assert figure in out
    assert "target >= 10000" in out and "training with model selection      skipped" in out


def test_peak_rss_is_the_new_process_own():
    # ru_maxrss would carry over the parent's high-water mark through fork;
    # VmHWM is the child's own, so a bare interpreter reads far below this one.
    bare = perf.run_json(perf._PEAK_RSS + "import json; print(json.dumps({'mb': peak_rss_mb()}))")
    assert 0 < bare["mb"] < 60


def test_verdicts():
    assert perf.verdict("p50_ms", 0.5).endswith("met")
    assert perf.verdict("p50_ms", 1.5).endswith("MISSED")
    assert perf.verdict("batch_per_s", 12_000).endswith("met")
    assert perf.verdict("training_s", None) == ""
