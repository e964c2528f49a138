-- A member talking to the officers instead of the menus. While a row is open
-- (closed_at NULL) every message the member types goes to the officers'
-- group tagged #H<id>, and officers answer with /balas H<id>. last_at is the
-- latest message either way: a handoff quiet for long lapses. closed_by is
-- the closing officer's id, 'member' or 'lapsed'.
CREATE TABLE handoff (
	id        INTEGER PRIMARY KEY,
	member_id INTEGER NOT NULL REFERENCES members (id),
	opened_at TEXT NOT NULL,
	last_at   TEXT NOT NULL,
	closed_at TEXT,
	closed_by TEXT,
	CHECK ((closed_at IS NULL) = (closed_by IS NULL))
) STRICT;
-- One open handoff per member: asking for an officer twice continues it.
CREATE UNIQUE INDEX handoff_open ON handoff (member_id) WHERE closed_at IS NULL;
