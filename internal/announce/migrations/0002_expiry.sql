-- An announcement is about something that happens, so it stops going when
-- that has passed: copies not sent by expires_at are dropped unsent.
-- until_day is the last day the manajer named (NULL: the default, a few
-- days after it is sent); expires_at is fixed at Kirim.
ALTER TABLE announcements ADD COLUMN until_day TEXT;
ALTER TABLE announcements ADD COLUMN expires_at TEXT;
