-- A member may stop announcements apart from reminders (STOP PENGUMUMAN):
-- each choice names what it is about. The rows before this were all about
-- reminders.
ALTER TABLE reminder_optouts ADD COLUMN topic TEXT NOT NULL DEFAULT 'reminders'
	CHECK (topic IN ('reminders', 'announcements'));
DROP INDEX reminder_optouts_member;
CREATE INDEX reminder_optouts_member ON reminder_optouts (member_id, topic, id);
