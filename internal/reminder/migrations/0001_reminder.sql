-- Members' choices about reminders, appended as they make them: STOP adds a
-- row with opted_out = 1, MULAI one with 0. The latest row per member is
-- the current wish; the rows before it are the history an officer may be
-- asked about. A member without rows receives reminders.
CREATE TABLE reminder_optouts (
	id        INTEGER PRIMARY KEY,
	member_id INTEGER NOT NULL REFERENCES members (id),
	opted_out INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
	at        TEXT NOT NULL -- UTC RFC 3339
) STRICT;
CREATE INDEX reminder_optouts_member ON reminder_optouts (member_id, id);

CREATE TRIGGER reminder_optouts_no_update BEFORE UPDATE ON reminder_optouts
BEGIN SELECT RAISE(ABORT, 'reminder_optouts are append-only'); END;
CREATE TRIGGER reminder_optouts_no_delete BEFORE DELETE ON reminder_optouts
BEGIN SELECT RAISE(ABORT, 'reminder_optouts are append-only'); END;
