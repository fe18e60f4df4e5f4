#!/bin/sh
# Runs once, when the PostgreSQL container first creates its database (docker-entrypoint-initdb.d).
#
# Two roles (ADR 0011; docs/security.md):
# - $POSTGRES_USER (kpas) owns the schema; only the `migrate` service connects as it.
# - kpas_app is what the web, worker and beat connect as: it reads and writes rows, and after
#   every migrate (kpas/base/db_grants.py) it may only INSERT and SELECT audit rows. It may
#   CREATE in the schema only so that the register's `CREATE TABLE IF NOT EXISTS` of a
#   partition already made by the owner is a no-op; a new partition needs the owner.
# An existing database: run the same statements once as the owner, then `manage.py migrate`.
set -eu
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$APP_DB_PASSWORD" -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE kpas_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE :"db" TO kpas_app;
GRANT USAGE, CREATE ON SCHEMA public TO kpas_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kpas_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO kpas_app;
SQL
