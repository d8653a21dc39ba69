"""``python -m openness``."""

import sys

from openness.cli.main import main

sys.exit(main())
