# Common commands. `make test` is what CI runs (through .ci/run).
.PHONY: install test unit parity notebooks lint format bench lab

install:
	python -m pip install -e ".[test,parity,notebooks]"

test:            ## every test: unit, gradient checks, parity with Keras 3, notebooks (nbval)
	python -m pytest

unit:            ## fast tests only
	python -m pytest tests -m "not parity" -q

parity:          ## differential tests against real Keras 3
	python -m pytest tests/parity -q

notebooks:       ## re-run the notebooks and compare their saved outputs
	python -m pytest notebooks -q

lint:
	ruff check teachkeras tests benchmarks && ruff format --check teachkeras tests benchmarks

format:
	ruff format teachkeras tests benchmarks && ruff check --fix teachkeras tests benchmarks

bench:           ## speed against Keras 3 and NumPy's own GEMM
	python benchmarks/run.py

lab:
	jupyter lab notebooks/
