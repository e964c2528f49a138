-- A month whose jasa simpanan was worked out and posted for every member,
-- so serve's hourly check knows it is done without looking at every
-- member's key. The money itself is in the ledger, one transaction per
-- member under jasa:sukarela:<month>:<member id>.
CREATE TABLE jasa_runs (
	month   TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
	rate    TEXT NOT NULL,
	basis   TEXT NOT NULL,
	members INTEGER NOT NULL,
	total   INTEGER NOT NULL,
	run_by  TEXT NOT NULL,
	run_at  TEXT NOT NULL
) STRICT;
