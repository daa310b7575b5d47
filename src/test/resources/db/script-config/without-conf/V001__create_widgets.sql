CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(1, 1000) g;
