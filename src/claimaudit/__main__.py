"""``python -m claimaudit``."""

import sys

from claimaudit.cli import main

sys.exit(main())
