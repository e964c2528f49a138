-- Chat accounts that carry no phone number (Telegram), bound to a member once
-- the member shared their own contact from that account. Bound to the member
-- row, not to the number: a member whose phone changes in an import keeps
-- their Telegram account.
CREATE TABLE member_identities (
	channel   TEXT NOT NULL,
	user_id   TEXT NOT NULL,
	member_id INTEGER NOT NULL REFERENCES members (id),
	bound_at  TEXT NOT NULL,
	PRIMARY KEY (channel, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX member_identities_member ON member_identities (member_id);
