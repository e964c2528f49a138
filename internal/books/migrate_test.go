package books

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// firstOnly is s with only its first migration, as a database written before
// the journal moved into duty has it.
func firstOnly(t *testing.T, s store.Schema) store.Schema {
	t.Helper()
	files, err := fs.Glob(s.FS, "0001_*.sql")
	if err != nil || len(files) != 1 {
		t.Fatalf("%s: %v %v", s.Name, files, err)
	}
	body, err := fs.ReadFile(s.FS, files[0])
	if err != nil {
		t.Fatal(err)
	}
	return store.Schema{Name: s.Name, FS: fstest.MapFS{files[0]: {Data: body}}}
}

// TestJournalTableMovesIntoDuty opens a database whose journal entries
// were kept in books_journal — one posted alone, one approved by a second
// officer, one still waiting — with the migrations of today: the waiting
// one is approved through duty and posts, the approved one keeps its
// checker and transaction, nothing posted changes.
func TestJournalTableMovesIntoDuty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	old, err := store.Open(ctx, path, store.Options{}, member.Schema, ledger.Schema, savings.Schema,
		firstOnly(t, duty.Schema), firstOnly(t, Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultChart()
	err = old.Write(ctx, func(tx *sql.Tx) error {
		for _, code := range []string{"1101", "5201", "5202"} {
			a, _ := c.Account(code)
			if _, err := ledger.EnsureAccount(ctx, tx, a.Code, a.Name, a.Type); err != nil {
				return err
			}
		}
		var ids []int64
		for _, e := range []struct {
			key, account string
			amount       int64
		}{{"listrik", "5202", 150_000}, {"gaji", "5201", 6_000_000}} {
			p, err := ledger.Post(ctx, tx, ledger.Entry{Key: "journal:" + e.key, Kind: KindJournal, ValueDate: day(2026, 11, 25),
				Actor: "1001", Memo: e.key, Postings: []ledger.Posting{{Account: "1101", Amount: rp(-e.amount)},
					{Account: e.account, Amount: rp(e.amount)}}})
			if err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO books_journal (idem_key, account, via, amount, value_date, memo, made_by, made_at, approved_by, tx_id) VALUES
			('listrik', '5202', '1101', 150000, '2026-11-25', 'listrik', '1001', '2026-11-25T02:00:00.000000000Z', '1001', ?),
			('gaji', '5201', '1101', 6000000, '2026-11-25', 'gaji', '1001', '2026-11-25T02:01:00.000000000Z', '1002', ?),
			('sewa', '5202', '1101', 7000000, '2026-11-26', 'sewa kantor', '1001', '2026-11-26T02:00:00.000000000Z', NULL, NULL)`, ids[0], ids[1])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Read from the ledger: the books' statements read tables of today's
	// schema.
	before, err := ledger.Balances(ctx, old.R, "1101", "5201")
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := store.Open(ctx, path, store.Options{}, member.Schema, ledger.Schema, savings.Schema, duty.Schema, Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if got := neraca(t, db, day(2026, 11, 30)); !got.Get("1101").Equal(before["1101"]) || !got.Get("5201").Equal(before["5201"]) {
		t.Fatalf("the migration moved money: kas %s → %s", before["1101"], got.Get("1101"))
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'books_journal'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("books_journal still there (%d, %v)", n, err)
	}
	rows := map[string]duty.Proposal{}
	for id := int64(1); ; id++ {
		p, err := duty.ProposalByID(ctx, db.R, id)
		if err != nil {
			break
		}
		rows[p.Key] = p
	}
	if len(rows) != 2 {
		t.Fatalf("proposals after the migration: %+v, want gaji and sewa", rows)
	}
	gaji := rows["journal:gaji"]
	if gaji.Status != duty.StatusConfirmed || gaji.Checker != "1002" || gaji.TxID == 0 || gaji.MemberID != 0 {
		t.Errorf("approved entry became %+v", gaji)
	}
	sewa := rows["journal:sewa"]
	j, err := Entry(ctx, db.R, sewa.ID)
	if err != nil || sewa.Status != duty.StatusOpen || j.Account != "5202" || j.Via != "1101" || j.Memo != "sewa kantor" ||
		!j.Date.Equal(day(2026, 11, 26)) || !j.Amount.Equal(rp(7_000_000)) || j.Officer != "1001" {
		t.Fatalf("waiting entry became %+v / %+v, %v", sewa, j, err)
	}
	done := write(t, db, func(tx *sql.Tx) (JournalResult, error) { return Approve(ctx, tx, c, sewa.ID, "1002", day(2026, 12, 2)) })
	if !done.Posted {
		t.Fatalf("approving the migrated entry: %+v", done)
	}
	if got := neraca(t, db, day(2026, 11, 30)).Get("5202"); !got.Equal(rp(7_150_000)) {
		t.Errorf("beban operasional = %s, want Rp7.150.000", got)
	}
	ledgertest.MustCheck(t, db.R)
}
