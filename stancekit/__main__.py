"""``python -m stancekit``: the same command as ``stancekit``."""

import sys

from stancekit.cli import main

sys.exit(main())
