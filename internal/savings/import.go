package savings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// Result counts what an import did; Rows = Posted + AlreadyPresent.
type Result struct {
	Rows           int
	Posted         int
	AlreadyPresent int
}

// ImportOptions say who imports and how.
type ImportOptions struct {
	Actor string
	// Today is the cooperative's date: a movement dated after it is
	// refused. Zero checks no date against today.
	Today time.Time
	// AllowDuplicates posts lines without a ref that are the same as an
	// earlier line (member, kind, amount, date, memo) as separate
	// movements; without it such lines refuse the file.
	AllowDuplicates bool
}

// Import reads a file of savings movements (opening balances or deposit
// history, CSV or xlsx) and posts it all or not at all. Every line is
// checked, including posting it, inside one write transaction; any problem
// returns csvin.Errors with every problem by line and the transaction is
// rolled back. Lines are checked and posted in value-date order, whatever
// the file's (bookkeeping exports often run newest first), so a withdrawal
// (negative jumlah, sukarela only) is refused when the balance on its date
// does not cover it. Importing the same file again changes nothing.
func Import(ctx context.Context, db *store.DB, r io.Reader, opts ImportOptions) (Result, error) {
	rows, errs, err := csvin.Read(r, importColumns)
	if err != nil {
		return Result{}, fmt.Errorf("import savings: %w", err)
	}
	lines, lineErrs := parseRows(rows, opts)
	errs = append(errs, lineErrs...)
	slices.SortStableFunc(lines, func(a, b importLine) int { return a.date.Compare(b.date) })
	var res Result
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res = Result{Rows: len(rows)}
		postErrs, err := postLines(ctx, tx, lines, opts.Actor, &res)
		if err != nil {
			return err
		}
		if errs = append(errs, postErrs...); len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b csvin.LineError) int { return a.Line - b.Line })
			return errs
		}
		return nil
	})
	var fileErrs csvin.Errors
	if errors.As(err, &fileErrs) {
		return Result{}, fileErrs
	}
	if err != nil {
		return Result{}, fmt.Errorf("import savings: %w", err)
	}
	return res, nil
}

// postLines posts each line, turning the refusals a treasurer can fix into
// line errors. A refusal writes nothing, so checking goes on with the next
// line; any other error ends the import.
func postLines(ctx context.Context, tx *sql.Tx, lines []importLine, actor string, res *Result) (csvin.Errors, error) {
	var errs csvin.Errors
	members := map[string]member.Member{}
	for _, l := range lines {
		mem, ok := members[l.number]
		if !ok {
			var err error
			mem, err = member.ByNumber(ctx, tx, l.number)
			if errors.Is(err, member.ErrNotFound) {
				errs = append(errs, csvin.LineError{Line: l.line, Field: "no_anggota", Code: "member_unknown", Value: l.number})
				continue
			}
			if err != nil {
				return nil, err
			}
			members[l.number] = mem
		}
		if l.date.Before(mem.JoinedOn) {
			errs = append(errs, csvin.LineError{Line: l.line, Field: "tanggal", Code: "date_before_join", Value: l.date.Format(time.DateOnly)})
			continue
		}
		m := Movement{Key: l.key, MemberID: mem.ID, Kind: l.kind, Amount: l.amount.Abs(), ValueDate: l.date,
			Actor: actor, Memo: l.memo}
		move := Deposit
		if l.withdraw {
			move = Withdraw
		}
		posted, err := move(ctx, tx, m)
		switch {
		case errors.Is(err, ErrInsufficient):
			errs = append(errs, csvin.LineError{Line: l.line, Field: "jumlah", Code: "overdraw", Value: l.amount.String()})
		case errors.Is(err, ledger.ErrKeyConflict):
			errs = append(errs, csvin.LineError{Line: l.line, Field: "ref", Code: "ref_conflict", Value: l.key})
		case err != nil:
			return nil, fmt.Errorf("line %d: %w", l.line, err)
		case posted.Replayed:
			res.AlreadyPresent++
		default:
			res.Posted++
		}
	}
	return errs, nil
}
