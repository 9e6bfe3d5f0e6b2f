"""Exit codes of `python -m service`, shared by its commands (analyze adds its own, documented in its help)."""

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
