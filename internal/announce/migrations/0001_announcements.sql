-- Announcements a manajer wrote to many members at once (RAT invitations,
-- the office closed on a holiday). A draft is previewed and then sent or
-- cancelled, once; each member's copy is an outbox row keyed
-- ann:<id>:<member id>, so its delivery is read from the outbox.
CREATE TABLE announcements (
	id         INTEGER PRIMARY KEY,
	audience   TEXT NOT NULL CHECK (audience IN ('all', 'arrears', 'new', 'list')),
	members    TEXT,                 -- JSON member ids of a list, NULL otherwise
	text       TEXT NOT NULL CHECK (text <> ''),
	officer    TEXT NOT NULL,        -- who wrote it
	created_at TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'cancelled')),
	decided_by TEXT,                 -- who pressed Kirim or Batal
	decided_at TEXT,
	queued     INTEGER NOT NULL DEFAULT 0, -- copies put in the outbox
	skipped    INTEGER NOT NULL DEFAULT 0, -- members left out: they said STOP
	CHECK ((status = 'draft') = (decided_by IS NULL)),
	CHECK ((audience = 'list') = (members IS NOT NULL))
) STRICT;
