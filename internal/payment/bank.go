package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// ErrNoBankLine is a statement line kopbot never proposed.
var ErrNoBankLine = errors.New("no such statement line")

// BankLine is a statement credit that matched a payment code.
type BankLine struct {
	ID          int64
	Key         string
	Account     string
	Date        time.Time
	Description string
	Amount      decimal.Decimal
	CodeID      int64
	Status      Status
	OfficerID   string
}

// Ref is how officers name a line: MB-4 (mutasi bank).
func (l BankLine) Ref() string { return "MB-" + strconv.FormatInt(l.ID, 10) }

// ParseLineRef reads "MB-4" (any case, "#" allowed) as a line's id.
func ParseLineRef(s string) (int64, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "#")
	rest, found := strings.CutPrefix(s, "MB-")
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, found && err == nil && id > 0
}

// ImportResult is what importing a statement did.
type ImportResult struct {
	// Proposed are the lines that matched a code, now shown to the officers.
	Proposed []BankLine
	// Known counts the lines an earlier import read already.
	Known int
	// Unmatched are credits no valid code has the amount of: transfers
	// without a code, or with a wrong amount; the officers book them by hand.
	Unmatched []Line
	Statement
}

// Import matches st's credits to the payment codes valid on their dates,
// by exact amount, and shows each match to the officers with one button to
// book it; nothing is posted. A line read before (by its key) is passed
// over. Run it in a write transaction.
func (in *Intake) Import(ctx context.Context, q store.Queryer, acct BankAccount, st Statement, now time.Time) (ImportResult, error) {
	res := ImportResult{Statement: st}
	for _, l := range st.Credits {
		var known int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM payment_bank_lines WHERE key = ?`, l.Key).Scan(&known); err != nil {
			return ImportResult{}, fmt.Errorf("import statement line %d: %w", l.Row, err)
		}
		if known > 0 {
			res.Known++
			continue
		}
		day := l.Date.Format(ledger.DateLayout)
		c, err := codeWhere(ctx, q, `amount = ? AND status = 'open' AND issued_on <= ? AND valid_until >= ?`,
			l.Amount.IntPart(), day, day)
		if errors.Is(err, errNoCodeRow) {
			res.Unmatched = append(res.Unmatched, l)
			continue
		}
		if err != nil {
			return ImportResult{}, fmt.Errorf("import statement line %d: %w", l.Row, err)
		}
		bl := BankLine{Key: l.Key, Account: acct.Ledger, Date: l.Date, Description: l.Description, Amount: l.Amount,
			CodeID: c.ID, Status: Pending}
		if err := q.QueryRowContext(ctx, `INSERT INTO payment_bank_lines (key, account, value_date, description, amount,
			code_id, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, bl.Key, bl.Account, day, bl.Description,
			bl.Amount.IntPart(), c.ID, store.Stamp(now)).Scan(&bl.ID); err != nil {
			return ImportResult{}, fmt.Errorf("import statement line %d: %w", l.Row, err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE payment_codes SET status = 'matched' WHERE id = ?`, c.ID); err != nil {
			return ImportResult{}, fmt.Errorf("import statement line %d: %w", l.Row, err)
		}
		if err := in.announceLine(ctx, q, acct, bl, c, now); err != nil {
			return ImportResult{}, err
		}
		res.Proposed = append(res.Proposed, bl)
	}
	return res, nil
}

// announceLine shows the officers a matched line: whose code it is, what
// it pays, and the buttons Catat and Bukan.
func (in *Intake) announceLine(ctx context.Context, q store.Queryer, acct BankAccount, l BankLine, c Code, now time.Time) error {
	m, err := member.ByID(ctx, q, c.MemberID)
	if err != nil {
		return err
	}
	msgs, lang := in.cfg.Msgs, groupLang
	text := msgs.T(lang, "payment.bank.card", map[string]any{"Ref": l.Ref(), "Bank": markup.Escape(acct.Bank),
		"Date": l.Date.Format(dateLayout), "Amount": money.Format(l.Amount, lang), "Description": markup.Escape(orDash(l.Description)),
		"Code": fmt.Sprintf("%03d", c.Code), "Member": markup.Escape(m.Name), "Number": m.Number,
		"Until": c.ValidUntil.Format(dateLayout), "Parts": in.partLines(lang, c)})
	buttons := [][]channel.Button{{
		{Text: msgs.T(lang, "payment.bank.button.book", map[string]any{"Amount": money.Format(l.Amount, lang)}), Data: BankData(l.ID, false)},
		{Text: msgs.T(lang, "payment.bank.button.reject", nil), Data: BankData(l.ID, true)},
	}}
	if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: in.cfg.Group.Channel, Chat: in.cfg.Group.Chat,
		Text: text, Buttons: buttons}}, now); err != nil {
		return fmt.Errorf("show %s to the officers: %w", l.Ref(), err)
	}
	return nil
}

// partLines say what a code's transfer pays.
func (in *Intake) partLines(lang string, c Code) string {
	var lines []string
	if c.Installment.IsPositive() {
		lines = append(lines, in.cfg.Msgs.T(lang, "payment.pay.due.loan", map[string]any{"Ref": c.LoanRef,
			"Amount": money.Format(c.Installment, lang)}))
	}
	if c.Wajib.IsPositive() {
		lines = append(lines, in.cfg.Msgs.T(lang, "payment.pay.due.wajib", map[string]any{"Amount": money.Format(c.Wajib, lang)}))
	}
	lines = append(lines, in.cfg.Msgs.T(lang, "payment.bank.part.code", map[string]any{"Amount": money.Format(c.Extra(), lang)}))
	return strings.Join(lines, "\n")
}

// Button data of a line's card: "mb:c:<id>" books it, "mb:t:<id>" says it
// is not the member's.
const bankPrefix = "mb:"

// BankData is the data of a line's Catat (reject false) or Bukan button;
// the Bukan button's, which every card of the line carries, finds the
// cards to take their buttons away.
func BankData(id int64, reject bool) string {
	verb := "c"
	if reject {
		verb = "t"
	}
	return bankPrefix + verb + ":" + strconv.FormatInt(id, 10)
}

// ParseBankPress reads a line's button data; ok is false for anything else.
func ParseBankPress(data string) (id int64, reject, ok bool) {
	rest, found := strings.CutPrefix(data, bankPrefix)
	verb, idText, cut := strings.Cut(rest, ":")
	if !found || !cut || (verb != "c" && verb != "t") {
		return 0, false, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return id, verb == "t", err == nil && id > 0
}

// BankLineByID returns a proposed, booked or rejected line.
func BankLineByID(ctx context.Context, q store.Queryer, id int64) (BankLine, error) {
	var l BankLine
	var day string
	var amount int64
	var status string
	err := q.QueryRowContext(ctx, `SELECT id, key, account, value_date, description, amount, code_id, status, officer_id
		FROM payment_bank_lines WHERE id = ?`, id).Scan(&l.ID, &l.Key, &l.Account, &day, &l.Description, &amount, &l.CodeID,
		&status, &l.OfficerID)
	if errors.Is(err, sql.ErrNoRows) {
		return BankLine{}, fmt.Errorf("statement line %d: %w", id, ErrNoBankLine)
	}
	if err != nil {
		return BankLine{}, fmt.Errorf("statement line %d: %w", id, err)
	}
	if l.Date, err = time.Parse(ledger.DateLayout, day); err != nil {
		return BankLine{}, fmt.Errorf("statement line %d: date %q: %w", id, day, err)
	}
	l.Amount, l.Status = money.FromRupiah(amount), lineStatus(status)
	return l, nil
}

// lineStatus reads a line's status as a proof's: proposed is pending.
func lineStatus(s string) Status {
	if s == "proposed" {
		return Pending
	}
	return Status(s)
}

// Decided is the error of a press on l once it is decided.
func (l BankLine) Decided() *DecidedError {
	return &DecidedError{Ref: l.Ref(), Status: l.Status, OfficerID: l.OfficerID}
}

// LineBooked is what booking a line posted: the installment's receipt
// (Loan.TxID zero when the code paid none), the wajib deposit (zero ID:
// none), and the sukarela deposit of the code's Rupiah.
type LineBooked struct {
	Line     BankLine
	Code     Code
	MemberID int64
	Loan     loan.Receipt
	Wajib    ledger.Tx
	Sukarela ledger.Tx
}

// BookLine posts line id as its code says, into the line's bank account on
// the line's date, once: the installment on the code's loan (allocated
// denda → bunga → pokok), the wajib, and the code's own Rupiah as
// sukarela, each under a ledger key made from the line's. A later call is a
// *DecidedError. Run it in a write transaction.
func BookLine(ctx context.Context, q store.Queryer, id int64, officerID string, now time.Time) (LineBooked, error) {
	out, err := bookLine(ctx, q, id, officerID, now)
	if err != nil {
		return LineBooked{}, fmt.Errorf("book statement line %d: %w", id, err)
	}
	return out, nil
}

func bookLine(ctx context.Context, q store.Queryer, id int64, officerID string, now time.Time) (LineBooked, error) {
	l, err := BankLineByID(ctx, q, id)
	switch {
	case err != nil:
		return LineBooked{}, err
	case l.Status != Pending:
		return LineBooked{}, l.Decided()
	}
	c, err := CodeByID(ctx, q, l.CodeID)
	if err != nil {
		return LineBooked{}, err
	}
	out := LineBooked{Line: l, Code: c, MemberID: c.MemberID}
	memo := "Transfer " + l.Date.Format(dateLayout) + ", " + l.Ref() + " kode unik " + c.Ref()
	if c.Installment.IsPositive() {
		if out.Loan, err = loan.Repay(ctx, q, loan.Payment{Key: l.Key + ":angsuran", LoanRef: c.LoanRef, MemberID: c.MemberID,
			Amount: c.Installment, On: l.Date, OfficerID: officerID, Memo: "Angsuran, " + memo, Account: l.Account}); err != nil {
			return LineBooked{}, err
		}
	}
	deposit := func(kind savings.Kind, amount decimal.Decimal) (ledger.Tx, error) {
		return savings.Deposit(ctx, q, savings.Movement{Key: l.Key + ":" + string(kind), MemberID: c.MemberID, Kind: kind,
			Amount: amount, ValueDate: l.Date, Actor: officerID, Memo: "Setoran " + string(kind) + ", " + memo, Account: l.Account})
	}
	if c.Wajib.IsPositive() {
		if out.Wajib, err = deposit(savings.Wajib, c.Wajib); err != nil {
			return LineBooked{}, err
		}
	}
	// The code's Rupiah, and anything the line holds beyond the code's
	// amount (none: lines match exactly), are the member's sukarela.
	if out.Sukarela, err = deposit(savings.Sukarela, l.Amount.Sub(c.Base)); err != nil {
		return LineBooked{}, err
	}
	if err := decideLine(ctx, q, l.ID, "posted", officerID, now); err != nil {
		return LineBooked{}, err
	}
	if _, err := q.ExecContext(ctx, `UPDATE payment_codes SET status = 'paid' WHERE id = ?`, c.ID); err != nil {
		return LineBooked{}, err
	}
	out.Line.Status, out.Line.OfficerID = Posted, officerID
	return out, nil
}

// RejectLine marks a proposed line as not the member's transfer: nothing is
// posted and the code is open again for the right transfer.
func RejectLine(ctx context.Context, q store.Queryer, id int64, officerID string, now time.Time) (BankLine, error) {
	l, err := BankLineByID(ctx, q, id)
	switch {
	case err != nil:
		return BankLine{}, fmt.Errorf("reject statement line %d: %w", id, err)
	case l.Status != Pending:
		return BankLine{}, l.Decided()
	}
	if err := decideLine(ctx, q, id, "rejected", officerID, now); err != nil {
		return BankLine{}, fmt.Errorf("reject statement line %d: %w", id, err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE payment_codes SET status = 'open' WHERE id = ? AND status = 'matched'`, l.CodeID); err != nil {
		return BankLine{}, fmt.Errorf("reject statement line %d: %w", id, err)
	}
	l.Status, l.OfficerID = Rejected, officerID
	return l, nil
}

func decideLine(ctx context.Context, q store.Queryer, id int64, status, officerID string, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE payment_bank_lines SET status = ?, officer_id = ?, decided_at = ?
		WHERE id = ? AND status = 'proposed'`, status, officerID, store.Stamp(now), id)
	return store.OneRow(res, err)
}
