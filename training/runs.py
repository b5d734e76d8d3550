"""List the best training runs of an experiment from the command line."""

from __future__ import annotations

from typing import Any

from training import tracking
from training.registry import REGISTERED_NAME, current_champion


def best_runs(
    tracking_uri: str,
    experiment: str,
    metric: str = "test_macro_f1",
    top: int = 10,
    registered_name: str = REGISTERED_NAME,
) -> list[dict[str, Any]]:
    """Finished runs ordered by ``metric`` (highest first), as plain rows."""
    import mlflow

    mlflow.set_tracking_uri(tracking_uri)
    found = mlflow.get_experiment_by_name(experiment)
    if found is None:
        raise ValueError(f"{tracking_uri}: no experiment named {experiment!r}; run stance-train")
    runs = mlflow.MlflowClient().search_runs(
        [found.experiment_id],
        filter_string="attributes.status = 'FINISHED'",
        order_by=[f"metrics.`{metric}` DESC", "attributes.start_time DESC"],
        max_results=top,
    )
    champion = current_champion(registered_name)
    return [
        {
            "run_id": run.info.run_id,
            "started": tracking.format_time(run.info.start_time),
            "run_name": run.info.run_name or "",
            metric: run.data.metrics.get(metric),
            "dev_macro_f1": run.data.metrics.get("dev_macro_f1"),
            "test_ece": run.data.metrics.get("test_ece"),
            "version": run.data.tags.get("registered_version", ""),
            "champion": bool(champion)
            and run.data.tags.get("registered_version") == champion
            and run.data.tags.get("registered_model") == registered_name,
            "commit": run.data.tags.get("git_commit", "")[:8]
            + ("*" if run.data.tags.get("git_dirty") == "true" else ""),
        }
        for run in runs
    ]


def format_runs(rows: list[dict[str, Any]], metric: str) -> str:
    def number(value: Any) -> str:
        return f"{value:.4f}" if isinstance(value, float) else "-"

    lines = [
        f"{'run id':<32}  {'started':<16}  {metric:>13}  {'dev F1':>7}  {'ECE':>6}  "
        f"{'version':>7}  {'commit':<9}  run name"
    ]
    for row in rows:
        version = row["version"] + (" ★" if row["champion"] else "")
        lines.append(
            f"{row['run_id']:<32}  {row['started']:<16}  {number(row[metric]):>13}  "
            f"{number(row['dev_macro_f1']):>7}  {number(row['test_ece']):>6}  "
            f"{version:>7}  {row['commit']:<9}  {row['run_name']}"
        )
    if not rows:
        lines.append("(no finished runs)")
    return "\n".join(lines)
