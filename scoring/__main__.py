import os
import sys

from scoring.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # `... | head`: the reader left; stop quietly, as Unix tools do
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
except KeyboardInterrupt:
    code = 130
sys.exit(code)
