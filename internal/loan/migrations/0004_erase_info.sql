-- A member who has left and asks to be erased (UU PDP 27/2022) must not
-- leave their answers behind. loan_info stays append-only in every other
-- way: the one update it takes is replacing an answer's text with the
-- erasure mark, which changes nothing else and can only remove. Who erased
-- whom is in officer_audit (kopbot member erase).
DROP TRIGGER loan_info_no_update;
CREATE TRIGGER loan_info_no_update BEFORE UPDATE ON loan_info
WHEN NEW.text <> '[dihapus]' OR NEW.id IS NOT OLD.id OR NEW.application_id IS NOT OLD.application_id OR NEW.at IS NOT OLD.at
BEGIN SELECT RAISE(ABORT, 'loan_info is append-only (only kopbot member erase may blank an answer)'); END;
