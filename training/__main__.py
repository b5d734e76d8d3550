"""``python -m training`` runs ``stance-train``."""

import sys

from training.cli import main

sys.exit(main())
