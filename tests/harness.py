"""harness.py — what the Python tests share: the binary under test, a check that
counts, a way to run the binary, and the result line tests/run.sh totals.
Use: `from harness import INCUBSIM, check, run, finish` (with tests/ on sys.path)."""
import os
import subprocess
import sys

INCUBSIM = os.environ.get("INCUBSIM", "./incubsim")
PY = os.environ.get("PY", "/usr/bin/python3")
_count = {"passed": 0, "failed": 0}


def check(cond, what):
    """Counts a check; prints FAIL and what was wrong when cond is false."""
    if cond:
        _count["passed"] += 1
    else:
        _count["failed"] += 1
        print("FAIL", what)


def run(*args, **kw):
    """The binary under test with these arguments; output captured as text."""
    return subprocess.run([INCUBSIM, *args], capture_output=True, text=True, **kw)


def finish(name):
    """Prints '# NAME: N passed, N failed' and exits non-zero when anything failed."""
    print("# %s: %d passed, %d failed" % (name, _count["passed"], _count["failed"]))
    sys.exit(1 if _count["failed"] else 0)
