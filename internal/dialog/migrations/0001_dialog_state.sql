-- One row per chat that is in the middle of a dialog. Kept in the database so
-- a restart mid-dialog resumes where the member was.
CREATE TABLE dialog_state (
	chat       TEXT PRIMARY KEY,  -- channel:address
	flow       TEXT NOT NULL,
	step       TEXT NOT NULL,
	slots      TEXT NOT NULL,     -- JSON object of what the member has answered
	updated_at TEXT NOT NULL      -- RFC 3339, to let stale dialogs lapse
) STRICT;
