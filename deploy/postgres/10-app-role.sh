#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: the login role the API connects as.
# It owns nothing; the API's migrations (run as the owner, POSTGRES_USER) grant it row rights only,
# so the application's credentials cannot alter the schema or rewrite the audit log.
set -eu
: "${DATABASE_APP_PASSWORD:?set DATABASE_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE caunoi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SQL
