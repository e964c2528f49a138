package officer_test

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/payment"
)

// bca is the cooperative's account at BCA, whose statements export in the
// bca layout.
var bca = payment.BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Kopmem Sejahtera", Ledger: "BANK-BCA",
	Layout: payment.Presets["bca"]}

func withBank(o *app.Options) { o.Payments.Banks = []payment.BankAccount{bca} }

// codeAmount reads "transfer tepat RpX" from the instructions.
var codeAmount = regexp.MustCompile(`transfer tepat (Rp[0-9.]+)\*`)

func TestPayInstructions(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withBank)
	// Nothing due: how to save, with the account.
	contains(t, "nothing due", one(t, "to Siti", toSiti(e.sitiSays("bayar"))).Text, "tidak ada angsuran",
		"*BCA* 1234567890 a.n. Kopmem Sejahtera")
	ref := e.withLoan()
	e.clk.Set(time.Date(2026, 12, 28, 9, 0, 0, 0, wib))
	said := one(t, "to Siti", toSiti(e.sitiSays("transfer kemana ya bu"))).Text
	contains(t, "instructions", said, "Angsuran pinjaman "+ref+": Rp1.180.000", "*BCA* 1234567890", "31/12/2026",
		"simpanan sukarela")
	m := codeAmount.FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("no amount to transfer in %q", said)
	}
	if m[1] == "Rp1.180.000" || !strings.HasPrefix(m[1], "Rp1.180.") {
		t.Fatalf("transfer %s: want Rp1.180.000 plus a code of 1 to 999", m[1])
	}
	// Asked again, the same amount: the member is not given a new number.
	if again := one(t, "again", toSiti(e.sitiSays("cara bayar gimana"))).Text; !strings.Contains(again, m[1]) {
		t.Fatalf("asked again: %q, want %s again", again, m[1])
	}
	// In English too.
	e.sitiSays("bahasa")
	e.sitiSays("2")
	code := m[1][len(m[1])-3:]
	contains(t, "english", one(t, "en", toSiti(e.sitiSays("pay"))).Text, "transfer exactly Rp1,180,"+code,
		"unique code "+code, "holder Kopmem Sejahtera")
}

func TestPayAtTheOfficeWithoutABank(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ref := e.withLoan()
	e.clk.Set(time.Date(2026, 12, 28, 9, 0, 0, 0, wib))
	said := one(t, "to Siti", toSiti(e.sitiSays("bayar"))).Text
	contains(t, "office", said, ref, "*Rp1.180.000*", "kantor koperasi")
	if strings.Contains(said, "kode unik") {
		t.Fatalf("a code without an account to transfer to: %q", said)
	}
	var codes int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM payment_codes`).Scan(&codes); err != nil || codes != 0 {
		t.Fatalf("codes = %d, %v; want none", codes, err)
	}
}

// A transfer proof is money in the bank: with a bank account configured it
// is booked there, not to the cash box.
func TestProofBookedToTheBank(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		adjust func(*app.Options)
		debit  string
	}{{"with a bank", withBank, "BANK-BCA"}, {"without", nil, "KAS"}} {
		e := newEnvWith(t, tc.adjust)
		card := one(t, "card", toGroup(e.sendFile("WA-B1", channel.Image, slip, "sukarela 75.000")))
		e.press(budi, button(t, card, "Catat simpanan sukarela Rp75.000").Data, "900")
		var debit string
		if err := e.a.DB.R.QueryRow(`SELECT a.code FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
			JOIN ledger_transactions x ON x.id = p.tx_id WHERE x.idem_key = 'proof:BT-1' AND p.amount > 0`).Scan(&debit); err != nil ||
			debit != tc.debit {
			t.Errorf("%s: debited %q, %v; want %s", tc.name, debit, err, tc.debit)
		}
		e.check()
	}
}

// payCode has Siti ask how to pay on 28/12/2026 and returns the exact
// amount she is told to transfer, in statement form (1180419).
func (e *env) payCode() string {
	e.t.Helper()
	e.clk.Set(time.Date(2026, 12, 28, 9, 0, 0, 0, wib))
	said := one(e.t, "to Siti", toSiti(e.sitiSays("bayar"))).Text
	m := codeAmount.FindStringSubmatch(said)
	if m == nil {
		e.t.Fatalf("no amount to transfer in %q", said)
	}
	return strings.NewReplacer("Rp", "", ".", "").Replace(m[1])
}

// importBCA imports a KlikBCA statement holding lines ("date,desc,amount
// CR|DB") and returns the result with what it sent.
func (e *env) importBCA(lines ...string) (payment.ImportResult, []channel.Reply) {
	e.t.Helper()
	file := "Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n" + strings.Join(lines, "\n") + "\n"
	st, err := payment.ReadStatement(strings.NewReader(file), bca, wib)
	if err != nil {
		e.t.Fatal(err)
	}
	var res payment.ImportResult
	e.write(func(tx *sql.Tx) error {
		res, err = e.a.Payments.Import(context.Background(), tx, bca, st, e.clk.Now())
		return err
	})
	return res, e.drain()
}

// postingsTo sums what ledger transactions with keys like key moved on
// account code.
func (e *env) postingsTo(code, key string) int64 {
	e.t.Helper()
	var sum int64
	if err := e.a.DB.R.QueryRow(`SELECT coalesce(sum(p.amount), 0) FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
		JOIN ledger_transactions x ON x.id = p.tx_id WHERE a.code = ? AND x.idem_key LIKE ?`, code, key).Scan(&sum); err != nil {
		e.t.Fatal(err)
	}
	return sum
}

func TestBankStatementLineBookedOnce(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withBank)
	ref := e.withLoan()
	amount := e.payCode()
	code, _ := strconv.Atoi(amount[len(amount)-3:])
	statement := []string{
		"29/12/2026,TRSF E-BANKING CR SITI AMINAH,0000," + amount + ".00 CR,0",
		"29/12/2026,TRSF E-BANKING CR TANPA KODE,0000,\"250,000.00 CR\",0",
		"29/12/2026,BIAYA ADM,0000,\"10,000.00 DB\",0",
	}
	res, rs := e.importBCA(statement...)
	if len(res.Proposed) != 1 || len(res.Unmatched) != 1 || res.Debits != 1 || res.Unmatched[0].Amount.IntPart() != 250_000 {
		t.Fatalf("import: %+v", res)
	}
	card := one(t, "card", toGroup(rs))
	contains(t, "card", card.Text, "MB-1", "Siti", "A-0001", "Angsuran pinjaman "+ref+": Rp1.180.000",
		"Kode unik, ke simpanan sukarela: Rp"+strconv.Itoa(code), "TRSF E-BANKING CR SITI AMINAH")
	if len(toSiti(rs)) != 0 || e.postingsTo("BANK-BCA", "%") != 0 {
		t.Fatalf("the import told the member or posted: %+v", rs)
	}
	// The same statement again proposes nothing.
	if res, rs := e.importBCA(statement...); len(res.Proposed) != 0 || res.Known != 1 || len(toGroup(rs)) != 0 {
		t.Fatalf("imported twice: %+v, %+v", res, rs)
	}

	before := e.counts()
	notice, rs := e.press(budi, button(t, card, "Catat").Data, "950")
	contains(t, "notice", notice, "MB-1 dicatat")
	var loanReceipt, codeReceipt bool
	for _, r := range toSiti(rs) {
		loanReceipt = loanReceipt || strings.Contains(r.Text, "Kuitansi angsuran "+ref)
		codeReceipt = codeReceipt || strings.Contains(r.Text, "Setoran simpanan") && strings.Contains(r.Text, "Rp"+strconv.Itoa(code))
	}
	if !loanReceipt || !codeReceipt {
		t.Fatalf("receipts: %+v", toSiti(rs))
	}
	contains(t, "group", joinReplies(toGroup(rs)), "MB-1", "dicatat oleh Budi")
	// Pressed again, by anyone: posted once.
	for _, who := range []string{budi, rina} {
		notice, rs := e.press(who, button(t, card, "Catat").Data, "950")
		if len(toSiti(rs)) != 0 || !strings.Contains(notice, "sudah dicatat oleh Budi") {
			t.Fatalf("pressed again by %s: %q %+v", who, notice, rs)
		}
	}
	if got := e.counts(); got.payments != before.payments+1 {
		t.Fatalf("loan payments %d → %d", before.payments, got.payments)
	}
	// All of it is in the bank account; the code's Rupiah are sukarela.
	if in := e.postingsTo("BANK-BCA", "%"+res.Proposed[0].Key+"%"); strconv.FormatInt(in, 10) != amount {
		t.Fatalf("BANK-BCA received %d, want %s", in, amount)
	}
	if kas := e.postingsTo("KAS", "%"+res.Proposed[0].Key+"%"); kas != 0 {
		t.Fatalf("KAS moved %d for a transfer", kas)
	}
	if s := e.postingsTo("SIMP-SUKARELA-A-0001", res.Proposed[0].Key+":sukarela"); s != -int64(code) {
		t.Fatalf("sukarela credited %d, want %d", -s, code)
	}
	e.check()
}

func TestBankStatementLineRejected(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withBank)
	e.withLoan()
	amount := e.payCode()
	line := "29/12/2026,TRSF DARI ORANG LAIN,0000," + amount + ".00 CR,0"
	_, rs := e.importBCA(line)
	card := one(t, "card", toGroup(rs))
	before := e.counts()
	notice, rs := e.press(rina, button(t, card, "Bukan").Data, "960")
	contains(t, "notice", notice, "MB-1 tidak dicatat")
	if len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatalf("a rejected line posted or told the member: %+v", rs)
	}
	if notice, _ := e.press(budi, button(t, card, "Catat").Data, "960"); !strings.Contains(notice, "sudah ditolak oleh Rina") {
		t.Fatalf("booking after the rejection: %q", notice)
	}
	// The code is open again: Siti's own transfer the next day matches.
	res, _ := e.importBCA(line, "30/12/2026,TRSF SITI AMINAH,0000,"+amount+".00 CR,0")
	if len(res.Proposed) != 1 || res.Known != 1 || res.Proposed[0].Description != "TRSF SITI AMINAH" {
		t.Fatalf("after the rejection: %+v", res)
	}
	e.check()
}

// Above the deposit limit a statement line, like a proof, is booked only
// once a second officer confirms; the maker cannot confirm it.
func TestBankStatementLineAboveTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(o *app.Options) {
		withBank(o)
		o.Duties = duty.Rules{DepositLimit: rp(1_000_000), Ceiling: rp(100_000_000), Pokok: rp(100_000)}
	})
	e.withLoan()
	amount := e.payCode()
	_, rs := e.importBCA("29/12/2026,TRSF SITI,0000," + amount + ".00 CR,0")
	card := one(t, "card", toGroup(rs))
	before := e.counts()
	notice, rs := e.press(budi, button(t, card, "Catat").Data, "970")
	contains(t, "proposed", notice+joinReplies(rs), "menunggu konfirmasi")
	if len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatalf("posted before a second officer confirmed: %+v", rs)
	}
	confirm := confirmButton(t, rs)
	if _, rs := e.press(budi, confirm, "971"); len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatal("the maker confirmed their own booking")
	}
	_, rs = e.press(rina, confirm, "971")
	if len(toSiti(rs)) != 2 {
		t.Fatalf("receipts after confirmation: %+v", toSiti(rs))
	}
	if notice, _ := e.press(wati, button(t, card, "Catat").Data, "970"); !strings.Contains(notice, "Rina") {
		t.Fatalf("the card after confirmation: %q", notice)
	}
	e.check()
}

// The line's card goes out through the real Telegram adapter with its two
// buttons; two officers press Catat, one books it, the other is told, and
// the card loses its buttons.
func TestBankStatementLineThroughTelegram(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withBank)
	e.withLoan()
	amount := e.payCode()
	srv, deliver := e.runBot()
	ctx := context.Background()
	st, err := payment.ReadStatement(strings.NewReader("Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n29/12/2026,TRSF SITI,0000,"+
		amount+".00 CR,0\n"), bca, wib)
	if err != nil {
		t.Fatal(err)
	}
	e.write(func(tx *sql.Tx) error {
		_, err := e.a.Payments.Import(ctx, tx, bca, st, e.clk.Now())
		return err
	})
	deliver()
	card := srv.WaitSent(1, 5*time.Second)[0]
	groupID, _ := strconv.ParseInt(group, 10, 64)
	if card.ChatID != groupID || card.ReplyMarkup == nil || len(card.ReplyMarkup.InlineKeyboard) != 1 ||
		len(card.ReplyMarkup.InlineKeyboard[0]) != 2 || !strings.Contains(card.Text, "MB-1") {
		t.Fatalf("card %+v", card)
	}
	book := card.ReplyMarkup.InlineKeyboard[0][0].CallbackData
	for _, who := range []string{budi, rina} {
		id, _ := strconv.ParseInt(who, 10, 64)
		srv.PushCallback(groupID, id, card.MessageID, book)
	}
	answered := srv.WaitAnswered(2, 5*time.Second)
	if !strings.Contains(answered[0].Text, "MB-1 dicatat") || !strings.Contains(answered[1].Text, "sudah dicatat oleh Budi") {
		t.Fatalf("answers %+v", answered)
	}
	deliver()
	if ed := srv.WaitEdits(1, 5*time.Second)[0]; ed.MessageID != card.MessageID || (ed.ReplyMarkup != nil && len(ed.ReplyMarkup.InlineKeyboard) != 0) {
		t.Fatalf("edit %+v, want the card's buttons removed", ed)
	}
	if receipts := toSiti(e.drain()); len(receipts) != 2 {
		t.Fatalf("receipts to Siti: %+v, want the installment's and the code's", receipts)
	}
	var lines int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM ledger_transactions WHERE idem_key LIKE '%' || ? || '%'`, st.Credits[0].Key).
		Scan(&lines); err != nil || lines != 2 {
		t.Fatalf("ledger transactions of the line: %d, %v; want 2 (installment, sukarela)", lines, err)
	}
	e.check()
}
