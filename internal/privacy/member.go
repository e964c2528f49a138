package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// chats are every chat kopbot knows the member by: their WhatsApp number,
// the chats they wrote from, and their bound Telegram accounts.
func chats(ctx context.Context, q store.Queryer, m member.Member) ([]string, error) {
	out := []string{m.Phone + "@s.whatsapp.net", m.Phone}
	rows, err := q.QueryContext(ctx, `SELECT chat FROM member_channels WHERE member_id = ?
		UNION SELECT user_id FROM member_identities WHERE member_id = ?`, m.ID, m.ID)
	if err != nil {
		return nil, fmt.Errorf("chats of member %s: %w", m.Number, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func jsonList(list []string) string {
	b, _ := json.Marshal(list) // strings always marshal
	return string(b)
}

// Export is everything kopbot holds about a member, table by table, each
// row as column → value: what a member asking to see their data is given.
type Export struct {
	Member   member.Member               `json:"anggota"`
	Exported time.Time                   `json:"diekspor"`
	Tables   map[string][]map[string]any `json:"data"`
}

// exportQueries are the member's rows in every table that holds any; ?1 is
// the member id, ?2 the member's chats as a JSON list, ?3 their number.
var exportQueries = map[string]string{
	"member_channels":   `SELECT channel, chat, last_seen FROM member_channels WHERE member_id = ?1`,
	"member_identities": `SELECT channel, user_id, bound_at FROM member_identities WHERE member_id = ?1`,
	"savings": `SELECT s.kind, t.id AS tx_id, t.value_date, t.kind AS movement, p.amount * -1 AS amount, t.memo
		FROM savings_accounts s JOIN ledger_postings p ON p.account_id = s.account_id
		JOIN ledger_transactions t ON t.id = p.tx_id WHERE s.member_id = ?1 ORDER BY t.id`,
	"loan_applications": `SELECT ref, product, amount, tenor, purpose, status, applied_at FROM loan_applications
		WHERE member_id = ?1 ORDER BY id`,
	"loan_info": `SELECT a.ref, i.text, i.at FROM loan_info i JOIN loan_applications a ON a.id = i.application_id
		WHERE a.member_id = ?1 ORDER BY i.id`,
	"loan_loans":       `SELECT ref, principal, disbursed_on, status FROM loan_loans WHERE member_id = ?1 ORDER BY id`,
	"handoff":          `SELECT id, opened_at, closed_at, closed_by FROM handoff WHERE member_id = ?1 ORDER BY id`,
	"reminder_optouts": `SELECT topic, opted_out, at FROM reminder_optouts WHERE member_id = ?1 ORDER BY id`,
	"inbox": `SELECT channel, received_at, text FROM inbox WHERE chat IN (SELECT value FROM json_each(?2))
		ORDER BY received_at`,
	"outbox": `SELECT channel, created_at, status, text FROM outbox WHERE chat IN (SELECT value FROM json_each(?2))
		ORDER BY id`,
	"officer_audit": `SELECT officer_id, action, ok, amount, tx_id, at FROM officer_audit WHERE subject = ?3 ORDER BY id`,
	"withdrawals": `SELECT id, amount, method, account, on_file, status, requested_at, reason FROM withdrawals
		WHERE member_id = ?1 ORDER BY id`,
}

// ExportMember gathers everything kopbot holds about the member numbered
// number, in one read snapshot.
func ExportMember(ctx context.Context, db *store.DB, number string, now time.Time) (Export, error) {
	var e Export
	err := db.Read(ctx, func(tx *sql.Tx) error {
		m, err := member.ByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		cs, err := chats(ctx, tx, m)
		if err != nil {
			return err
		}
		e = Export{Member: m, Exported: now, Tables: map[string][]map[string]any{}}
		for table, query := range exportQueries {
			rows, err := tx.QueryContext(ctx, query, m.ID, jsonList(cs), m.Number)
			if err != nil {
				return fmt.Errorf("export %s of %s: %w", table, number, err)
			}
			list, err := collect(rows)
			if err != nil {
				return fmt.Errorf("export %s of %s: %w", table, number, err)
			}
			e.Tables[table] = list
		}
		return nil
	})
	return e, err
}

func collect(rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Erased is what stands where a member's own words were.
const Erased = "[dihapus]"

// Erase removes a member who has left from everything but the books: the
// name becomes "Anggota dihapus <id>", the phone, NIK and bank account go, the chats and
// Telegram accounts kopbot knew are forgotten, their dialogs dropped, and
// the texts of every message to or from them emptied, their loan purposes
// and answers to officers replaced by Erased (postings, loans and
// the audit log stay, since the ledger must balance and be auditable). A
// member with savings, a loan or a request still open is refused
// (ErrStillMember): the cooperative still owes or is owed. Run it in a
// write transaction.
func Erase(ctx context.Context, tx *sql.Tx, number string) (member.Member, error) {
	m, err := member.ByNumber(ctx, tx, number)
	if err != nil {
		return member.Member{}, err
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id WHERE s.member_id = ?1 AND a.balance <> 0)
		+ (SELECT count(*) FROM loan_loans WHERE member_id = ?1 AND status = 'open')
		+ (SELECT count(*) FROM loan_applications WHERE member_id = ?1 AND status IN ('pending', 'info_requested', 'awaiting_second', 'approved'))
		+ (SELECT count(*) FROM withdrawals WHERE member_id = ?1 AND status IN ('pending', 'approved'))`,
		m.ID).Scan(&open); err != nil {
		return member.Member{}, fmt.Errorf("erase %s: %w", number, err)
	}
	if open > 0 {
		return member.Member{}, fmt.Errorf("erase %s: %w", number, ErrStillMember)
	}
	cs, err := chats(ctx, tx, m)
	if err != nil {
		return member.Member{}, err
	}
	list := jsonList(cs)
	var dialogs []string
	for _, c := range cs {
		for _, ch := range []channel.Name{channel.WhatsApp, channel.Telegram, channel.Console} {
			dialogs = append(dialogs, string(ch)+":"+c)
		}
	}
	id := strconv.FormatInt(m.ID, 10)
	for _, s := range []struct {
		what  string
		query string
		args  []any
	}{
		{"inbound texts", `UPDATE inbox SET text = '', phone = NULL, chat = 'dihapus' WHERE chat IN (SELECT value FROM json_each(?))`, []any{list}},
		{"outbound texts", `UPDATE outbox SET text = '', buttons = NULL, chat = 'dihapus',
			status = CASE status WHEN 'pending' THEN 'dropped' ELSE status END WHERE chat IN (SELECT value FROM json_each(?))`, []any{list}},
		{"dialogs", `DELETE FROM dialog_state WHERE chat IN (SELECT value FROM json_each(?))`, []any{jsonList(dialogs)}},
		// Their own words about their loans: what the money was for, and
		// their answers to the officers' questions (the one update loan_info
		// takes, see loan's migration 0004). The amounts and decisions stay.
		{"loan purposes", `UPDATE loan_applications SET purpose = '` + Erased + `' WHERE member_id = ?`, []any{m.ID}},
		{"answers", `UPDATE loan_info SET text = '` + Erased + `' WHERE application_id IN
			(SELECT id FROM loan_applications WHERE member_id = ?)`, []any{m.ID}},
		{"chats", `DELETE FROM member_channels WHERE member_id = ?`, []any{m.ID}},
		{"accounts", `DELETE FROM member_identities WHERE member_id = ?`, []any{m.ID}},
		// The bank accounts they were paid to: on file, and kept with each
		// withdrawal by transfer (the ledger memo never named it).
		{"withdrawal accounts", `UPDATE withdrawals SET account = '` + Erased + `' WHERE member_id = ? AND account <> ''`, []any{m.ID}},
		// A leaving proposal carries the account its payout went to.
		{"leaving accounts", `UPDATE duty_proposals SET detail = '` + Erased + `' WHERE member_id = ? AND kind = 'leave'`, []any{m.ID}},
		{"identity", `UPDATE members SET name = ?, phone = ?, nik = NULL, bank_name = '', bank_number = '', bank_holder = ''
			WHERE id = ?`, []any{"Anggota dihapus " + id, "dihapus:" + id, m.ID}},
	} {
		if _, err := tx.ExecContext(ctx, s.query, s.args...); err != nil {
			return member.Member{}, fmt.Errorf("erase %s of %s: %w", s.what, number, err)
		}
	}
	if err := forgetMentions(ctx, tx, m); err != nil {
		return member.Member{}, err
	}
	return member.ByID(ctx, tx, m.ID)
}

// forgetMentions empties the messages to anyone else (the officers'
// group, an officer's terminal) that name m: the announcement of their
// loan request with its purpose, their answers passed on, their member
// card. A message names m when it holds their name (as written, or as
// escaped for Telegram), phone, member number or one of their loan refs as
// a whole word: "Ani" is not found in "Anisa", nor KMM-002 in KMM-0021.
// One still waiting to go is dropped with it.
func forgetMentions(ctx context.Context, tx *sql.Tx, m member.Member) error {
	needles := []string{m.Name, markup.Escape(m.Name), m.Number, m.Phone, "0" + strings.TrimPrefix(m.Phone, "62")}
	rows, err := tx.QueryContext(ctx, `SELECT ref FROM loan_applications WHERE member_id = ?`, m.ID)
	if err != nil {
		return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
	}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			rows.Close()
			return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
		}
		needles = append(needles, ref)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
	}
	// instr finds the candidates in SQL; the word test is Go's.
	rows, err = tx.QueryContext(ctx, `SELECT id, text FROM outbox WHERE text <> ''
		AND EXISTS (SELECT 1 FROM json_each(?) WHERE instr(outbox.text, value) > 0)`, jsonList(needles))
	if err != nil {
		return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
	}
	var ids []string
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
		}
		if slices.ContainsFunc(needles, func(n string) bool { return wordIn(text, n) }) {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET text = '', buttons = NULL,
		status = CASE status WHEN 'pending' THEN 'dropped' ELSE status END
		WHERE id IN (SELECT value FROM json_each(?))`, jsonList(ids)); err != nil {
		return fmt.Errorf("erase mentions of %s: %w", m.Number, err)
	}
	return nil
}

// wordIn reports whether word stands in text with no letter or digit
// touching it on either side.
func wordIn(text, word string) bool {
	if word == "" {
		return false
	}
	for at := 0; ; {
		i := strings.Index(text[at:], word)
		if i < 0 {
			return false
		}
		start, end := at+i, at+i+len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !wordRune(before) && !wordRune(after) {
			return true
		}
		at = start + 1
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
