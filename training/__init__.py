"""stancewatch training: corpus validation, model selection, evaluation and MLflow tracking.

Depends on :mod:`inference`, never the reverse.
"""
