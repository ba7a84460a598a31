#!/usr/bin/env bash
# Creates (once) the virtualenv used by the Python interoperability tests and prints its python path.
# Idempotent: an existing venv that already has truthound 3.2.0 is reused as is.
set -euo pipefail

TRUTHOUND_VERSION="3.2.0"
# Truthound-py's S3Store needs boto3 (an optional dependency it does not pull in).
BOTO3_VERSION="1.44.8"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo_root}/.venv"
python="${venv}/bin/python"

installed_version() {
  "$python" -c "import importlib.metadata as m; print(m.version('${1:-truthound}'))" 2>/dev/null || true
}

if [[ ! -x "$python" ]]; then
  python3 -m venv "$venv" >&2
fi

if [[ "$(installed_version)" != "$TRUTHOUND_VERSION" ]]; then
  "$python" -m pip install --quiet --disable-pip-version-check "truthound==${TRUTHOUND_VERSION}" >&2
fi

if [[ "$(installed_version boto3)" != "$BOTO3_VERSION" ]]; then
  "$python" -m pip install --quiet --disable-pip-version-check "boto3==${BOTO3_VERSION}" >&2
fi

if [[ "$(installed_version)" != "$TRUTHOUND_VERSION" ]]; then
  echo "setup-python: truthound ${TRUTHOUND_VERSION} is not importable in ${venv}" >&2
  exit 1
fi

if [[ "$(installed_version boto3)" != "$BOTO3_VERSION" ]]; then
  echo "setup-python: boto3 ${BOTO3_VERSION} is not importable in ${venv}" >&2
  exit 1
fi

echo "$python"
