-- /jurnal's second officer is now the shared maker-checker (duty_proposals,
-- migrated before this by the duty schema), so books_journal goes. Nothing
-- is lost:
-- - an entry waiting for a second officer becomes an open proposal;
-- - one a second officer approved becomes a confirmed proposal with its
--   checker and transaction, checked when that transaction was written;
-- - one its maker posted alone is, in full, its ledger transaction (key
--   journal:<key>, actor, memo, accounts, amount, value date, created_at),
--   as every journal entry posted alone is from now on.
INSERT INTO duty_proposals (key, kind, member_id, amount, detail, maker, made_at, status, checker, checked_at, tx_id)
SELECT 'journal:' || j.idem_key, 'journal', NULL, j.amount,
	json_object('account', j.account, 'via', j.via, 'memo', j.memo, 'date', j.value_date),
	j.made_by, j.made_at,
	CASE WHEN j.tx_id IS NULL THEN 'open' ELSE 'confirmed' END,
	j.approved_by, t.created_at, j.tx_id
FROM books_journal j LEFT JOIN ledger_transactions t ON t.id = j.tx_id
WHERE j.tx_id IS NULL OR j.approved_by <> j.made_by
ORDER BY j.id;
DROP TABLE books_journal;
