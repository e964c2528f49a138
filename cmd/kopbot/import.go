package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/savings"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, data := flags("import")
	lang := fs.String("lang", "id", "language of the report: id or en")
	allowDup := fs.Bool("allow-duplicates", false, "savings: post identical lines without a ref as separate movements")
	bank := fs.String("bank", "", "bank: the account of payment.banks the statement is of (default: the first with a statement layout)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 2 || (pos[0] != "members" && pos[0] != "savings" && pos[0] != "journal" && pos[0] != "bank") {
		return fmt.Errorf("usage: kopbot import members|savings|journal|bank FILE.csv|FILE.xlsx [--db F] [--allow-duplicates] [--bank BCA]")
	}
	if pos[0] == "bank" {
		return runImportBank(ctx, data, pos[1], *bank, *lang, stdout, stderr)
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return fmt.Errorf("import %s: %w", pos[0], err)
	}
	defer f.Close()
	// Import is how a cooperative's database comes to be: it may create
	// the file, and holds the lock so serve does not start meanwhile.
	cfg, err := data.load()
	if err != nil {
		return err
	}
	l, err := lock(cfg, "kopbot import")
	if err != nil {
		return err
	}
	defer l.Release()
	a, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()

	var done string
	switch pos[0] {
	case "members":
		var res member.ImportResult
		if res, err = member.Import(ctx, a.DB, f); err == nil {
			done = a.Msgs.T(*lang, "import.done.members", res)
			for _, m := range res.Moved {
				done += "\n" + a.Msgs.T(*lang, "import.moved", map[string]any{"Number": m.Number,
					"Old": phone.Last4(m.Old), "New": phone.Last4(m.New)})
			}
		}
	case "journal":
		var res books.ImportResult
		if res, err = books.ImportJournal(ctx, a.DB, a.Chart, f, "import"); err == nil {
			done = a.Msgs.T(*lang, "import.done.journal", res)
		}
	case "savings":
		var res savings.Result
		opts := savings.ImportOptions{Actor: "import", Today: a.Clock.Now(), AllowDuplicates: *allowDup}
		if res, err = savings.Import(ctx, a.DB, f, opts); err == nil {
			done = a.Msgs.T(*lang, "import.done.savings", res)
		}
	}
	var lineErrs csvin.Errors
	if errors.As(err, &lineErrs) {
		dups := 0
		for _, le := range lineErrs {
			fmt.Fprintln(stderr, a.Msgs.T(*lang, csvin.MessageID(le.Code), le))
			if le.Code == "duplicate_suspect" {
				dups++
			}
		}
		if dups > 0 {
			fmt.Fprintln(stderr, a.Msgs.T(*lang, "import.duplicates", map[string]any{"Count": dups}))
		}
		fmt.Fprintln(stderr, a.Msgs.T(*lang, "import.failed", map[string]any{"Count": len(lineErrs)}))
		return exitError{1}
	}
	if err != nil {
		return fmt.Errorf("import %s from %s: %w", pos[0], pos[1], err)
	}
	fmt.Fprintln(stdout, done)
	return nil
}
