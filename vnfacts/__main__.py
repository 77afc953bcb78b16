"""``python -m vnfacts``: the same as the `vnfacts` command."""
import sys

from vnfacts.cli import main

sys.exit(main())
