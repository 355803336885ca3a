# Common commands. `make test` is what CI runs (through .ci/run).
.PHONY: install test unit parity notebooks run-notebooks readme-figures lint format bench lab

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

run-notebooks:   ## re-execute every notebook in place (then commit the outputs)
	python scripts/execute_notebooks.py

readme-figures:  ## copy the README's pictures out of the executed notebooks
	python scripts/readme_figures.py

lint:
	ruff check teachkeras tests benchmarks scripts && ruff format --check teachkeras tests benchmarks scripts

format:
	ruff format teachkeras tests benchmarks scripts && ruff check --fix teachkeras tests benchmarks scripts

bench:           ## speed against Keras 3 and NumPy's own GEMM
	python benchmarks/run.py
	python benchmarks/rnn.py

lab:
	jupyter lab notebooks/
