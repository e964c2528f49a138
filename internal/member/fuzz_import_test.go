package member

import (
	"context"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/store"
)

// FuzzImportMembers feeds arbitrary files to Import: it never panics, a
// refused file changes nothing, and an accepted one imported again changes
// nothing either.
// go test -run X -fuzz FuzzImportMembers ./internal/member/
func FuzzImportMembers(f *testing.F) {
	for _, seed := range []string{
		goodFile,
		"\ufeffno_anggota;nama;no_hp;tanggal_masuk\nA-9;Ani;0812-3456-7890;15/01/2023\n",
		"no_anggota,nama,no_hp,tanggal_masuk\nA-1,\"Siti, \"\"Ibu\"\"\",0812,2023-02-30\n",
		"member_number,name,phone,join_date,language\nB-1,Budi,+62 813 1111 2222,2023-01-01,en\nB-1,Budi,+62 813 1111 2223,2023-01-01,en\n",
		"no_anggota,nama\n\x00,\u202e\n",
		"",
	} {
		f.Add(seed)
	}
	db := openDB(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, file string) {
		before := membersDump(t, db)
		res, err := Import(ctx, db, strings.NewReader(file))
		if err != nil {
			if after := membersDump(t, db); after != before {
				t.Fatalf("a refused import (%v) changed the members:\nbefore %q\nafter  %q", err, before, after)
			}
			return
		}
		again, err := Import(ctx, db, strings.NewReader(file))
		if err != nil || again.Created != 0 || again.Updated != 0 || again.Rows != res.Rows {
			t.Fatalf("importing an accepted file again: %+v, %v (first %+v)", again, err, res)
		}
	})
}

// membersDump is the whole members table as text: small in a fuzz run.
func membersDump(t *testing.T, db *store.DB) string {
	t.Helper()
	var s string
	if err := db.R.QueryRow(`SELECT coalesce(group_concat(id || '|' || number || '|' || name || '|' || phone || '|' ||
		coalesce(nik, '') || '|' || joined_on || '|' || lang, char(10)), '') FROM (SELECT * FROM members ORDER BY id)`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
