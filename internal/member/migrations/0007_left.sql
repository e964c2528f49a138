-- The day a member left the cooperative (their savings paid out, their
-- accounts closed); NULL while they are a member. The row stays: the books
-- and the audit name it.
ALTER TABLE members ADD COLUMN left_on TEXT;
