package officer_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
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
