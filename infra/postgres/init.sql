-- Alt & Jung on PostgreSQL: the two roles and one database per service.
--
-- The postgres image runs this once, on the first start with an empty data directory, with psql as the
-- superuser and ON_ERROR_STOP=1. It is idempotent, so it can be run by hand against an existing cluster:
--   ALTJUNG_DB_OWNER_PASSWORD=… ALTJUNG_DB_APP_PASSWORD=… psql -U postgres -d postgres -f infra/postgres/init.sql
-- (psql 15 or newer: the passwords are read with \getenv, never written into this file.)
--
--   altjung_owner  owns every database and every table; `altjung migrate` connects as it.
--   altjung_app    what the services connect as: LOGIN, NOSUPERUSER, NOBYPASSRLS, owns no table, not a
--                  member of altjung_owner. So FORCE ROW LEVEL SECURITY binds it, and it gets DML only on
--                  what altjung_owner creates (default privileges below; migrations grant it again).

\set ON_ERROR_STOP on

\getenv owner_password ALTJUNG_DB_OWNER_PASSWORD
\getenv app_password ALTJUNG_DB_APP_PASSWORD
\if :{?owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'ALTJUNG_DB_OWNER_PASSWORD is not set in the environment'; END $$;
\endif
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'ALTJUNG_DB_APP_PASSWORD is not set in the environment'; END $$;
\endif

-- Roles. PostgreSQL has no CREATE ROLE IF NOT EXISTS: create when missing, then (re)state every attribute.
SELECT 'CREATE ROLE altjung_owner'
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'altjung_owner') \gexec
ALTER ROLE altjung_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';

SELECT 'CREATE ROLE altjung_app'
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'altjung_app') \gexec
ALTER ROLE altjung_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
  PASSWORD :'app_password';
-- Never the owner by the back door (a warning, not an error, when it is not a member).
REVOKE altjung_owner FROM altjung_app;

-- One database per service, owned by altjung_owner. CREATE DATABASE cannot run in a transaction or a DO
-- block, hence \gexec (psql runs each generated statement on its own).
SELECT format('CREATE DATABASE %I OWNER altjung_owner', name)
  FROM unnest(ARRAY['altjung_identity', 'altjung_tenants', 'altjung_matching',
                    'altjung_notifications', 'altjung_federation', 'altjung_portal']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = name) \gexec

-- Per database: only altjung_owner and altjung_app may connect; nobody but the owner creates objects in
-- schema public (already the default since PostgreSQL 15, stated for older clusters); altjung_app gets
-- DML on every table and sequence altjung_owner will create there.

\connect altjung_identity
ALTER DATABASE altjung_identity OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_identity FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_identity TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;

\connect altjung_tenants
ALTER DATABASE altjung_tenants OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_tenants FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_tenants TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;

\connect altjung_matching
ALTER DATABASE altjung_matching OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_matching FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_matching TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;

\connect altjung_notifications
ALTER DATABASE altjung_notifications OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_notifications FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_notifications TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;

\connect altjung_federation
ALTER DATABASE altjung_federation OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_federation FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_federation TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;

\connect altjung_portal
ALTER DATABASE altjung_portal OWNER TO altjung_owner;
REVOKE ALL ON DATABASE altjung_portal FROM PUBLIC;
GRANT CONNECT ON DATABASE altjung_portal TO altjung_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO altjung_app;
ALTER DEFAULT PRIVILEGES FOR ROLE altjung_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO altjung_app;
