"""harness.py — what the Python tests share: the binary under test, a check that
counts, a skip that counts (a check that cannot run here is skipped, never passed),
a scratch folder removed at exit, a way to run the binary, and the result line
tests/run.sh totals.
Use: `from harness import INCUBSIM, check, skip, tmpdir, run, finish` (with tests/ on sys.path)."""
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile

INCUBSIM = os.environ.get("INCUBSIM", "./incubsim")
PY = os.environ.get("PY", "/usr/bin/python3")
_count = {"passed": 0, "failed": 0, "skipped": 0}
_dirs = []


def _cleanup():
    for d in _dirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup)
# a test stopped by SIGTERM/SIGHUP still removes its folders (atexit runs on SystemExit)
for _sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(_sig, lambda signum, frame: sys.exit(128 + signum))


def tmpdir():
    """A new scratch folder, removed when the test exits (passed, failed or stopped)."""
    d = tempfile.mkdtemp(prefix="is-")   # as short as Python's own: paths are printed
    _dirs.append(d)
    return d


def check(cond, what):
    """Counts a check; prints FAIL and what was wrong when cond is false."""
    if cond:
        _count["passed"] += 1
    else:
        _count["failed"] += 1
        print("FAIL", what)


def skip(why, n=1):
    """Counts n checks that cannot run here (a missing tool), and says why."""
    _count["skipped"] += n
    print("SKIP", why)


def run(*args, **kw):
    """The binary under test with these arguments; output captured as text."""
    return subprocess.run([INCUBSIM, *args], capture_output=True, text=True, **kw)


def finish(name):
    """Prints '# NAME: N passed, N failed' (', N skipped' when any were) and exits
    non-zero when anything failed."""
    line = "# %s: %d passed, %d failed" % (name, _count["passed"], _count["failed"])
    if _count["skipped"]:
        line += ", %d skipped" % _count["skipped"]
    print(line, flush=True)
    sys.exit(1 if _count["failed"] else 0)
