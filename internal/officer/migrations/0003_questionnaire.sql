-- A manajer answering the health questionnaire as a dialog (/kesehatan isi):
-- the indicator their next plain message in that chat answers. One per
-- officer and chat; gone when the last indicator is answered or they stop.
CREATE TABLE officer_questionnaire (
	officer_id TEXT NOT NULL,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	profile    TEXT NOT NULL,
	indicator  TEXT NOT NULL,
	at         TEXT NOT NULL,
	PRIMARY KEY (officer_id, channel, chat)
) STRICT, WITHOUT ROWID;
