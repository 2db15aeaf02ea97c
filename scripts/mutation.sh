#!/usr/bin/env bash
# Mutation testing of chosen modules (not part of CI; slow on purpose):
#
#   bash scripts/mutation.sh govcloud/plan/verify.py govcloud/plan/cost.py
#   bash scripts/mutation.sh govcloud/plan/verify.py --tests tests/plan/test_verify.py -v
#
# Runs scripts/mutation.py: every mutant of each module against the tests that reach it,
# then prints the score and the surviving mutants.  docs/testing.md says how to read them.
# Uses the project's .venv when there is one, else the python on PATH (set PYTHON to choose).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
if [[ $# -eq 0 ]]; then
  echo "usage: scripts/mutation.sh MODULE… [--tests TEST…] [--min-score N] [-v]" >&2
  exit 2
fi
exec "$PYTHON" scripts/mutation.py "$@"
