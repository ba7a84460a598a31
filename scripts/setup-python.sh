#!/usr/bin/env bash
# Creates (once) the virtualenv used by the Python interoperability tests and prints its python path.
# Idempotent: packages already installed at the pinned version are left as they are.
set -euo pipefail

# Truthound-py itself, and the optional SDKs its stores need (it does not pull them in):
# boto3 for S3Store, google-cloud-storage for GCSStore (pointed at fake-gcs-server through
# STORAGE_EMULATOR_HOST), azure-storage-blob for AzureBlobStore (pointed at Azurite by connection string),
# sqlalchemy and psycopg2-binary for DatabaseStore on PostgreSQL.
PINNED_PACKAGES=(
  "truthound==3.2.0"
  "boto3==1.44.8"
  "google-cloud-storage==3.17.1"
  "azure-storage-blob==12.31.1"
  "sqlalchemy==2.0.49"
  "psycopg2-binary==2.9.11"
)
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo_root}/.venv"
python="${venv}/bin/python"

installed_version() {
  "$python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true
}

if [[ ! -x "$python" ]]; then
  python3 -m venv "$venv" >&2
fi

missing=()
for pin in "${PINNED_PACKAGES[@]}"; do
  [[ "$(installed_version "${pin%%==*}")" == "${pin##*==}" ]] || missing+=("$pin")
done
if ((${#missing[@]} > 0)); then
  "$python" -m pip install --quiet --disable-pip-version-check "${missing[@]}" >&2
fi
for pin in "${PINNED_PACKAGES[@]}"; do
  if [[ "$(installed_version "${pin%%==*}")" != "${pin##*==}" ]]; then
    echo "setup-python: ${pin} is not importable in ${venv}" >&2
    exit 1
  fi
done

echo "$python"
