"""``python -m scoring …`` and the ``ai-navigator`` console script: the CLI with a quiet exit."""

import os
import sys

from scoring.cli import main


def run() -> int:
    """Run the CLI on ``sys.argv``; return its exit code (the console script passes it to ``sys.exit``)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head`: the reader left; stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except KeyboardInterrupt:
        code = 130
    return code


if __name__ == "__main__":
    sys.exit(run())
