-- The day a number that is not a member was last told so: a stranger is
-- answered once a day, and what they send after that is only recorded, so
-- a flood from one unknown number costs the members' replies nothing.
CREATE TABLE strangers (
	channel     TEXT NOT NULL,
	chat        TEXT NOT NULL,
	answered_on TEXT NOT NULL, -- YYYY-MM-DD in the cooperative's zone
	PRIMARY KEY (channel, chat)
) STRICT, WITHOUT ROWID;
