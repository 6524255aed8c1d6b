#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 and makes a `crm` role for the PostgreSQL tests.
# Prints the URL to export as TEST_POSTGRES_URL; exits non-zero when PostgreSQL is not installed.
set -euo pipefail
command -v pg_ctlcluster >/dev/null 2>&1 || { echo "PostgreSQL is not installed" >&2; exit 1; }
pg_isready -q -h 127.0.0.1 || pg_ctlcluster 15 main start >&2
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'crm'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE crm LOGIN CREATEDB PASSWORD 'crm'\"" >&2
echo "postgres://crm:crm@127.0.0.1:5432/postgres"
