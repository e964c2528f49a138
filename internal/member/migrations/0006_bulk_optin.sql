-- Members the cooperative's own records say agreed to receive messages
-- they did not ask for (reminders, announcements) on WhatsApp, though they
-- never wrote to the cooperative's number: WhatsApp refuses and punishes
-- unasked messages to people who never wrote first. Set by the members
-- import's optin column, dropped when the member's number changes.
CREATE TABLE member_optin (
	member_id INTEGER PRIMARY KEY REFERENCES members (id)
) STRICT;
