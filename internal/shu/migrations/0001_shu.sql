-- A year's SHU computation. Recomputing replaces it until a manajer
-- approves; distributing posts it once (tx_id) and fixes it.
CREATE TABLE shu_years (
	year        INTEGER PRIMARY KEY,
	shu         INTEGER NOT NULL,
	from_books  INTEGER NOT NULL CHECK (from_books IN (0, 1)),
	modal_pool  INTEGER NOT NULL,
	usaha_pool  INTEGER NOT NULL,
	modal_total INTEGER NOT NULL,
	usaha_total INTEGER NOT NULL,
	modal_pct   TEXT NOT NULL,
	usaha_pct   TEXT NOT NULL,
	modal_basis TEXT NOT NULL,
	-- The other parts, "key=amount;…", in the settings' order.
	parts       TEXT NOT NULL,
	computed_by TEXT NOT NULL,
	computed_at TEXT NOT NULL,
	approved_by TEXT,
	tx_id       INTEGER REFERENCES ledger_transactions (id)
) STRICT;

CREATE TABLE shu_members (
	year         INTEGER NOT NULL REFERENCES shu_years (year),
	member_id    INTEGER NOT NULL REFERENCES members (id),
	modal        INTEGER NOT NULL,
	usaha        INTEGER NOT NULL,
	jasa_modal   INTEGER NOT NULL,
	jasa_usaha   INTEGER NOT NULL,
	PRIMARY KEY (year, member_id)
) STRICT;
CREATE INDEX shu_members_member ON shu_members (member_id, year);
