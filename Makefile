# incubsim — build, test, bench, install. `make help` lists the targets.
PREFIX   ?= /usr/local
CC       ?= cc
VERSION  := 0.2.0
GIT      := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
              git diff --quiet HEAD 2>/dev/null || echo -dirty)
PY       := /usr/bin/python3

# The serial HDF5 flavour by name: plain `hdf5` may point at OpenMPI's. The
# MPI build (make MPI=1) writes from rank 0 alone, so it keeps serial HDF5.
PKGS     := gsl libconfig hdf5-serial
MPI_PKGS := openmpi-bin libopenmpi-dev
DEB_PKGS := build-essential pkg-config libgsl-dev libconfig-dev libhdf5-dev hdf5-tools \
            librandom123-dev python3-h5py python3-numpy python3-pandas python3-matplotlib \
            r-cran-hdf5r fonts-noto-cjk
# What each target uses beyond the build, installed by that target (a check whose
# tool is still missing is reported as skipped, never as passed): the man-page
# checks render with man (man-db); `incubsim report`'s page renders in chromium;
# the memory checks read GNU time's peak RSS; make memcheck runs valgrind; make fuzz builds with clang's libFuzzer and
# symbolizes with llvm-symbolizer (package llvm), without which LSan's
# suppressions (tests/lsan.supp, by function name) cannot match; tests/test_slurm.sh
# starts a single-node Slurm (slurmctld, slurmd, the clients, munge) on localhost;
# tests/test_install.sh parses CITATION.cff with python3-yaml.
TEST_PKGS     := man-db time chromium slurmctld slurmd slurm-client munge python3-yaml
MEMCHECK_PKGS := valgrind
FUZZ_PKGS     := clang libclang-rt-14-dev llvm

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# HDF5 is linked from its archive when Debian's libhdf5-dev ships one: the
# shared library loads 30 more (curl, krb5, gnutls) at every start, ~10 ms a
# process. Its own list of extra libraries follows, --as-needed, so only
# those its used objects call are loaded. HDF5_STATIC=0 links the shared one.
# GSL, libconfig and the compressors come from their archives too when all
# are there (Debian's -dev packages ship them): no symbol lookups for them at
# start-up, no calls through the PLT (measured: `--version` 8.6 -> 6.6 ms).
HDF5_LIBDIR = $(patsubst -L%,%,$(shell pkg-config --libs-only-L hdf5-serial 2>/dev/null))
HDF5_STATIC ?= $(if $(wildcard $(HDF5_LIBDIR)/libhdf5.a),1,0)
ARCHIVES    := gsl gslcblas config sz aec z
LIBS_STATIC ?= $(if $(strip $(foreach a,$(ARCHIVES),$(if $(filter /%,$(shell $(CC) \
                 -print-file-name=lib$(a).a 2>/dev/null)),,x))),0,$(HDF5_STATIC))
ifeq ($(HDF5_STATIC),1)
PKG_LIBS   = $(shell pkg-config --libs gsl libconfig 2>/dev/null) $(HDF5_LIBDIR)/libhdf5.a \
             -Wl,--as-needed -lcrypto -lcurl -lsz -lz -ldl -Wl,--no-as-needed
endif
ifeq ($(LIBS_STATIC),1)
PKG_LIBS   = -Wl,-Bstatic -lgsl -lgslcblas -lconfig -Wl,-Bdynamic $(HDF5_LIBDIR)/libhdf5.a \
             -Wl,-Bstatic -lsz -laec -lz -Wl,-Bdynamic -ldl
endif

# OPT is the optimisation/instrumentation knob (make check sets it); CFLAGS and
# LDFLAGS from the command line are added last. LTO is for ./incubsim alone: the
# objects carry both LTO bytecode and machine code (-ffat-lto-objects), so the
# test binaries link the machine code without LTO (a whole-program LTO link per
# test binary was most of make test's build CPU). JOBS: parallel builds and
# TEST_JOBS tests at once in make test.
OPT      ?= -O2 -g
LTO      ?= -flto=auto
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
TEST_JOBS ?= $(JOBS)
# sub-makes build -j$(JOBS), unless make was started with its own -j
PAR       = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))
ifeq ($(MPI),1)
CC       := mpicc
BUILD    ?= build-mpi
CFLAGS   += -DINCUBSIM_MPI
endif
ALL_CFLAGS = $(OPT) $(if $(LTO),$(LTO) -ffat-lto-objects) -std=c11 -pthread -Wall -Wextra -D_GNU_SOURCE -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -DH5_USE_110_API \
            -DINCUBSIM_VERSION='"$(VERSION)"' \
            -DINCUBSIM_SHARE='"$(PREFIX)/share/incubsim"' -DINCUBSIM_PREFIX='"$(PREFIX)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPT) $(LTO) $(LDFLAGS)
LIBS     = $(PKG_LIBS) -lm -pthread

BUILD    ?= build
BIN      ?= incubsim
SIM_SRC   := $(wildcard sim/*.c)
MAIN_SRC  := $(wildcard sim/cli/*.c)
MAIN_OBJ  := $(MAIN_SRC:%.c=$(BUILD)/%.o)
MODEL_SRC := $(wildcard models/*.c)
OUT_SRC   := $(wildcard output/*.c)
LIB_SRC   := $(SIM_SRC) $(MODEL_SRC) $(OUT_SRC)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libincubsim.a
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/tests/bench

.PHONY: all deps run test golden bench check memcheck fuzz install clean help FORCE
all: $(BIN)

help:
	@echo "make            build ./incubsim"
	@echo "make deps       install the missing Debian packages (needs root or sudo); MPI=1: Open MPI too"
	@echo "                (make test, memcheck and fuzz install what they use on top)"
	@echo "make MPI=1      build ./incubsim with Open MPI (mpirun -np K ./incubsim run|sweep|...)"
	@echo "make run        deps + build + run the shipped scenarios, print the comparison, plot"
	@echo "make test       deps + build + every test; ends with 'N passed, N failed'"
	@echo "make golden     rewrite tests/golden/ when a change is meant to move results (say why)"
	@echo "make bench      events/s, ns/event, peak RSS (see README)"
	@echo "make check      the tests under -fsanitize=address,undefined"
	@echo "make memcheck   valgrind on one short run of every command"
	@echo "make fuzz       libFuzzer on the scenario and experiment loaders (FUZZ_SECONDS=60 each)"
	@echo "make install    to PREFIX=$(PREFIX): the binary, man page, scenarios, plot.py, docs"

ifeq ($(MPI),1)
DEB_PKGS += $(MPI_PKGS)
endif

deps:
	@missing=""; for p in $(DEB_PKGS) $(EXTRA_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	  || { echo "make deps: apt-get failed; install by hand:$$missing" >&2; exit 1; }; \
	fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The commit goes into --version and every results file: rewrite the stamp
# whenever it changes, so the two files that print it rebuild.
$(BUILD)/stamp.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define INCUBSIM_GIT "$(GIT)"' > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@
$(BUILD)/sim/cli/main.o $(BUILD)/output/h5out.o: $(BUILD)/stamp.h
$(BUILD)/sim/cli/main.o $(BUILD)/output/h5out.o: ALL_CFLAGS += -include $(BUILD)/stamp.h
FORCE:

# The code-generation flags every object was compiled with: a change (CC, OPT,
# LTO, CFLAGS) rebuilds them, so no stale object (say, a slim LTO one) is
# linked. PREFIX is left out: `make install PREFIX=...` (tests/test_cli.sh) must
# not rebuild the binary other tests are running.
$(BUILD)/flags: FORCE
	$(shell mkdir -p $(BUILD))$(file >$@.new,$(CC) $(OPT) $(LTO) $(CFLAGS))
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@
$(LIB_OBJ) $(MAIN_OBJ): $(BUILD)/flags

# made afresh: a source removed or renamed leaves no stale member behind
$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

# test binaries: no LTO (bench keeps it: it measures what ./incubsim runs)
TEST_LTO = -fno-lto
$(BENCH_BIN): TEST_LTO = $(LTO)
$(BUILD)/tests/%: tests/%.c tests/test.h tests/model_util.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_LTO) -o $@ $< $(LIB) $(OPT) $(TEST_LTO) $(LDFLAGS) $(LIBS)

RUN_OUT ?= results/run.h5
run: deps
	@$(MAKE) --no-print-directory $(PAR) $(BIN)
	@mkdir -p $(dir $(RUN_OUT))
	./$(BIN) run -o $(RUN_OUT) --force
	@$(PY) output/plot.py $(RUN_OUT)
	./$(BIN) report $(RUN_OUT) -o $(dir $(RUN_OUT))report.html --force

# The tests cover the MPI build too (tests/test_mpi.py): it is built beside
# the serial one, as build-mpi/incubsim (build-san-mpi/ under make check).
test: deps
	@$(MAKE) --no-print-directory deps MPI=1 EXTRA_PKGS="$(TEST_PKGS)"
	@$(MAKE) --no-print-directory $(PAR) $(BIN) $(TEST_BIN)
	@$(MAKE) --no-print-directory $(PAR) MPI=1 BUILD=$(BUILD)-mpi BIN=$(BUILD)-mpi/incubsim $(BUILD)-mpi/incubsim
	@INCUBSIM=./$(BIN) INCUBSIM_MPI=$(BUILD)-mpi/incubsim BUILD=$(BUILD) PY=$(PY) TEST_JOBS=$(TEST_JOBS) \
	  sh tests/run.sh $(TEST_BIN)

# tests/golden/: a small fixed-seed run's /runs and /carriers, which
# tests/test_golden.py compares bit for bit; rewritten only on purpose.
golden: $(BIN)
	@GOLDEN_WRITE=1 INCUBSIM=./$(BIN) $(PY) tests/test_golden.py

bench: deps
	@$(MAKE) --no-print-directory deps MPI=1
	@$(MAKE) --no-print-directory $(BIN) $(BENCH_BIN)
	@$(MAKE) --no-print-directory MPI=1 BUILD=build-mpi BIN=build-mpi/incubsim build-mpi/incubsim
	@INCUBSIM=./$(BIN) BUILD=$(BUILD) sh tests/bench.sh

check: deps
	@$(MAKE) --no-print-directory BUILD=build-san BIN=build-san/incubsim LTO= \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  test

# ---- CI extras: valgrind on one short run; libFuzzer on the loaders --------
memcheck: deps
	@$(MAKE) --no-print-directory deps EXTRA_PKGS="$(MEMCHECK_PKGS)"
	@$(MAKE) --no-print-directory $(PAR) $(BIN)
	@sh tests/memcheck.sh ./$(BIN)

FUZZ_SECONDS ?= 60
fuzz: LTO =
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
fuzz: deps
	@$(MAKE) --no-print-directory deps EXTRA_PKGS="$(FUZZ_PKGS)"
	@$(MAKE) --no-print-directory $(PAR) CC=clang BUILD=build-fuzz LTO= OPT="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
	  build-fuzz/libincubsim.a $(filter-out build-fuzz/sim/cli/main.o,$(MAIN_SRC:%.c=build-fuzz/%.o))
	@for t in scenario experiment; do \
	  clang $(FUZZ_FLAGS) -fsanitize=fuzzer $(ALL_CFLAGS) -o build-fuzz/fuzz_$$t tests/fuzz_$$t.c \
	    $(filter-out build-fuzz/sim/cli/main.o,$(MAIN_SRC:%.c=build-fuzz/%.o)) build-fuzz/libincubsim.a \
	    $(LIBS) || exit 1; \
	done
	@sh tests/fuzz.sh $(FUZZ_SECONDS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/incubsim/scenarios/experiments
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/incubsim
	install -m 644 scenarios/*.cfg $(DESTDIR)$(PREFIX)/share/incubsim/scenarios/
	install -m 644 scenarios/experiments/*.cfg $(DESTDIR)$(PREFIX)/share/incubsim/scenarios/experiments/
	install -d $(DESTDIR)$(PREFIX)/share/incubsim/scenarios/seeds
	install -m 644 scenarios/seeds/*.cfg $(DESTDIR)$(PREFIX)/share/incubsim/scenarios/seeds/
	install -d $(DESTDIR)$(PREFIX)/share/incubsim/cluster
	install -m 755 scenarios/cluster/* $(DESTDIR)$(PREFIX)/share/incubsim/cluster/
	install -m 644 output/plot.py $(DESTDIR)$(PREFIX)/share/incubsim/
	install -d $(DESTDIR)$(PREFIX)/share/incubsim/R $(DESTDIR)$(PREFIX)/lib/python3/dist-packages
	install -m 644 output/incubsim.R $(DESTDIR)$(PREFIX)/share/incubsim/R/
	install -m 644 output/incubsim_read.py $(DESTDIR)$(PREFIX)/lib/python3/dist-packages/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/incubsim
	./$(BIN) --man $(PREFIX) > $(DESTDIR)$(PREFIX)/share/man/man1/incubsim.1
	install -m 644 README.md output/SCHEMA.md $(DESTDIR)$(PREFIX)/share/doc/incubsim/

clean:
	rm -rf build build-san build-mpi build-san-mpi build-fuzz incubsim results

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
