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

# Every bench (summary.py --list: each tests/benchmarks/bench_*.py with a __main__), from a fresh clone too (the
# venv and chromium, as `make test` gets them); a failed one does not stop the others; then one table of every aim,
# its figure and met / NOT met (exit 1 when one is not met).
BENCH_AIMS := .bench-aims

bench:
	python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[test]'
	command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	rm -rf $(BENCH_AIMS)
	for bench in $$(.venv/bin/python tests/benchmarks/summary.py --list); do \
		BENCH_AIMS_DIR=$(BENCH_AIMS) .venv/bin/python $$bench || echo "$$bench failed"; done
	.venv/bin/python tests/benchmarks/summary.py $(BENCH_AIMS)

docs:
	.venv/bin/python -c "from service.i18n import catalogue_markdown; open('docs/errors.md', 'w').write(catalogue_markdown())"
	.venv/bin/python -c "import json; from service.exchange.messages import schema; open('docs/exchange-schema.json', 'w').write(json.dumps(schema(), ensure_ascii=False, indent=2) + '\n')"
