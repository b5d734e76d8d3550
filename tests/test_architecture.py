"""The dependency direction: training depends on inference, never the reverse."""

import subprocess
import sys


def test_inference_never_imports_mlflow_or_training():
    code = (
        "import sys, inference, inference.cli; "
        "inference.predict; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('mlflow', 'training')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
