"""test_parts.py — parts (output/h5parts.c): committed work is never lost and a wrong
part is never joined. A run of many scenarios in many parts completes and is the same
bits as one process; an unreadable part is named and kept; a failed join leaves the
parts folder byte for byte as it was; merge checks every attribute's shape and every
table's columns and rows.
Run with Debian's interpreter: /usr/bin/python3 tests/test_parts.py"""
import hashlib
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h5same  # noqa: E402
from harness import check, finish, run, tmpdir  # noqa: E402

tmp = tmpdir()
ROOT = os.getcwd()


def same(a, b, what):
    d = h5same.same(a, b)
    check(not d, "%s: %s" % (what, d))


def folder_state(d):
    """Every file of a folder with the SHA-256 of its bytes."""
    if not os.path.isdir(d):
        return None
    out = {}
    for n in sorted(os.listdir(d)):
        with open(os.path.join(d, n), "rb") as f:
            out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


# ---- many scenarios, many parts: the run identity has no fixed size ------------------------
NS = 30
scen = []
for i in range(NS):
    p = os.path.join(tmp, "v%02d.cfg" % i)
    with open(p, "w") as f:
        f.write('@include "%s/scenarios/baseline.cfg"\nname = "a_rather_long_variant_name_%02d";\n'
                % (ROOT, i))
    scen.append(p)
common = ["-r", "2", "-q", "--set", "horizon=5", "--set", "warmup=0"]
one = os.path.join(tmp, "one.h5")
r = run("run", *scen, *common, "-o", one)
check(r.returncode == 0, "%d scenarios in one part: %s" % (NS, r.stderr.strip()))
many = os.path.join(tmp, "many.h5")
r = run("run", *scen, *common, "--checkpoint", "0", "-o", many)
check(r.returncode == 0, "%d scenarios, one part a task: %s" % (NS, r.stderr.strip()))
check(not os.path.exists(many + ".parts"), "the parts are removed once joined")
if r.returncode == 0:
    same(one, many, "%d scenarios: one part vs %d parts" % (NS, 2 * NS))
    with h5py.File(many, "r") as f:
        check(len(f.attrs["run_sha256"]) == 64, "the file carries its run identity")
shards = []
for i in range(3):
    out = os.path.join(tmp, "shard%d.h5" % i)
    r = run("run", *scen, *common, "--checkpoint", "0", "--shard", "%d/3" % i, "-o", out)
    check(r.returncode == 0, "%d scenarios, shard %d/3 in parts: %s" % (NS, i, r.stderr.strip()))
    shards.append(out)
merged = os.path.join(tmp, "merged.h5")
r = run("merge", "-o", merged, *shards[::-1])
check(r.returncode == 0, "%d scenarios: three shards merged: %s" % (NS, r.stderr.strip()))
if r.returncode == 0:
    same(one, merged, "%d scenarios: shards merged vs one process" % NS)

# a parts folder left by a run whose join could not start (a folder in the way of
# OUT.h5.part): the message is true, the parts are as they were, --resume completes
blocked = os.path.join(tmp, "blocked.h5")
os.mkdir(blocked + ".part")
r = run("run", *scen, *common, "--checkpoint", "0", "-o", blocked)
parts_dir = blocked + ".parts"
check(r.returncode == 1 and "kept in" in r.stderr and "--resume" in r.stderr,
      "a failed join says the parts are kept: %s" % r.stderr.strip())
state = folder_state(parts_dir)
check(state is not None and len(state) == 2 * NS + 1,
      "every part kept after a failed join: %s" % (len(state) if state else state))
check(os.path.isdir(blocked + ".part") and not os.path.exists(blocked), "nothing published")
r = run("run", *scen, *common, "--checkpoint", "0", "-o", blocked, "--resume")
check(r.returncode == 1 and folder_state(parts_dir) == state,
      "a failed join, again through --resume: the parts folder is byte for byte as it was")
os.rmdir(blocked + ".part")

# a damaged later part: its /timeseries chunk made garbage, so the join fails halfway
names = sorted(n for n in state) if state else []
victim = os.path.join(parts_dir, names[len(names) // 2]) if names else None
if victim:
    keep = victim + ".orig"
    shutil.copy(victim, keep)
    with h5py.File(victim, "r") as f:
        info = f["timeseries"].id.get_chunk_info(0)
    with open(victim, "r+b") as f:
        f.seek(info.byte_offset)
        f.write(b"\xff" * info.size)
    state = folder_state(parts_dir)
    r = run("run", *scen, *common, "--checkpoint", "0", "-o", blocked, "--resume")
    check(r.returncode == 1 and folder_state(parts_dir) == state,
          "a damaged later part: exit %d, the parts folder as it was (%s)"
          % (r.returncode, r.stderr.strip()[-200:]))
    check("kept in" in r.stderr and not os.path.exists(blocked)
          and not os.path.exists(blocked + ".part"), "said so, nothing else left")
    if os.path.exists(keep):
        os.replace(keep, victim)
r = run("run", *scen, *common, "--checkpoint", "0", "-o", blocked, "--resume")
check(r.returncode == 0, "then --resume completes: %s" % r.stderr.strip())
if r.returncode == 0:
    same(one, blocked, "completed by --resume after two failed joins")


# ---- an unreadable complete part is named and kept ---------------------------------------
def leave_parts(out):
    """A parts folder of a run that did not finish: every part committed, no join."""
    os.mkdir(out + ".part")
    run("run", *scen[:3], *common, "--checkpoint", "0", "-o", out)
    os.rmdir(out + ".part")
    return out + ".parts"


def damage_attr(path, name, value):
    with h5py.File(path, "r+") as f:
        del f.attrs[name]
        f.attrs[name] = value


kept = os.path.join(tmp, "kept.h5")
d = leave_parts(kept)
first = sorted(os.listdir(d))
check(len(first) == 7, "a parts folder of 6 tasks (and the empty last): %s" % first)
bad_cases = [
    ("task_end", np.arange(1000, dtype=np.float64), "task_end holds 1000 values"),
    ("master_seed", "seven", "master_seed is not a number"),
    ("run_sha256", np.array([b"x" * 64] * 50), "run_sha256 holds 50 values"),
]
for attr, value, words in bad_cases:
    victim = os.path.join(d, first[2])
    keep = victim + ".orig"
    shutil.copy(victim, keep)
    damage_attr(victim, attr, value)
    before = folder_state(d)
    r = run("run", *scen[:3], *common, "--checkpoint", "0", "-o", kept, "--resume")
    check(r.returncode == 2 and first[2] in r.stderr and words in r.stderr,
          "--resume names the part and the attribute (%s): %s" % (attr, r.stderr.strip()))
    check(folder_state(d) == before, "--resume kept the unreadable part (%s)" % attr)
    if os.path.exists(keep):
        os.replace(keep, victim)
with open(os.path.join(d, first[1]), "r+b") as f:
    f.truncate(100)
before = folder_state(d)
r = run("run", *scen[:3], *common, "--checkpoint", "0", "-o", kept, "--resume")
check(r.returncode == 2 and first[1] in r.stderr and folder_state(d) == before,
      "a part cut to 100 bytes is named and kept: %s" % r.stderr.strip())

# ---- merge checks a part's attributes and tables -------------------------------------------
small = ["tests/validation/jackson.cfg", "-r", "4", "-q", "--set", "horizon=40"]
ref = os.path.join(tmp, "ref.h5")
run("run", *small, "-o", ref)
sh = []
for i in range(2):
    out = os.path.join(tmp, "s%d.h5" % i)
    r = run("run", *small, "--shard", "%d/2" % i, "-o", out, "--records")
    check(r.returncode == 0, "shard %d/2: %s" % (i, r.stderr.strip()))
    sh.append(out)


def merge_damaged(what, damage, words):
    victim = os.path.join(tmp, "damaged.h5")
    shutil.copy(sh[1], victim)
    with h5py.File(victim, "r+") as f:
        damage(f)
    r = run("merge", "-o", os.path.join(tmp, "m.h5"), "--force", sh[0], victim)
    check(r.returncode == 2 and "damaged.h5" in r.stderr and words in r.stderr,
          "merge refuses %s, naming it (%s): %s" % (what, words, r.stderr.strip()))
    check(not os.path.exists(os.path.join(tmp, "m.h5.part")), "%s: nothing half-written" % what)


def set_attr(name, value):
    def f(h):
        del h.attrs[name]
        h.attrs[name] = value
    return f


for name in ("master_seed", "task_first", "task_end", "task_total", "replications", "records"):
    merge_damaged("a part whose %s is an array" % name,
                  set_attr(name, np.arange(100000, dtype=np.float64)), "%s holds 100000" % name)
for name in ("command", "scenario_sha256", "shard", "summary_baseline", "incubsim_version"):
    merge_damaged("a part whose %s is an array of strings" % name,
                  set_attr(name, np.array([b"y" * 3000] * 2000)), "%s holds 2000" % name)
merge_damaged("a part whose seed is a string", set_attr("master_seed", "1"),
              "master_seed is not a number")
merge_damaged("a part whose seed is negative", set_attr("master_seed", -1.0),
              "master_seed is -1")


def drop_column(table, column):
    def f(h):
        old = h[table][:]
        attrs = dict(h[table].attrs)
        names = [n for n in old.dtype.names if n != column]
        new = np.empty(len(old), dtype=[(n, old.dtype[n]) for n in names])
        for n in names:
            new[n] = old[n]
        del h[table]
        h.create_dataset(table, data=new, maxshape=(None,), chunks=True)
        for k, v in attrs.items():
            h[table].attrs[k] = v
    return f


for table, column in (("runs", "landing_rate"), ("carriers", "served"),
                      ("timeseries", "t"), ("projects", "outcome")):
    merge_damaged("/%s without %s" % (table, column), drop_column(table, column),
                  "/%s has no column %s" % (table, column))


def cut(table, by):
    def f(h):
        h[table].resize((h[table].shape[0] - by,))
    return f


for table in ("runs", "carriers", "timeseries", "projects"):
    merge_damaged("/%s cut short" % table, cut(table, 1), "table /%s holds" % table)
merge_damaged("a part without /carriers", lambda h: h.__delitem__("carriers"),
              "table /carriers is missing")
r = run("merge", "-o", os.path.join(tmp, "m.h5"), "--force", *sh)
check(r.returncode == 0, "the undamaged shards merge: %s" % r.stderr.strip())

# ---- one writer per output -------------------------------------------------------------------
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from harness import INCUBSIM  # noqa: E402

busy = os.path.join(tmp, "busy.h5")
long_run = [INCUBSIM, "run", "tests/validation/jackson.cfg", "-r", "1", "-q", "-o", busy, "--force",
            "--set", "horizon=1e6", "--set", "warmup=0", "--set", "timeseries_step=1e4"]
short = ["tests/validation/jackson.cfg", "-r", "1", "-q", "-o", busy, "--set", "horizon=40"]
for how in ("SIGKILL", "SIGTERM"):
    first = subprocess.Popen(long_run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        if os.path.exists(busy + ".lock") and os.path.isdir(busy + ".parts"):
            break
        time.sleep(0.01)
    for extra in ([], ["--resume"], ["--force"], ["--force", "--resume"]):
        r = run("run", *short, *extra)
        check(r.returncode == 2 and ("is being written by pid %d" % first.pid) in r.stderr
              and "--resume" not in r.stderr and "--force" not in r.stderr,
              "a second writer of the same -o (%s) is refused, naming the first's pid, not "
              "advising --resume or --force: %s" % (" ".join(extra), r.stderr.strip()))
    r = run("merge", "-o", busy, "--force", *sh)
    check(r.returncode == 2 and "is being written by pid" in r.stderr,
          "merge into an output being written is refused: %d %s %s" % (r.returncode, r.stdout, r.stderr.strip()))
    check(first.poll() is None, "the first writer goes on")
    first.send_signal(getattr(signal, how))
    first.wait()
    # a writer killed holds nothing: its stale lock file does not block the next
    r = run("run", *short, "--force")
    check(r.returncode == 0, "after %s, the next writer is not blocked: %s" % (how, r.stderr.strip()))
    check(not os.path.exists(busy + ".lock"), "the lock file is removed when the writer is done")

# ---- -o a symbolic link: refused before any work -------------------------------------------------
link = os.path.join(tmp, "link.h5")
os.symlink(os.path.join(tmp, "nowhere.h5"), link)
slow = ["tests/validation/jackson.cfg", "-r", "1", "-q", "--set", "horizon=1e6", "--set",
        "warmup=0", "--set", "timeseries_step=1e4"]
for cmd, extra in (("run", slow), ("run", slow + ["--force"]),
                   ("sweep", ["scenarios/experiments/fund_size_sweep.cfg", "-q"]),
                   ("merge", sh)):
    t0 = time.time()
    r = run(cmd, *extra, "-o", link)
    check(r.returncode == 2 and "symbolic link" in r.stderr and time.time() - t0 < 10
          and sorted(os.listdir(tmp)).count("link.h5.parts") == 0
          and not os.path.exists(link + ".lock"),
          "%s -o a dangling symlink %s: refused at once: %s" % (cmd, " ".join(extra[-1:]),
                                                               r.stderr.strip()))
target = os.path.join(tmp, "target.h5")
shutil.copy(ref, target)
os.unlink(link)
os.symlink(target, link)
def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


before = sha(target)
r = run("run", *slow, "-o", link, "--force")
check(r.returncode == 2 and "symbolic link" in r.stderr and sha(target) == before,
      "-o a symlink with --force: refused, its target untouched: %s" % r.stderr.strip())


# ---- after SIGTERM, every command's advice is true ---------------------------------------------------
def interrupted(cmd, args, out, parts=3):
    """Starts a command that commits parts as it goes, SIGTERMs it once `parts` exist (size
    keeps one part open for its whole search: it is stopped a moment after that one)."""
    p = subprocess.Popen([INCUBSIM, cmd, *args, "-q", "--checkpoint", "0", "-o", out, "--force"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(3000):
        d = out + ".parts"
        ends = (".h5",) if parts >= 3 else (".h5", ".h5.part")   # size's one part is still open
        if os.path.isdir(d) and len([n for n in os.listdir(d) if n.endswith(ends)]) >= parts:
            break
        if p.poll() is not None:
            break
        time.sleep(0.01)
    if parts < 3:
        time.sleep(0.2)
    p.send_signal(signal.SIGTERM)
    return p.communicate()[1], p.wait()


cases = [
    ("run", ["scenarios/baseline.cfg", "-r", "40", "--set", "horizon=10"]),
    ("run", ["scenarios/baseline.cfg", "-r", "10", "--set", "horizon=10", "--precision",
             "landing_rate=0.00001", "--max-reps", "100000"]),
    ("sweep", ["scenarios/experiments/fund_size_sweep.cfg", "-r", "2", "--set", "horizon=10"]),
    ("size", ["scenarios/experiments/landing_award_sizing.cfg", "-r", "400", "--set", "horizon=40"]),
    ("sensitivity", ["scenarios/experiments/sensitivity.cfg", "-r", "1", "--set", "horizon=6"]),
]
for cmd, args in cases:
    out = os.path.join(tmp, "int_%s.h5" % cmd)
    err, rc = interrupted(cmd, args, out, 1 if cmd == "size" else 3)
    what = "%s %s" % (cmd, " ".join(args[-2:]))
    check(rc == 1 and "interrupted" in err, "%s: SIGTERM, exit 1, said so: %d %s" % (what, rc, err))
    if "--resume" in err:
        r = run(cmd, *args, "-q", "--checkpoint", "0", "-o", out, "--resume")
        check(r.returncode == 0, "%s: advised --resume, and --resume completes it: %s"
              % (what, r.stderr.strip()[-300:]))
    else:
        check(not os.path.exists(out + ".parts"), "%s: no --resume advised, no parts left" % what)
        check("run the same command again" in err, "%s: says what to do: %s" % (what, err))

# ---- a full disk during the join: a clean error, exit 1, the parts as they were ----------------
def tmpfs(path, kib):
    os.makedirs(path, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % kib, "tmpfs", path],
                          capture_output=True).returncode == 0


full = os.path.join(tmp, "full")
two = ["scenarios/baseline.cfg", "scenarios/capital_first.cfg", "-r", "20", "-q", "--set",
       "horizon=10", "--checkpoint", "0"]
saved = os.path.join(tmp, "saved.h5")
os.mkdir(saved + ".part")
run("run", *two, "-o", saved)
os.rmdir(saved + ".part")
want = folder_state(saved + ".parts")
# tmpfs counts whole 4 KiB pages
used = sum(-(-os.path.getsize(os.path.join(saved + ".parts", n)) // 4096) * 4 for n in want) + 16
if os.geteuid() != 0 or not tmpfs(full, 64):
    print("    skipped: a full disk (needs root to mount a small tmpfs)")
else:
    subprocess.run(["umount", full])
    outcomes = []
    for extra in list(range(40, 200, 8)) + [4000]:
        tmpfs(full, used + extra)
        shutil.copytree(saved + ".parts", os.path.join(full, "a.h5.parts"))
        out = os.path.join(full, "a.h5")
        r = run("run", *two, "-o", out, "--resume")
        outcomes.append(r.returncode)
        if r.returncode == 0:
            check(not os.path.exists(out + ".parts"), "joined on a tmpfs with %d KiB free" % extra)
        else:
            check(r.returncode == 1 and "no space left on device" in r.stderr
                  and "kept in" in r.stderr,
                  "a full disk during the join (%d KiB free): exit 1, said so: exit %d, %s"
                  % (extra, r.returncode, r.stderr.strip()[-300:]))
            check(folder_state(out + ".parts") == want and not os.path.exists(out)
                  and not os.path.exists(out + ".part"),
                  "a full disk during the join (%d KiB free): the parts as they were, nothing "
                  "else left: %s" % (extra, sorted(os.listdir(full))))
        subprocess.run(["umount", full])
    print("    a full disk during the join: exits %s" % outcomes)
    check(0 in outcomes and 1 in outcomes, "both a full disk and enough room were tried")

shutil.rmtree(tmp, ignore_errors=True)
finish("parts")
