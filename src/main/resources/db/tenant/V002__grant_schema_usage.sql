-- The runtime role may use the schema these tenant scripts were applied to (tessera or tenant_<id>).
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO tessera_app, tessera_readonly;
