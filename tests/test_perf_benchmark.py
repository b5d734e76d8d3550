"""benchmarks/perf.py runs end to end and prints every figure (small sizes)."""

from benchmarks import perf
from inference.model import save_model


def test_perf_prints_every_figure(tmp_path, corpus_model, capsys):
    save_model(corpus_model.pipeline, tmp_path / "model", {})
    assert (
        perf.main(["--statements", "200", "--calls", "5", "--model", str(tmp_path / "model")]) == 0
    )
    out = capsys.readouterr().out
    for figure in ("statements/s", "ratio", "p50", "p99", "cold start", "peak RSS", "model size"):
        assert figure in out
