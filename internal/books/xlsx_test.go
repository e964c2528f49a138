package books

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/savings"
	"github.com/xuri/excelize/v2"
)

func TestWorkbooksShowInputsAndFormulas(t *testing.T) {
	t.Parallel()
	db := open(t)
	deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 11, 2))
	deposit(t, db, 1, savings.Sukarela, 250_000, day(2026, 11, 3))
	journal(t, db, "adm", "4103", 15_000, day(2026, 11, 4))
	journal(t, db, "atk", "5202", 40_000, day(2026, 11, 5))
	ctx := context.Background()
	c := DefaultChart()
	n, err := NeracaAt(ctx, db.R, c, day(2026, 11, 30))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := LabaRugiFor(ctx, db.R, c, day(2026, 11, 1), day(2026, 11, 30))
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"neraca":   func(b *bytes.Buffer) error { return WriteNeraca(b, "Kopmem", n) },
		"labarugi": func(b *bytes.Buffer) error { return WriteLabaRugi(b, "Kopmem", lr) },
		"saldo":    func(b *bytes.Buffer) error { return WriteSaldo(b, "Kopmem", n.Balances) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows, err := f.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		formulas := 0
		for r := range rows {
			for _, col := range []string{"C", "D"} {
				if fm, _ := f.GetCellFormula("Sheet1", col+strconv.Itoa(r+1)); fm != "" {
					formulas++
				}
			}
		}
		if formulas == 0 {
			t.Errorf("%s: no formulas", name)
		}
		last := rows[len(rows)-1]
		want := map[string]string{"neraca": "0", "labarugi": "-25000", "saldo": "365000"}[name]
		if got := strings.ReplaceAll(last[2], ",", ""); got != want {
			t.Errorf("%s: last total %q, want %q (rows %q)", name, got, want, rows)
		}
	}
}
