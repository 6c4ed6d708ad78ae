"""``python -m accounts`` — see :mod:`accounts.cli`."""

import sys

from accounts.cli import main

sys.exit(main())
