# One task runner; CI (.ci/run) runs the README's test command, which is `make test`'s body.
PY := .venv/bin/python

.PHONY: install demo test lint bench eval

install:
	python3 -m venv .venv && .venv/bin/pip install -e '.[test]'

demo:
	$(PY) -m pipelines.demo

test:
	$(PY) -m pytest

lint:
	.venv/bin/ruff check voc pipelines tests bench
	.venv/bin/ruff format --check voc pipelines tests bench

bench:
	$(PY) bench/bench_pipeline.py --items 100000
