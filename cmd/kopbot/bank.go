package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/payment"
)

// runImportBank is kopbot import bank FILE: the statement's credits are
// matched to payment codes and proposed to the officers; nothing is posted
// here. It does not take the database's lock: it only adds proposals, and
// a running serve delivers them to the group.
func runImportBank(ctx context.Context, data dataFlags, file, bank, lang string, stdout, stderr io.Writer) error {
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	acct, missing := statementAccount(cfg.Banks(), bank)
	if missing != "" {
		return errors.New(a.Msgs.T(lang, missing, map[string]any{"Bank": bank, "Known": bankNames(cfg.Banks())}))
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import bank: %w", err)
	}
	defer f.Close()
	st, err := payment.ReadStatement(f, acct, cfg.Location())
	var lineErrs csvin.Errors
	if errors.As(err, &lineErrs) {
		for _, le := range lineErrs {
			fmt.Fprintln(stderr, a.Msgs.T(lang, csvin.MessageID(le.Code), le))
		}
		fmt.Fprintln(stderr, a.Msgs.T(lang, "import.failed", map[string]any{"Count": len(lineErrs)}))
		return exitError{1}
	}
	if err != nil {
		return fmt.Errorf("import bank from %s: %w", file, err)
	}
	var res payment.ImportResult
	if err := a.DB.Write(ctx, func(tx *sql.Tx) error {
		res, err = a.Payments.Import(ctx, tx, acct, st, a.Clock.Now())
		return err
	}); err != nil {
		return fmt.Errorf("import bank from %s: %w", file, err)
	}
	fmt.Fprintln(stdout, a.Msgs.T(lang, "payment.import.done", map[string]any{"Bank": acct.Bank, "Credits": len(st.Credits),
		"Proposed": len(res.Proposed), "Known": res.Known, "Unmatched": len(res.Unmatched), "Debits": st.Debits,
		"Skipped": st.Skipped}))
	for _, l := range res.Unmatched {
		fmt.Fprintln(stdout, a.Msgs.T(lang, "payment.import.unmatched", map[string]any{"Row": l.Row,
			"Date": l.Date.Format("02/01/2006"), "Amount": money.Format(l.Amount, lang), "Description": l.Description}))
	}
	if len(st.Errors) > 0 {
		fmt.Fprintln(stdout, a.Msgs.T(lang, "payment.import.unreadable", map[string]any{"Count": len(st.Errors)}))
		for _, le := range st.Errors {
			fmt.Fprintln(stdout, "  "+a.Msgs.T(lang, csvin.MessageID(le.Code), le))
		}
	}
	return nil
}

// statementAccount is the configured account named bank (its bank or
// ledger name, any case), or the first with a statement layout; missing is
// the message id that explains why there is none.
func statementAccount(banks []payment.BankAccount, bank string) (acct payment.BankAccount, missing string) {
	for _, b := range banks {
		if b.Layout.Date == "" {
			continue
		}
		if bank == "" || strings.EqualFold(b.Bank, bank) || strings.EqualFold(b.Ledger, bank) {
			return b, ""
		}
	}
	if bank == "" {
		return payment.BankAccount{}, "payment.import.no_bank"
	}
	return payment.BankAccount{}, "payment.import.unknown_bank"
}

func bankNames(banks []payment.BankAccount) string {
	names := make([]string, len(banks))
	for i, b := range banks {
		names[i] = b.Bank
	}
	return strings.Join(names, ", ")
}
