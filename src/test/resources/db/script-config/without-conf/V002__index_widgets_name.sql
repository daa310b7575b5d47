-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: V002__index_widgets_name.sql.conf
-- tells Flyway to run this script without one. The INSERT makes the script mixed (transactional and
-- non-transactional statements), which Flyway refuses unless the script config says otherwise.
CREATE INDEX CONCURRENTLY ix_widgets_name ON widgets (name);
INSERT INTO widgets VALUES (1001, 'after the index');
