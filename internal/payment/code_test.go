package payment_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/payment"
)

var wib = time.FixedZone("WIB", 7*3600)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// coop is an empty cooperative on a real SQLite file with n members.
func coop(t *testing.T, n int) (*app.App, []member.Member) {
	t.Helper()
	a, err := app.Open(context.Background(), filepath.Join(t.TempDir(), "k.db"),
		app.Options{Clock: clock.NewManual(time.Date(2026, 12, 1, 10, 0, 0, 0, wib)), Location: wib})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ms := make([]member.Member, n)
	write(t, a, func(tx *sql.Tx) error {
		for i := range ms {
			if ms[i], err = member.Create(context.Background(), tx, member.Member{Number: fmt.Sprintf("A-%04d", i+1),
				Name: fmt.Sprintf("Anggota %d", i+1), Phone: fmt.Sprintf("628120000%04d", i+1),
				JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
				return err
			}
		}
		return nil
	})
	return a, ms
}

func write(t *testing.T, a *app.App, fn func(tx *sql.Tx) error) {
	t.Helper()
	if err := a.DB.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func codeFor(t *testing.T, a *app.App, m member.Member, due payment.Due, now time.Time) (payment.Code, error) {
	t.Helper()
	var c payment.Code
	err := a.DB.Write(context.Background(), func(tx *sql.Tx) error {
		var err error
		c, err = payment.CodeFor(context.Background(), tx, m.ID, due, now, 3)
		return err
	})
	return c, err
}

// Every open code of one base amount has its own transfer amount; once all
// 999 are taken there is none, until the codes' days have passed.
func TestCodesAreUniqueAndExpire(t *testing.T) {
	t.Parallel()
	a, ms := coop(t, payment.MaxCode+2)
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, wib)
	due := payment.Due{Wajib: rp(100_000)}
	seen := map[string]int{}
	// One transaction for the lot: 999 commits would only test the disk.
	var codes []payment.Code
	write(t, a, func(tx *sql.Tx) error {
		for _, m := range ms[:payment.MaxCode] {
			c, err := payment.CodeFor(context.Background(), tx, m.ID, due, day, 3)
			if err != nil {
				return err
			}
			codes = append(codes, c)
		}
		return nil
	})
	for i, c := range codes {
		switch {
		case c.Code < 1 || c.Code > payment.MaxCode || !c.Amount.Equal(rp(100_000+int64(c.Code))):
			t.Fatalf("member %d: code %d, amount %s", i, c.Code, c.Amount)
		case c.ValidUntil.Format(time.DateOnly) != "2026-12-04":
			t.Fatalf("valid until %s, want 2026-12-04 (three days after the day asked)", c.ValidUntil)
		}
		if j, dup := seen[c.Amount.String()]; dup {
			t.Fatalf("members %d and %d both transfer %s", j, i, c.Amount)
		}
		seen[c.Amount.String()] = i
	}
	// Asked again the same day for the same amounts: the same code.
	first, _ := codeFor(t, a, ms[0], due, day.Add(5*time.Hour))
	if again, err := codeFor(t, a, ms[0], due, day.Add(6*time.Hour)); err != nil || again.ID != first.ID {
		t.Fatalf("asked twice: %+v, %v; want code %d again", again, err, first.ID)
	}
	// Another base amount has codes of its own.
	if c, err := codeFor(t, a, ms[payment.MaxCode], payment.Due{Wajib: rp(150_000)}, day); err != nil || c.Base.IntPart() != 150_000 {
		t.Fatalf("another base: %+v, %v", c, err)
	}
	if _, err := codeFor(t, a, ms[payment.MaxCode+1], due, day); !errors.Is(err, payment.ErrNoCode) {
		t.Fatalf("the 1000th code of one amount: %v, want ErrNoCode", err)
	}
	// The last valid day still holds the amounts; the day after frees them.
	if _, err := codeFor(t, a, ms[payment.MaxCode+1], due, time.Date(2026, 12, 4, 23, 59, 0, 0, wib)); !errors.Is(err, payment.ErrNoCode) {
		t.Fatalf("on the codes' last day: %v, want ErrNoCode", err)
	}
	later := time.Date(2026, 12, 5, 0, 1, 0, 0, wib)
	if c, err := codeFor(t, a, ms[payment.MaxCode+1], due, later); err != nil || c.ValidUntil.Format(time.DateOnly) != "2026-12-08" {
		t.Fatalf("after the codes expired: %+v, %v", c, err)
	}
	if c, err := codeFor(t, a, ms[0], due, later); err != nil || c.ID == first.ID {
		t.Fatalf("member 0 after their code expired: %+v, %v; want a new code", c, err)
	}
	// Nothing due: no code.
	if _, err := codeFor(t, a, ms[1], payment.Due{}, later); !errors.Is(err, payment.ErrAmount) {
		t.Fatalf("nothing due: %v, want ErrAmount", err)
	}
}

// A statement line matches the code whose amount it has and whose days
// include its date, once.
func TestImportMatchesByAmountAndDate(t *testing.T) {
	t.Parallel()
	a, ms := coop(t, 2)
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, wib)
	c0, err0 := codeFor(t, a, ms[0], payment.Due{Wajib: rp(100_000)}, day)
	c1, err1 := codeFor(t, a, ms[1], payment.Due{Wajib: rp(100_000)}, day)
	if err0 != nil || err1 != nil {
		t.Fatal(err0, err1)
	}
	acct := payment.BankAccount{Bank: "Mandiri", Ledger: "BANK-MANDIRI", Layout: payment.Presets["mandiri"]}
	file := "Tanggal;Keterangan;Debit;Kredit\n" +
		"30/11/2026;before the code;0;" + c0.Amount.String() + "\n" +
		"05/12/2026;after its last day;0;" + c0.Amount.String() + "\n" +
		"04/12/2026;on its last day;0;" + c1.Amount.String() + "\n" +
		"04/12/2026;the same amount again;0;" + c1.Amount.String() + "\n" +
		"02/12/2026;cents;0;" + c0.Amount.String() + ",50\n"
	st, err := payment.ReadStatement(strings.NewReader(file), acct, wib)
	if err != nil {
		t.Fatal(err)
	}
	var res payment.ImportResult
	write(t, a, func(tx *sql.Tx) error {
		res, err = a.Payments.Import(context.Background(), tx, acct, st, day)
		return err
	})
	if len(res.Proposed) != 1 || res.Proposed[0].Description != "on its last day" || res.Proposed[0].CodeID != c1.ID {
		t.Fatalf("proposed %+v, want only the line on c1's last day", res.Proposed)
	}
	var unmatched []string
	for _, l := range res.Unmatched {
		unmatched = append(unmatched, l.Description)
	}
	if got := strings.Join(unmatched, "|"); got != "before the code|after its last day|the same amount again" {
		t.Fatalf("unmatched %s", got)
	}
	// Cents are no Rupiah amount a code can have: the line is listed as
	// unreadable.
	if len(res.Errors) != 1 || res.Errors[0].Line != 6 {
		t.Fatalf("errors %v, want line 6", res.Errors)
	}
	// A matched code's amount stays taken until it is decided.
	if c, err := codeFor(t, a, ms[1], payment.Due{Wajib: rp(100_000)}, day); err != nil || c.ID == c1.ID || c.Amount.Equal(c1.Amount) {
		t.Fatalf("after the match: %+v, %v; want a new code with another amount", c, err)
	}
}
