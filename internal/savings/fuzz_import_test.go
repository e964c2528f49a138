package savings

import (
	"context"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// FuzzImportSavings feeds arbitrary files to Import for two known members:
// it never panics, a refused file posts nothing, an accepted one leaves the
// ledger whole and posts nothing when imported again.
// go test -run X -fuzz FuzzImportSavings ./internal/savings/
func FuzzImportSavings(f *testing.F) {
	for _, seed := range []string{
		"no_anggota;jenis;jumlah;tanggal;keterangan\nA-1;pokok;100.000;2023-01-15;Simpanan pokok\nA-1;sukarela;Rp 1.500.000;15/02/2023;\nA-1;sukarela;-250.000;2023-04-01;Tarik\n",
		"no_anggota,jenis,jumlah,tanggal,ref\nA-2,wajib,50000,2023-02-05,r1\nA-2,wajib,50000,2023-02-05,r1\n",
		"no_anggota,jenis,jumlah,tanggal\nA-1,wajib,-50.000,2023-02-05\nA-404,pokok,1,2023-01-01\n",
		"no_anggota,jenis,jumlah,tanggal\nA-1,sukarela,1.500 juta,2023-02-05\nA-1,sukarela,0,2023-02-05\nA-1,sukarela,99999999999999999999,2023-02-05\n",
		"no_anggota,jenis,jumlah,tanggal\nA-1,sukarela,-1,2023-02-05\n",
		"\ufeff\n\n",
	} {
		f.Add(seed)
	}
	db := openTB(f)
	ctx := context.Background()
	if _, err := member.Import(ctx, db, strings.NewReader("no_anggota,nama,no_hp,tanggal_masuk\nA-1,Siti,081234567890,2022-01-01\nA-2,Budi,081311112222,2022-01-01\n")); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, file string) {
		before := ledgerSize(t, db)
		res, err := Import(ctx, db, strings.NewReader(file), ImportOptions{Actor: "fuzz", AllowDuplicates: true})
		if err != nil {
			if after := ledgerSize(t, db); after != before {
				t.Fatalf("a refused import (%v) changed the ledger: %v → %v", err, before, after)
			}
			return
		}
		r, err := ledger.Check(ctx, db.R)
		if err != nil || !r.OK() {
			t.Fatalf("after an accepted import: %v %s", err, r)
		}
		posted := ledgerSize(t, db)
		again, err := Import(ctx, db, strings.NewReader(file), ImportOptions{Actor: "fuzz", AllowDuplicates: true})
		if err != nil || again.Posted != 0 || ledgerSize(t, db) != posted {
			t.Fatalf("importing an accepted file again: %+v, %v (first %+v)", again, err, res)
		}
	})
}

// ledgerSize counts what a posting would add to.
func ledgerSize(t *testing.T, db *store.DB) [3]int64 {
	t.Helper()
	var n [3]int64
	if err := db.R.QueryRow(`SELECT (SELECT count(*) FROM ledger_transactions), (SELECT count(*) FROM ledger_postings),
		(SELECT count(*) FROM savings_accounts)`).Scan(&n[0], &n[1], &n[2]); err != nil {
		t.Fatal(err)
	}
	return n
}
