package savings

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/csvin"
)

const goodFile = `no_anggota;jenis;jumlah;tanggal;keterangan;ref
A0001;pokok;100.000;01/02/2026;Setoran awal;P-1
A0001;wajib;50000;2026-02-01;Wajib Feb;
A0001;wajib;50000;2026-02-01;Wajib Feb;
A0001;sukarela;Rp 1.500.000;2/2/2026;;S-1
A0001;sukarela;-200.000;3/2/2026;Tarik tunai;S-2
A0002;Simpanan Wajib;50.000;2026-02-01;;
`

func TestImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	a := newMember(ctx, t, db.W, 1)
	b := newMember(ctx, t, db.W, 2)
	res, err := Import(ctx, db, strings.NewReader(goodFile), ImportOptions{Actor: "import:test", AllowDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Rows: 6, Posted: 6}) {
		t.Fatalf("result = %+v", res)
	}
	want := map[int64]map[Kind]int64{
		a.ID: {Pokok: 100000, Wajib: 100000, Sukarela: 1300000},
		b.ID: {Wajib: 50000},
	}
	check := func() {
		t.Helper()
		for id, kinds := range want {
			s := summary(t, db, id)
			for _, k := range Kinds {
				if got := s.Of(k).IntPart(); got != kinds[k] {
					t.Errorf("member %d %s = %d, want %d", id, k, got, kinds[k])
				}
			}
		}
	}
	check()
	before := counts(t, db)
	// The same movements in another order, with English headers and
	// amounts and dates written another way.
	again := `member_number,kind,amount,date,memo,ref
A0002,wajib,50000,2026-02-01,,
A0001,voluntary,-200000,2026-02-03,Tarik tunai,S-2
A0001,mandatory,50.000,01/02/2026,Wajib Feb,
A0001,principal,100000,2026-02-01,Setoran awal,P-1
A0001,voluntary,1500000,2026-02-02,,S-1
A0001,mandatory,"50.000",1/2/2026,Wajib Feb,
`
	for _, file := range []string{goodFile, again} {
		res, err := Import(ctx, db, strings.NewReader(file), ImportOptions{Actor: "import:test", AllowDuplicates: true})
		if err != nil {
			t.Fatal(err)
		}
		if res != (Result{Rows: 6, AlreadyPresent: 6}) {
			t.Errorf("re-import result = %+v, want all already present", res)
		}
	}
	if after := counts(t, db); after != before {
		t.Errorf("re-import changed the database: %s -> %s", before, after)
	}
	check()
	mustCheck(t, db)
}

// today is the import tests' cooperative date.
var today = time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("WIT", 9*3600))

func TestImportRejectsWholeFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type lineCode struct {
		line int
		code string
	}
	tests := []struct {
		name string
		file string
		want []lineCode
	}{
		{
			name: "many bad lines",
			file: `no_anggota,jenis,jumlah,tanggal,keterangan,ref
A0001,pokok,100000,2026-02-01,ok,R1
A0999,wajib,50000,2026-02-01,,
A0001,pinjaman,50000,2026-02-01,,
A0001,wajib,lima puluh,2026-02-01,,
A0001,wajib,50000,31/02/2026,,
A0001,sukarela,10000,2026-02-01,,R1
A0001,wajib,-50000,2026-02-01,,
A0001,sukarela,0,2026-02-01,,
A0001,,50000,2026-02-01,,
A0001,sukarela,"1.000,50",2026-02-01,,
`,
			want: []lineCode{{3, "member_unknown"}, {4, "kind_invalid"}, {5, "amount_invalid"}, {6, "date_invalid"},
				{7, "ref_duplicate"}, {8, "withdraw_not_allowed"}, {9, "amount_invalid"}, {10, "required"}, {11, "amount_invalid"}},
		},
		{
			name: "overdraw",
			file: `no_anggota,jenis,jumlah,tanggal
A0001,sukarela,100000,2026-02-01
A0001,sukarela,-60000,2026-02-02
A0001,sukarela,-60000,2026-02-03
`,
			want: []lineCode{{4, "overdraw"}},
		},
		{
			// Newest first, as many bookkeeping exports run: checked by
			// date, the withdrawal of the 3rd is covered by the deposit of
			// the 2nd, the one of the 1st by nothing.
			name: "withdrawal before its cover, newest first",
			file: `no_anggota,jenis,jumlah,tanggal
A0001,sukarela,-50000,2026-02-03
A0001,sukarela,100000,2026-02-02
A0001,sukarela,-10000,2026-02-01
`,
			want: []lineCode{{4, "overdraw"}},
		},
		{
			name: "dates in the future or before joining",
			file: `no_anggota,jenis,jumlah,tanggal
A0001,sukarela,1000,2026-03-01
A0001,sukarela,1000,2026-03-02
A0001,sukarela,1000,2020-01-01
`,
			want: []lineCode{{3, "date_future"}, {4, "date_before_join"}},
		},
		{
			name: "identical lines without ref",
			file: `no_anggota,jenis,jumlah,tanggal,keterangan
A0001,wajib,50000,2026-02-01,Wajib
A0001,wajib,50.000,1/2/2026,Wajib
A0001,wajib,50000,2026-02-01,Wajib Maret
A0001,wajib,50000,2026-02-01,Wajib
`,
			want: []lineCode{{3, "duplicate_suspect"}, {5, "duplicate_suspect"}},
		},
		{
			name: "ref reused for another movement",
			file: `no_anggota,jenis,jumlah,tanggal,ref
A0001,wajib,99999,2026-02-01,EXISTING
A0001,wajib,1000,2026-02-01,
`,
			want: []lineCode{{2, "ref_conflict"}},
		},
		{
			name: "missing column",
			file: "no_anggota,jenis,tanggal\nA0001,wajib,2026-02-01\n",
			want: []lineCode{{1, "missing_column"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := openTB(t)
			newMember(ctx, t, db.W, 1)
			if _, err := Import(ctx, db, strings.NewReader("no_anggota,jenis,jumlah,tanggal,ref\nA0001,wajib,50000,2026-01-01,EXISTING\n"), ImportOptions{Actor: "seed"}); err != nil {
				t.Fatal(err)
			}
			before := counts(t, db)
			res, err := Import(ctx, db, strings.NewReader(tt.file), ImportOptions{Actor: "import:test", Today: today})
			var errs csvin.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Import = %+v, %v; want csvin.Errors", res, err)
			}
			var got []lineCode
			for _, e := range errs {
				got = append(got, lineCode{e.Line, e.Code})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors = %v\nwant %v\n(%v)", got, tt.want, err)
			}
			if after := counts(t, db); after != before {
				t.Errorf("a refused import wrote: %s -> %s", before, after)
			}
		})
	}
}

// TestImportNewestFirstAndDuplicatesAllowed: a newest-first export posts in
// date order (the withdrawal after the deposit that covers it); identical
// lines, once the treasurer says they are separate deposits, are posted
// each, and importing the file again posts nothing.
func TestImportNewestFirstAndDuplicatesAllowed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	a := newMember(ctx, t, db.W, 1)
	file := `no_anggota,jenis,jumlah,tanggal,keterangan
A0001,sukarela,-50000,2026-02-03,Tarik
A0001,wajib,50000,2026-02-02,Setor tunai
A0001,wajib,50000,2026-02-02,Setor tunai
A0001,sukarela,100000,2026-02-02,Setor
`
	opts := ImportOptions{Actor: "import:test", Today: today, AllowDuplicates: true}
	for _, want := range []Result{{Rows: 4, Posted: 4}, {Rows: 4, AlreadyPresent: 4}} {
		res, err := Import(ctx, db, strings.NewReader(file), opts)
		if err != nil || res != want {
			t.Fatalf("Import = %+v, %v; want %+v", res, err, want)
		}
	}
	s := summary(t, db, a.ID)
	if s.Wajib.IntPart() != 100_000 || s.Sukarela.IntPart() != 50_000 {
		t.Errorf("wajib %s sukarela %s, want 100000 and 50000", s.Wajib, s.Sukarela)
	}
	mustCheck(t, db)
}
