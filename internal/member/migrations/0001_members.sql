CREATE TABLE members (
	id         INTEGER PRIMARY KEY,
	number     TEXT NOT NULL UNIQUE,           -- nomor anggota, as the cooperative writes it
	name       TEXT NOT NULL,
	phone      TEXT NOT NULL UNIQUE,           -- E.164 digits without '+', e.g. 6281234567890
	nik        TEXT,                           -- national id, optional
	joined_on  TEXT NOT NULL,                  -- YYYY-MM-DD
	lang       TEXT NOT NULL DEFAULT 'id',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
) STRICT;
