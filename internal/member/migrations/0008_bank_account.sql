-- The member's own bank account on file: where a withdrawal by transfer,
-- or the savings of a member leaving, are sent. Set by the members import
-- or by an officer (/anggota … rekening), never from what was typed in a
-- chat alone. All three are given, or none ('').
ALTER TABLE members ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN bank_number TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN bank_holder TEXT NOT NULL DEFAULT '';
