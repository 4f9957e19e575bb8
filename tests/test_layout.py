"""test_layout.py — the dependency rule of DESIGN.md §2, checked on every source file:
sim/ (the engine and the methods) includes nothing of ours above it; models/ sees sim/ only;
output/ sees sim/ and models/; sim/cli/ is the only folder that sees models/ and output/
together, and nothing includes sim/cli/ but sim/cli/ itself (and the fuzzers, which drive
the experiment loader as the command does)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish  # noqa: E402

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# folder -> the folders of ours it may include
ALLOWED = {
    "sim": {"sim"},
    "models": {"models", "sim"},
    "output": {"output", "sim", "models"},
    "sim/cli": {"sim/cli", "sim", "models", "output"},
}


def folder_of(path):
    """The layout folder of a normalised source path, or None when it is not one of ours."""
    d = os.path.dirname(path)
    return d if d in ALLOWED else None


sources = 0
for top in ALLOWED:
    for name in sorted(os.listdir(top)):
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(top, name)
        sources += 1
        for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
            target = os.path.normpath(os.path.join(top, inc))
            dest = folder_of(target)
            if dest is None and not os.path.exists(target):
                continue          # a generated header (build/stamp.h) or a system one
            check(dest in ALLOWED[top], "%s includes %s (%s/ may not see %s/)"
                  % (path, inc, top, dest))

check(sources > 40, "the layout test read the tree (%d source files)" % sources)
# the one file that must exist where DESIGN.md puts it
check(os.path.exists("sim/cli/main.c"), "the command line's entry is sim/cli/main.c")
check(not [n for n in os.listdir("sim") if n.startswith("main")],
      "no command left in sim/ (they live in sim/cli/)")
finish("layout")
