# One-liners over the README commands.
.PHONY: run test lint migration bench docs

run:
	python3.11 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/ipcoord serve --demo

test:
	python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

lint:
	.venv/bin/pip install -q -e '.[test,dev]' && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

migration:
	.venv/bin/alembic revision --autogenerate -m "$(m)"

bench:
	.venv/bin/python tests/benchmarks/bench_geotag.py

docs:
	.venv/bin/python -c "from service.i18n import catalogue_markdown; open('docs/errors.md', 'w').write(catalogue_markdown())"
