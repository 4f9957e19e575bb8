#!/bin/sh
# test_install.sh — `make install PREFIX=...` into a scratch prefix: the binary, the
# scenarios, and a man page generated for that prefix (not the compiled-in one), whose
# paths are never hyphen-broken across lines and which documents no experiment key the
# program refuses; CITATION.cff and LICENSE at the top level. Prints
# "# install: N passed, N failed".
. "$(dirname "$0")/harness.sh"

P="$T/opt/incubsim-prefix"
# -o: the binary under test is taken as built (make must not relink it for this prefix)
if make -s --no-print-directory install PREFIX="$P" BIN="$INCUBSIM" -o "$INCUBSIM" >"$T/out" 2>&1; then
    ok
else
    bad "make install PREFIX=$P: $(head -c 500 "$T/out")"
fi
for f in bin/incubsim share/man/man1/incubsim.1 share/incubsim/scenarios/baseline.cfg \
         share/incubsim/scenarios/experiments/landing_award_sizing.cfg share/incubsim/plot.py \
         share/doc/incubsim/README.md share/incubsim/R/incubsim.R \
         lib/python3/dist-packages/incubsim_read.py; do
    if [ -s "$P/$f" ]; then ok; else bad "make install did not install $f"; fi
done
man1="$P/share/man/man1/incubsim.1"
if grep -q "/usr/local" "$man1"; then bad "the man page still names /usr/local"; else ok; fi

# rendered: every path whole on one line, no line ending in a hyphen it made up
if command -v man >/dev/null 2>&1; then
    LC_ALL=C MANWIDTH=80 man -l "$man1" 2>/dev/null | col -b > "$T/man.txt"
    has "$T/man.txt" "$P/share/incubsim/scenarios/experiments/" "a long path renders unbroken, in the install prefix"
    has "$T/man.txt" "$P/share/incubsim/plot.py" "the man page names the install prefix's plot.py"
    has "$T/man.txt" "$P/share/doc/incubsim/README.md" "the man page names the install prefix's README"
    has "$T/man.txt" "EXPERIMENT FILES" "the page renders"
    # a word broken by hyphenation ends its line in a letter and a hyphen (" - " alone is a minus)
    n=$(grep -c -- '[[:alnum:]]-$' "$T/man.txt")
    if [ "$n" -eq 0 ]; then ok; else bad "$n rendered lines end in a hyphenated break: $(grep -- '[[:alnum:]]-$' "$T/man.txt" | head -3)"; fi
else
    bad "man not found (Debian: man-db)"
fi

# the experiment keys it documents are the ones the program takes
if grep -qw "direction" "$man1"; then bad "the man page documents 'direction', a key size refuses"; else ok; fi
has "$man1" "at_least" "the man page documents at_least"
has "$man1" "at_most" "the man page documents at_most"
cat > "$T/dir.cfg" <<EOF2
name = "d"; scenario = "$(pwd)/scenarios/landing_award.cfg"; replications = 2;
levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; step = 5.0e5; } );
kpis = [ "landing_per_graduated" ];
target = { kpi = "landing_per_graduated"; direction = "at_least"; at_least = 0.7;
           confidence = 0.9; tolerance = 0.01; };
EOF2
expect 2 "size refuses target.direction" -- $INCUBSIM size "$T/dir.cfg" -o "$T/d.h5" -q
has "$T/err" "direction" "the refusal names the key"
expect 0 "--man PREFIX" -- $INCUBSIM --man /srv/x
has "$T/out" "/srv/x/share/incubsim/plot.py" "--man PREFIX names that prefix"
expect 2 "--man with two prefixes" -- $INCUBSIM --man /a /b

# the readers, as installed, load
if PYTHONPATH="$P/lib/python3/dist-packages" "${PY:-/usr/bin/python3}" -c \
       "import incubsim_read; assert callable(incubsim_read.read)" 2>"$T/err"; then ok; else
    bad "the installed incubsim_read does not import: $(cat "$T/err")"; fi
if command -v Rscript >/dev/null 2>&1; then
    if Rscript -e "source('$P/share/incubsim/R/incubsim.R'); stopifnot(is.function(read_incubsim))" \
           >/dev/null 2>"$T/err"; then ok; else bad "the installed incubsim.R: $(cat "$T/err")"; fi
fi

# citation and licence
if [ -s LICENSE ] && grep -q "MIT License" LICENSE; then ok; else bad "no MIT LICENSE at the top level"; fi
if [ -s CITATION.cff ] && grep -q "^cff-version: 1.2.0" CITATION.cff && grep -q "^title:" CITATION.cff \
   && grep -q "^authors:" CITATION.cff; then ok; else bad "CITATION.cff lacks cff-version, title or authors"; fi
v=$(sed -n 's/^VERSION *:= *//p' Makefile)
has CITATION.cff "version: \"$v\"" "CITATION.cff's version is the Makefile's ($v)"
if "${PY:-/usr/bin/python3}" -c "import yaml,sys; d=yaml.safe_load(open('CITATION.cff')); sys.exit(0 if d['license']=='MIT' else 1)" 2>/dev/null; then
    ok
else
    bad "CITATION.cff does not parse as YAML with license MIT"
fi
finish install
