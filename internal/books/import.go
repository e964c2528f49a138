package books

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// KindImport is the ledger kind of an imported journal voucher.
const KindImport = "journal-import"

var journalColumns = []csvin.Column{
	{Key: "date", Names: []string{"tanggal", "date"}, Required: true},
	{Key: "ref", Names: []string{"bukti", "no_bukti", "ref", "voucher"}, Required: true},
	{Key: "account", Names: []string{"akun", "kode_akun", "account"}, Required: true},
	{Key: "debit", Names: []string{"debit", "debet"}},
	{Key: "credit", Names: []string{"kredit", "credit"}},
	{Key: "memo", Names: []string{"keterangan", "memo", "note"}},
}

// ImportResult counts an import's vouchers.
type ImportResult struct {
	Rows, Vouchers, Posted, AlreadyPresent int
}

type voucher struct {
	ref, memo string
	date      time.Time
	line      int
	postings  []ledger.Posting
}

// ImportJournal posts a journal file (an opening balance sheet, or a
// month's other entries): one line per account with its debit or credit,
// lines sharing a voucher number (bukti) forming one balanced transaction.
// Accounts are chart codes; members' own savings and loans are refused
// (they are imported with their members). All or nothing: any line error
// and nothing is posted. A voucher posted before is not posted again.
func ImportJournal(ctx context.Context, db *store.DB, c Chart, r io.Reader, actor string) (ImportResult, error) {
	rows, errs, err := csvin.Read(r, journalColumns)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import journal: %w", err)
	}
	byRef := map[string]*voucher{}
	var order []string
	for _, row := range rows {
		date, ok := parseDate(row.Get("date"))
		if !ok {
			errs = append(errs, csvin.LineError{Line: row.Line, Field: "tanggal", Code: "date_invalid", Value: row.Get("date")})
			continue
		}
		acct, ok := c.Account(row.Get("account"))
		if !ok || c.PerMember(acct.Code) {
			errs = append(errs, csvin.LineError{Line: row.Line, Field: "akun", Code: "account_invalid", Value: row.Get("account")})
			continue
		}
		amount, bad := lineAmount(row.Get("debit"), row.Get("credit"))
		if bad {
			errs = append(errs, csvin.LineError{Line: row.Line, Field: "debit/kredit", Code: "amount_invalid",
				Value: row.Get("debit") + "/" + row.Get("credit")})
			continue
		}
		v, seen := byRef[row.Get("ref")]
		if !seen {
			v = &voucher{ref: row.Get("ref"), date: date, line: row.Line, memo: row.Get("memo")}
			byRef[v.ref] = v
			order = append(order, v.ref)
		}
		if !date.Equal(v.date) {
			errs = append(errs, csvin.LineError{Line: row.Line, Field: "tanggal", Code: "date_invalid", Value: row.Get("date")})
			continue
		}
		v.postings = append(v.postings, ledger.Posting{Account: acct.Code, Amount: amount})
	}
	for _, ref := range order {
		v := byRef[ref]
		sum := decimal.Zero
		for _, p := range v.postings {
			sum = sum.Add(p.Amount)
		}
		if !sum.IsZero() || len(v.postings) < 2 {
			errs = append(errs, csvin.LineError{Line: v.line, Field: "bukti", Code: "voucher_unbalanced", Value: ref})
		}
	}
	res := ImportResult{Rows: len(rows), Vouchers: len(order)}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res.Posted, res.AlreadyPresent = 0, 0
		if len(errs) > 0 {
			return errs
		}
		var postErrs csvin.Errors
		for _, ref := range order {
			v := byRef[ref]
			for _, p := range v.postings {
				a, _ := c.Account(p.Account)
				if _, err := ledger.EnsureAccount(ctx, tx, a.Code, a.Name, a.Type); err != nil {
					return err
				}
			}
			t, err := ledger.Post(ctx, tx, ledger.Entry{Key: "journal-import:" + ref, Kind: KindImport, ValueDate: v.date,
				Actor: actor, Memo: v.memo, Postings: v.postings})
			switch {
			case IsClosed(err):
				postErrs = append(postErrs, csvin.LineError{Line: v.line, Field: "tanggal", Code: "date_closed", Value: ref})
			case errors.Is(err, ledger.ErrKeyConflict):
				postErrs = append(postErrs, csvin.LineError{Line: v.line, Field: "bukti", Code: "ref_conflict", Value: ref})
			case err != nil:
				return err
			case t.Replayed:
				res.AlreadyPresent++
			default:
				res.Posted++
			}
		}
		if len(postErrs) > 0 {
			sort.SliceStable(postErrs, func(i, j int) bool { return postErrs[i].Line < postErrs[j].Line })
			return postErrs
		}
		return nil
	})
	var lineErrs csvin.Errors
	if errors.As(err, &lineErrs) {
		sort.SliceStable(lineErrs, func(i, j int) bool { return lineErrs[i].Line < lineErrs[j].Line })
		return ImportResult{}, lineErrs
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import journal: %w", err)
	}
	return res, nil
}

// lineAmount is a line's raw amount: the debit, or the credit negated;
// exactly one of them set and positive.
func lineAmount(debit, credit string) (decimal.Decimal, bool) {
	if (debit == "") == (credit == "") {
		return decimal.Zero, true
	}
	s, sign := debit, decimal.NewFromInt(1)
	if s == "" {
		s, sign = credit, decimal.NewFromInt(-1)
	}
	v, err := money.Parse(s)
	if err != nil || !v.IsPositive() {
		return decimal.Zero, true
	}
	return v.Mul(sign), false
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}
