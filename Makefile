# One-liners over the README commands; `make test` is the README's test command.
.PHONY: run test lint migration bench docs

run:
	python3.11 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/ipcoord serve --demo

# Browser tests drive Debian's chromium: `make test` installs it when missing (apt, as root or through sudo).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

test:
	python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[test]'
	command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	.venv/bin/python -m pytest -n auto

lint:
	.venv/bin/pip install -q -e '.[test,dev]' && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

migration:
	.venv/bin/alembic revision --autogenerate -m "$(m)"

bench:
	.venv/bin/python tests/benchmarks/bench_geotag.py
	.venv/bin/python tests/benchmarks/bench_maps.py
	.venv/bin/python tests/benchmarks/bench_pages.py
	.venv/bin/python tests/benchmarks/bench_reports.py
	.venv/bin/python tests/benchmarks/bench_cases.py
	.venv/bin/python tests/benchmarks/bench_audit.py

docs:
	.venv/bin/python -c "from service.i18n import catalogue_markdown; open('docs/errors.md', 'w').write(catalogue_markdown())"
