"""`python -m service`: the command line (service/cli)."""

import sys

from service.cli import main

sys.exit(main())
