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
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// AskWait is how long after "untuk apa transfer ini?" the member's next
// message is taken as the answer: long enough to look it up, short enough
// that tomorrow's "saldo" is not read as one.
const AskWait = 30 * time.Minute

// groupLang is the language of what the officers' group reads.
const groupLang = i18n.Default

// Config configures an Intake.
type Config struct {
	Files Files
	Msgs  Localizer
	// Group is the officers' group, where proofs are shown.
	Group member.Address
	// Wajib is the monthly simpanan wajib, zero when the cooperative asks none.
	Wajib decimal.Decimal
}

// Intake takes members' transfer proofs and shows them to the officers.
type Intake struct{ cfg Config }

// New checks cfg.
func New(cfg Config) (*Intake, error) {
	switch {
	case cfg.Msgs == nil:
		return nil, errors.New("payment intake: no messages")
	case cfg.Files.Dir == "":
		return nil, errors.New("payment intake: no folder for proofs")
	case cfg.Files.Limit <= 0:
		return nil, errors.New("payment intake: no file size limit")
	case cfg.Group.Channel == "" || cfg.Group.Chat == "":
		return nil, errors.New("payment intake: no officers' group")
	}
	return &Intake{cfg: cfg}, nil
}

// Keep downloads and stores a member's file (see Files.Keep); it runs before
// the message's transaction, so no write waits on a download.
func (in *Intake) Keep(ctx context.Context, f *channel.File) (channel.Attachment, error) {
	return in.cfg.Files.Keep(ctx, f)
}

// Limit is the largest file kept, in bytes.
func (in *Intake) Limit() int64 { return in.cfg.Files.Limit }

// Take records a file m sent as a transfer proof and shows it to the
// officers with what is due and the buttons to book it; it returns what to
// tell the member. Without a clear amount the member is asked what the
// transfer was for.
func (in *Intake) Take(ctx context.Context, tx *sql.Tx, m member.Member, msgID, caption string, a channel.Attachment, now time.Time) (string, error) {
	if !IsProof(a) {
		return in.cfg.Msgs.T(m.Lang, "payment.proof.bad_type", nil), nil
	}
	r := Read(caption)
	p, fresh, err := Record(ctx, tx, Proof{MemberID: m.ID, MessageID: msgID, File: a, Caption: caption, Reading: r, ReceivedAt: now})
	if err != nil || !fresh {
		return in.cfg.Msgs.T(m.Lang, "payment.proof.received", nil), err
	}
	due, err := DueNow(ctx, tx, m.ID, now, in.cfg.Wajib)
	if err != nil {
		return "", err
	}
	if err := in.announce(ctx, tx, m, p, due, "payment.card", "", now); err != nil {
		return "", err
	}
	said := in.cfg.Msgs.T(m.Lang, "payment.proof.received", nil)
	if r.Amount.IsPositive() || r.Months > 0 {
		return said, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE payment_proofs SET asked_at = ? WHERE id = ?`, store.Stamp(now), p.ID); err != nil {
		return "", fmt.Errorf("ask purpose of %s: %w", p.Ref(), err)
	}
	return said + "\n\n" + in.cfg.Msgs.T(m.Lang, "payment.proof.ask", map[string]any{
		"Choices": in.choiceLines(m.Lang, choices(due))}), nil
}

// Clarify takes text as the member's answer to "untuk apa transfer ini?"
// when a proof of theirs awaits one. done is false when none does, or the
// text says nothing about a transfer, so the dialog answers it instead.
func (in *Intake) Clarify(ctx context.Context, tx *sql.Tx, m member.Member, text string, now time.Time) (string, bool, error) {
	p, err := proofWhere(ctx, tx, `member_id = ? AND status = 'pending' AND asked_at IS NOT NULL AND asked_at >= ?
		ORDER BY id DESC LIMIT 1`, m.ID, store.Stamp(now.Add(-AskWait)))
	if errors.Is(err, ErrNoProof) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	due, err := DueNow(ctx, tx, m.ID, now, in.cfg.Wajib)
	if err != nil {
		return "", false, err
	}
	r, ok := answer(text, choices(due))
	if !ok {
		return "", false, nil
	}
	var amount any
	if r.Amount.IsPositive() {
		amount = r.Amount.IntPart()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE payment_proofs SET purpose = ?, amount = ?, asked_at = NULL WHERE id = ?`,
		string(r.Purpose), amount, p.ID); err != nil {
		return "", false, fmt.Errorf("clarify %s: %w", p.Ref(), err)
	}
	p.Reading = r
	if err := in.announce(ctx, tx, m, p, due, "payment.card.clarified", text, now); err != nil {
		return "", false, err
	}
	return in.cfg.Msgs.T(m.Lang, "payment.proof.clarified", map[string]any{"Ref": p.Ref()}), true, nil
}

// choice is one answer to "untuk apa transfer ini?".
type choice struct {
	Purpose Purpose
	Amount  decimal.Decimal // what is due for it; zero for sukarela
	Ref     string          // the loan, for an angsuran
}

// choices are what the member may be paying, in the order they are offered.
func choices(d Due) []choice {
	var cs []choice
	if d.Loan != nil {
		cs = append(cs, choice{Purpose: Angsuran, Amount: d.Installment, Ref: d.Loan.Ref})
	}
	if d.Wajib.IsPositive() {
		cs = append(cs, choice{Purpose: Wajib, Amount: d.Wajib})
	}
	return append(cs, choice{Purpose: Sukarela})
}

// answer reads the member's answer: a choice's number, or words Read
// understands ("sukarela 200rb").
func answer(text string, cs []choice) (Reading, bool) {
	if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
		if n < 1 || n > len(cs) {
			return Reading{}, false
		}
		c := cs[n-1]
		return Reading{Purpose: c.Purpose, Amount: c.Amount}, true
	}
	r := Read(text)
	return r, r.Purpose != "" || r.Amount.IsPositive()
}

func (in *Intake) choiceLines(lang string, cs []choice) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = in.cfg.Msgs.T(lang, choiceIDs[c.Purpose], map[string]any{"No": i + 1,
			"Ref": c.Ref, "Amount": money.Format(c.Amount, lang)})
	}
	return strings.Join(lines, "\n")
}

// announce shows p to the officers: the file, the member, what they wrote,
// what is due now, and the buttons.
func (in *Intake) announce(ctx context.Context, q store.Queryer, m member.Member, p Proof, due Due, id, said string, now time.Time) error {
	msgs, lang := in.cfg.Msgs, groupLang
	read := msgs.T(lang, "payment.card.read_none", nil)
	if p.Amount.IsPositive() || p.Purpose != "" {
		read = msgs.T(lang, "payment.card.read", map[string]any{"Purpose": in.purposeName(lang, p.Purpose),
			"Amount": amountOrDash(p.Amount, lang)})
	}
	text := msgs.T(lang, id, map[string]any{"Ref": p.Ref(), "Member": markup.Escape(m.Name), "Number": m.Number,
		"Phone": m.Phone, "Caption": markup.Escape(orDash(p.Caption)), "Said": markup.Escape(said), "Read": read,
		"Due": in.dueLines(lang, due)})
	file := p.File
	_, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: in.cfg.Group.Channel, Chat: in.cfg.Group.Chat,
		Text: text, Buttons: in.buttons(lang, p, due), Attachment: &file}}, now)
	if err != nil {
		return fmt.Errorf("show %s to the officers: %w", p.Ref(), err)
	}
	return nil
}

func (in *Intake) dueLines(lang string, d Due) string {
	var lines []string
	if d.Loan != nil {
		lines = append(lines, in.cfg.Msgs.T(lang, "payment.card.due.loan", map[string]any{"Ref": d.Loan.Ref,
			"Amount": money.Format(d.Installment, lang), "Denda": money.Format(d.Loan.Denda, lang),
			"Days": d.Loan.OverdueDays}))
	}
	if d.Wajib.IsPositive() {
		lines = append(lines, in.cfg.Msgs.T(lang, "payment.card.due.wajib", map[string]any{"Amount": money.Format(d.Wajib, lang)}))
	}
	if len(lines) == 0 {
		return in.cfg.Msgs.T(lang, "payment.card.due.none", nil)
	}
	return strings.Join(lines, "\n")
}

// Button data: "bt:<verb>:<id>[:<amount>]". The amount is the one the
// button's label shows, so the press books what the officer read.
const (
	verbAngsuran = "a"
	verbWajib    = "w"
	verbSukarela = "s"
	verbPokok    = "p"
	verbOther    = "x"
	verbReject   = "t"
)

var verbPurpose = map[string]Purpose{verbAngsuran: Angsuran, verbWajib: Wajib, verbSukarela: Sukarela, verbPokok: Pokok}

// Press is a press of a proof's button, read back.
type Press struct {
	ProofID int64
	// Purpose and Amount are set for a booking button.
	Purpose Purpose
	Amount  decimal.Decimal
	// Other asks how to type another amount; Reject asks for the reason.
	Other, Reject bool
}

// ParsePress reads a proof button's data; ok is false for anything else.
func ParsePress(data string) (Press, bool) {
	parts := strings.Split(data, ":")
	if len(parts) < 3 || parts[0] != "bt" || len(data) > 64 {
		return Press{}, false
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		return Press{}, false
	}
	p := Press{ProofID: id}
	switch verb := parts[1]; {
	case verb == verbOther && len(parts) == 3:
		p.Other = true
	case verb == verbReject && len(parts) == 3:
		p.Reject = true
	case verbPurpose[verb] != "" && len(parts) == 4:
		n, err := strconv.ParseInt(parts[3], 10, 64)
		if err != nil || n <= 0 {
			return Press{}, false
		}
		p.Purpose, p.Amount = verbPurpose[verb], money.FromRupiah(n)
	default:
		return Press{}, false
	}
	return p, true
}

// RejectData is the data of a proof's Tolak button, which every card of
// the proof carries: by it the cards are found to take their buttons away.
func RejectData(id int64) string { return pressData(verbReject, id, decimal.Zero) }

func pressData(verb string, id int64, amount decimal.Decimal) string {
	d := "bt:" + verb + ":" + strconv.FormatInt(id, 10)
	if amount.IsPositive() {
		d += ":" + amount.StringFixed(0)
	}
	return d
}

// buttons are Catat angsuran · Catat simpanan … (each when an amount is
// known for it) · Jumlah lain · Tolak.
func (in *Intake) buttons(lang string, p Proof, d Due) [][]channel.Button {
	var book []channel.Button
	loanAmount := d.Installment
	if p.Amount.IsPositive() && (p.Purpose == "" || p.Purpose == Angsuran) {
		loanAmount = p.Amount
	}
	if d.Loan != nil && loanAmount.IsPositive() && (p.Purpose == "" || p.Purpose == Angsuran) {
		book = append(book, channel.Button{Text: in.cfg.Msgs.T(lang, "payment.button.angsuran",
			map[string]any{"Amount": money.Format(loanAmount, lang)}), Data: pressData(verbAngsuran, p.ID, loanAmount)})
	}
	if purpose, amount := in.savingsOffer(p, d); amount.IsPositive() {
		book = append(book, channel.Button{Text: in.cfg.Msgs.T(lang, "payment.button.savings", map[string]any{
			"Kind": in.purposeName(lang, purpose), "Amount": money.Format(amount, lang)}),
			Data: pressData(purposeVerb(purpose), p.ID, amount)})
	}
	rows := [][]channel.Button{}
	for _, b := range book {
		rows = append(rows, []channel.Button{b})
	}
	return append(rows, []channel.Button{
		{Text: in.cfg.Msgs.T(lang, "payment.button.other", nil), Data: pressData(verbOther, p.ID, decimal.Zero)},
		{Text: in.cfg.Msgs.T(lang, "payment.button.reject", nil), Data: pressData(verbReject, p.ID, decimal.Zero)},
	})
}

// savingsOffer is the savings booking a proof suggests: the savings the
// member named, or wajib when this month's is open, or sukarela for an
// amount with no loan to pay; the amount read, or the months of wajib
// named, or the wajib due.
func (in *Intake) savingsOffer(p Proof, d Due) (Purpose, decimal.Decimal) {
	purpose := p.Purpose
	switch {
	case purpose == Angsuran:
		return "", decimal.Zero
	case purpose != "":
	case p.Months > 0 || (d.Wajib.IsPositive() && (p.Amount.IsZero() || p.Amount.Equal(d.Wajib))):
		purpose = Wajib
	case p.Amount.IsPositive() && d.Loan == nil:
		purpose = Sukarela
	default:
		return "", decimal.Zero
	}
	switch {
	case p.Amount.IsPositive():
		return purpose, p.Amount
	case purpose == Wajib && p.Months > 0:
		return purpose, in.cfg.Wajib.Mul(decimal.NewFromInt(int64(p.Months)))
	case purpose == Wajib:
		return purpose, d.Wajib
	}
	return "", decimal.Zero
}

func purposeVerb(p Purpose) string {
	for v, pp := range verbPurpose {
		if pp == p {
			return v
		}
	}
	return ""
}

// The message ids of purposes, choices and statuses, spelled out so the
// locale test finds each in code.
var (
	purposeIDs = map[Purpose]string{"": "payment.purpose.unknown", Angsuran: "payment.purpose.angsuran",
		Wajib: "payment.purpose.wajib", Sukarela: "payment.purpose.sukarela", Pokok: "payment.purpose.pokok"}
	choiceIDs = map[Purpose]string{Angsuran: "payment.proof.choice.angsuran", Wajib: "payment.proof.choice.wajib",
		Sukarela: "payment.proof.choice.sukarela"}
	statusIDs = map[Status]string{Pending: "payment.status.pending", Posted: "payment.status.posted",
		Rejected: "payment.status.rejected"}
)

// PurposeID is the message id that names p.
func PurposeID(p Purpose) string { return purposeIDs[p] }

// StatusID is the message id that names s.
func StatusID(s Status) string { return statusIDs[s] }

func (in *Intake) purposeName(lang string, p Purpose) string {
	return in.cfg.Msgs.T(lang, PurposeID(p), nil)
}

func amountOrDash(d decimal.Decimal, lang string) string {
	if d.IsPositive() {
		return money.Format(d, lang)
	}
	return "-"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
