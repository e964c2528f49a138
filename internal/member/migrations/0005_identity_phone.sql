-- The number a Telegram account was bound with: the binding holds only
-- while it is still the member's number, so a number the office replaced
-- (a lost or recycled SIM) no longer opens the member's data until the
-- member shares the new one. Numbered apart from the migrations other
-- changes add at the same time.
ALTER TABLE member_identities ADD COLUMN phone TEXT NOT NULL DEFAULT '';
UPDATE member_identities SET phone = (SELECT phone FROM members WHERE members.id = member_identities.member_id);
