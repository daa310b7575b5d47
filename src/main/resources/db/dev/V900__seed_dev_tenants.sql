-- Dev mode only (quarkus:dev): two demo tenants so that tokens from dev/token work at once.
INSERT INTO tenants (id, slug, name, plan, isolation, state)
VALUES ('0193a0a0-0000-7000-8000-00000000000a', 'acme',   'Acme Ltd',   'standard', 'SHARED', 'ACTIVE'),
       ('0193a0a0-0000-7000-8000-00000000000b', 'globex', 'Globex Inc', 'standard', 'SHARED', 'ACTIVE'),
       ('0193a0a0-0000-7000-8000-00000000000c', 'initech', 'Initech (suspended)', 'free', 'SHARED', 'SUSPENDED')
ON CONFLICT (id) DO NOTHING;
