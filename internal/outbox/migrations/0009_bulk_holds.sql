-- What a platform's refusals hold on bulk from one of the cooperative's
-- numbers (WhatsApp's 463 to a contact who never wrote, its rate errors):
-- kept so a restart does not send straight back to a contact WhatsApp
-- refused, or on from a number it told to slow down. Numbered apart from
-- the handoff batching's migration, written at the same time.
CREATE TABLE bulk_holds (
	channel  TEXT NOT NULL,
	number   TEXT NOT NULL,  -- the cooperative's number
	chat     TEXT NOT NULL,  -- the contact refused; '' for the number itself
	refusals INTEGER NOT NULL CHECK (refusals > 0), -- in a row: each doubles the wait
	until    TEXT NOT NULL,  -- RFC 3339 instant: bulk waits until then
	PRIMARY KEY (channel, number, chat)
) STRICT, WITHOUT ROWID;
