#!/usr/bin/env bash
# Every check CI runs, in the order that fails fastest: lint, format, types, then the tests
# with a per-module coverage summary.  Run from anywhere; uses the project's .venv when there
# is one, else the python on PATH (set PYTHON to choose another).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

step() { printf '\n== %s\n' "$*"; }

step "browser for the report test (installed when missing)"
bash scripts/install-browser.sh
step "ruff check"
"$PYTHON" -m ruff check .
step "ruff format --check"
"$PYTHON" -m ruff format --check .
step "mypy --strict (govcloud)"
"$PYTHON" -m mypy
step "import-linter: the pipeline's layers (pyproject.toml [tool.importlinter])"
"$PYTHON" -c "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
step "pytest with coverage"
"$PYTHON" -m pytest --cov --cov-report=term --durations=5 "$@"
