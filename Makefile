# simulate — the two commands of the README, plus the benchmark.
#   make run    install system packages if missing, build (release) and run Scenarios/relu2.json
#   make test   install system packages if missing, set up .build/venv (jsonschema, for the schema
#               test), lint the formatting (swift format, .swift-format), build and run the test suite,
#               check docs/ is current, then re-execute the notebooks in Notebooks-md/ and fail if
#               their outputs would change
#   make format  reformat Sources and Tests with swift format (the configuration is .swift-format)
#   make docs   regenerate docs/scenario.schema.json and docs/scenarios.md from the field declarations
#   make notebooks  re-execute the notebooks and write their outputs and figures
#   make results  run the full-size scenarios the README and notebooks quote into docs/results/ (release;
#               reuses docs/results/.simulate-cache, so after a report-only change it only re-renders)
#   make golden  rewrite Tests/Golden (every bundled scenario at a CI-sized setting) after an intended change
#   make bench  training throughput on six relu2-based workloads side by side with the NumPy and JAX
#               references (Benchmarks/reference.py; float64, and JAX float32), one core, written to
#               BENCHMARKS.md with the references' agreement, the transcendental activations against ReLU,
#               then the optimizers and activations sweeps' wall time with 1 and 2 jobs

SCENARIO ?= Scenarios/relu2.json
APT_PACKAGES := libgsl-dev libopenblas-dev librsvg2-bin python3-venv
VENV := .build/venv
# The notebooks' committed outputs (like the golden files) are computed with OpenBLAS's Haswell kernels,
# which every x86-64 CPU with AVX2 runs: other kernels (SkylakeX on AVX-512 machines) differ in the
# last bits, and a chaotic run (the toy regime's linear control) shows it in a printed digit.
PINNED_BLAS := OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test format docs notebooks results golden bench clean slurm-check

setup:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing $(APT_PACKAGES) (apt-get)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(APT_PACKAGES); \
	fi
	@command -v swift >/dev/null || { echo "error: Swift 6.1 or later is required (https://swift.org/install)"; exit 69; }

# Debian's OpenBLAS 0.3.21 does not know some recent CPUs and falls back to its generic Prescott kernels,
# about 2× slower; on a CPU with AVX2 and FMA its Haswell kernels are the right ones (README, "BLAS").
# A value already in the environment wins.
AVX2_BLAS := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null && echo OPENBLAS_CORETYPE=Haswell)

run: setup
	$(if $(OPENBLAS_CORETYPE),,$(AVX2_BLAS)) swift run -c release simulate $(SCENARIO)

# The independent JSON Schema validator the schema test calls (PyPI: jsonschema).
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check jsonschema

test: setup $(VENV)/bin/python
	swift format lint --strict --recursive Sources Tests Package.swift
	swift build --build-tests
	swift test
	.build/debug/simulate schema --check docs
	$(PINNED_BLAS) .build/debug/simulate notebook --check Notebooks-md/*.md

format:
	swift format --in-place --recursive Sources Tests Package.swift

docs: setup
	swift build
	.build/debug/simulate schema --write docs

notebooks: setup
	swift build
	$(PINNED_BLAS) .build/debug/simulate notebook Notebooks-md/*.md

# The committed full-size results (a test checks that each report still renders from its data).
RESULTS := contamination gla-prior activations optimizers toy-regime bias-transfer cooccurrence-bias robust-finetune wise-concavity distillation
results: setup
	swift build -c release
	for s in $(RESULTS); do $(PINNED_BLAS) .build/release/simulate Scenarios/$$s.json --out docs/results/$$s --quiet || exit 1; done

golden: setup
	swift build --build-tests
	SIMULATE_UPDATE_GOLDEN=1 swift test --filter GoldenFilesTests

# Opt-in (needs root; not part of `make test`): a single-node Slurm, a sharded sweep with a killed task
# and a resubmission, compared byte for byte with a single-machine run.
slurm-check: setup
	bash scripts/slurm-check.sh

# The references' interpreter: NumPy and JAX (CPU) from PyPI, in a virtual environment of their own.
BENCH_VENV := .build/bench-venv
$(BENCH_VENV)/bin/python:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check numpy jax

bench: setup $(BENCH_VENV)/bin/python
	swift build -c release
	$(PINNED_BLAS) taskset -c 0 .build/release/simulate-bench --python $(BENCH_VENV)/bin/python --write BENCHMARKS.md
	table=$$($(PINNED_BLAS) Benchmarks/sweep.sh optimizers activations) && \
		printf '\nSweeps, wall time of the whole invocation (%s cores):\n\n%s\n' "$$(nproc)" "$$table" >> BENCHMARKS.md

clean:
	rm -rf .build results
