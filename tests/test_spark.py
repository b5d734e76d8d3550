"""Scoring a Spark DataFrame with the registered champion, on pyspark ``local[2]``.

Marked ``spark``: it needs the spark extra and Java. Without them it is
skipped locally, but fails under CI, which must run it.
"""

import csv
import importlib.util
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from inference import ModelNotFoundError, load_model, predict
from inference.spark import OUTPUT_COLUMNS, SparkMissingError, score_spark

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.3 warns that it does not fully support pandas 3; the scores are checked here.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def spark_missing() -> str:
    """Why Spark cannot run here, or "" when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return (
            "pyspark is not installed (the spark extra): "
            "pip install -e '.[spark]' or make test EXTRAS=mlflow,spark,dev"
        )
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        return "no java on PATH (Debian: apt-get install default-jre-headless)"
    return ""


def start_session():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("stancewatch-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        # Several Arrow batches per partition, so batching cannot hide a reordering.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "8")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


@pytest.fixture(scope="module")
def spark_starting():
    """A ``local[2]`` SparkSession starting in the background: the JVM takes about
    5 s, which overlaps the training of the ``tiny_champion`` fixture."""
    reason = spark_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Spark test: {reason}")
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(max_workers=1) as pool:
        # Executors run the test's own Python (stancewatch, mlflow, sklearn installed).
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        starting = pool.submit(start_session)
        try:
            yield starting
        finally:
            if starting.exception() is None:
                starting.result().stop()


@pytest.fixture(scope="module")
def spark(spark_starting):
    return spark_starting.result()


@pytest.fixture(scope="module")
def statements(tiny_corpus_path):
    """22 (id, text) pairs from the tiny corpus, all three labels."""
    with tiny_corpus_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(row["id"], row["text"]) for row in rows[::3]]


def test_spark_scores_equal_predict_and_keep_rows(spark_starting, tiny_champion, spark, statements):
    rows = [(i, key, text) for i, (key, text) in enumerate(statements)]
    rows.insert(5, (len(rows), "null-text", None))
    # One partition: a second one costs a second Python worker loading mlflow, scikit-learn
    # and the model (about 5 s more here); its rows still go to the UDF in 3 Arrow batches.
    frame = spark.createDataFrame(rows, "n int, id string, text string").coalesce(1)

    scored = score_spark(frame, tracking_uri=tiny_champion.tracking_uri)
    assert scored.columns == ["n", "id", "text", *OUTPUT_COLUMNS]
    assert scored.schema["label"].dataType.simpleString() == "string"
    assert scored.schema["p_denial"].dataType.simpleString() == "double"
    result = scored.collect()

    assert [(row.n, row.id, row.text) for row in result] == rows
    null_row = result[5]
    assert all(null_row[name] is None for name in OUTPUT_COLUMNS)
    scored_rows = [row for row in result if row.text is not None]
    expected = predict([text for _, text in statements], load_model(tiny_champion.model_dir))
    assert {p.label for p in expected} == {"accusation", "denial", "neutral"}
    for row, prediction in zip(scored_rows, expected, strict=True):
        assert row.label == prediction.label, row.id
        for label, probability in prediction.probabilities.items():
            assert row[f"p_{label}"] == pytest.approx(probability, abs=1e-6), (row.id, label)


def test_spark_input_errors_name_the_columns(spark, tiny_champion):
    frame = spark.createDataFrame([("a", "Talks resumed.", 3)], "id string, body string, n int")
    with pytest.raises(ValueError, match=r"no column 'text' to score.*\['id', 'body', 'n'\]"):
        score_spark(frame)
    with pytest.raises(ValueError, match="column 'n' must hold strings, it is int"):
        score_spark(frame, text_column="n")
    labelled = frame.withColumnRenamed("id", "label")
    with pytest.raises(ValueError, match=r"already has output column\(s\) \['label'\].*prefix="):
        score_spark(labelled, text_column="body")
    with pytest.raises(ModelNotFoundError, match="models:/stancewatch@nobody"):
        score_spark(
            frame, "models:/stancewatch@nobody", "body", tracking_uri=tiny_champion.tracking_uri
        )


def test_missing_spark_extra_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql.functions", None)
    with pytest.raises(SparkMissingError, match=r"pyspark.*pip install 'stancewatch\[spark\]'"):
        score_spark(object())
