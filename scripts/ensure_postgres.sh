#!/usr/bin/env bash
# Finds the PostgreSQL server the workshop tests run against and prints its URL on stdout (nothing
# else goes there; messages go to stderr). `make test` passes it to pytest as
# WORKSHOP_TEST_DATABASE_URL.
#
#  * WORKSHOP_TEST_DATABASE_URL already set: that server, checked.
#  * Otherwise postgresql://postgres@127.0.0.1:5432/test (the project's machines and CI: PostgreSQL
#    15, trust auth, a database `test`). If nothing answers there and we are root with apt-get,
#    Debian's `postgresql` is installed (if missing) and started, and a role `workshop` (password
#    `workshop`) with a database `test` is created for the tests.
#  * No server: under CI=true this fails the run; elsewhere it warns, prints nothing, and the
#    PostgreSQL tests skip (pytest -ra lists them with the reason).
#
# Only the database `test` (or the one named) is used; the tests work in schemas of their own
# (ws_test_<random>) and drop them. The databases `root` and `postgres` are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
DEFAULT_URL="postgresql://postgres@127.0.0.1:5432/test"
OWN_URL="postgresql://workshop:workshop@127.0.0.1:5432/test"

say() { echo "ensure_postgres: $*" >&2; }

answers() {  # can we connect to $1 and run a query? (psycopg is in the venv; psql may not be installed)
  "$PYTHON" - "$1" <<'EOF' 2>/dev/null
import sys

import psycopg

with psycopg.connect(sys.argv[1], connect_timeout=3) as connection:
    connection.execute("SELECT 1")
EOF
}

listening() {  # is anything accepting connections on 127.0.0.1:5432?
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 3
  else
    "$PYTHON" -c "import socket; socket.create_connection(('127.0.0.1', 5432), timeout=3).close()" 2>/dev/null
  fi
}

as_postgres() { runuser -u postgres -- "$@"; }

create_test_role() {  # a role and database of our own, through the local superuser (peer auth)
  as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'EOF'
SELECT 'CREATE ROLE workshop LOGIN PASSWORD ''workshop'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'workshop') \gexec
SELECT 'CREATE DATABASE test OWNER workshop'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'test') \gexec
GRANT ALL ON DATABASE test TO workshop;
EOF
  as_postgres psql -q -v ON_ERROR_STOP=1 -d test -c "GRANT CREATE ON SCHEMA public TO workshop" >/dev/null
}

missing() {
  if [[ "${CI:-}" == "true" ]]; then
    say "ERROR: $1 CI=true, so the PostgreSQL tests must run: failing."
    exit 1
  fi
  say "WARNING: $1 The PostgreSQL tests will SKIP (see pytest's skip summary)."
  say "         Start PostgreSQL at 127.0.0.1:5432 or set WORKSHOP_TEST_DATABASE_URL."
  exit 0
}

use_one_that_answers() {  # print the first of our URLs that answers, and stop here
  for url in "$DEFAULT_URL" "$OWN_URL"; do
    if answers "$url"; then
      say "PostgreSQL tests use ${url##*@}."
      echo "$url"
      exit 0
    fi
  done
}

if [[ -n "${WORKSHOP_TEST_DATABASE_URL:-}" ]]; then
  if answers "$WORKSHOP_TEST_DATABASE_URL"; then
    say "PostgreSQL tests use WORKSHOP_TEST_DATABASE_URL (${WORKSHOP_TEST_DATABASE_URL##*@})."
    echo "$WORKSHOP_TEST_DATABASE_URL"
    exit 0
  fi
  missing "WORKSHOP_TEST_DATABASE_URL (${WORKSHOP_TEST_DATABASE_URL##*@}) does not answer."
fi

use_one_that_answers

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  missing "no PostgreSQL answers at 127.0.0.1:5432/test, and without root and apt-get none can be set up."
fi

if ! listening; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "Installing PostgreSQL for the workshop tests (apt-get install postgresql)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  say "Starting PostgreSQL..."
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$version" ]]; then
    pg_ctlcluster "$version" main start 2>/dev/null || service postgresql start >/dev/null
  else
    service postgresql start >/dev/null
  fi
  for _ in $(seq 30); do listening && break; sleep 1; done
fi

if listening && id postgres >/dev/null 2>&1; then
  create_test_role || say "could not create the role 'workshop' and database 'test'."
fi
use_one_that_answers
missing "PostgreSQL could not be installed or started here."
