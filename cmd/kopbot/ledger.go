package main

import (
	"context"
	"fmt"
	"io"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/savings"
)

func runLedger(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("ledger")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 || pos[0] != "check" {
		return fmt.Errorf("usage: kopbot ledger check [--db F]")
	}
	a, _, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	report, err := ledger.Check(ctx, a.DB.R)
	if err != nil {
		return fmt.Errorf("check ledger: %w", err)
	}
	// The ledger balances whatever the sign of a member's savings; a
	// negative one means money paid out that the member never had.
	negative, err := savings.Negative(ctx, a.DB.R)
	if err != nil {
		return fmt.Errorf("check ledger: %w", err)
	}
	report.Problems = append(report.Problems, negative...)
	fmt.Fprintln(stdout, report.String())
	if !report.OK() {
		return exitError{1}
	}
	return nil
}
