#!/bin/sh
# One database per service, each owned by its own role; no role can connect to another service's database.
# Runs once, when the PostgreSQL volume is new (docker-entrypoint-initdb.d).
set -eu
for db in chat provider billing usage rollout analytics; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE "$db" LOGIN PASSWORD '${DATABASE_PASSWORD}';
CREATE DATABASE "$db" OWNER "$db";
REVOKE CONNECT ON DATABASE "$db" FROM PUBLIC;
GRANT CONNECT ON DATABASE "$db" TO "$db";
SQL
done
