"""``python -m scoring …``: the program's entry point, which runs the command line (:mod:`cli`).

Not part of the library: ``import scoring`` never loads this file, and nothing imports it. That
is why it alone in ``scoring`` may import a package above the core (``tests/test_architecture.py``
exempts exactly this file, for exactly ``cli``). The ``ai-navigator`` console script runs the
same :func:`cli.run`.
"""

import sys

from cli import run

if __name__ == "__main__":
    sys.exit(run(prog="python -m scoring"))
