package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/privacy"
	"github.com/kopmem/kopbot/internal/store"
)

// runMember serves a member's rights over their data: export (to see it)
// and erase (once they have left). Both are a manajer's, named by --officer
// from the config, and audited, refusals included.
func runMember(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("member")
	officerID := fs.String("officer", "", "the manajer's id from the config (their Telegram user id)")
	out := fs.String("out", "", "export: the file to write (default <no>.json; never overwritten)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 2 || (pos[0] != "export" && pos[0] != "erase") || *officerID == "" {
		return errors.New("usage: kopbot member export|erase NO --officer ID [--out FILE] [--db F]")
	}
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	action, number := "member:"+pos[0], pos[1]
	manager := false
	for _, o := range cfg.Officers {
		if strconv.FormatInt(o.TelegramID, 10) == *officerID && o.Role == loan.RoleManajer {
			manager = true
		}
	}
	if !manager {
		return errors.Join(errors.New("only a manajer from the config may export or erase a member's data"),
			audit(ctx, a, *officerID, action, number, "needs manajer", false))
	}
	if pos[0] == "export" {
		return exportMember(ctx, a, *officerID, number, *out, stdout)
	}
	err = a.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := privacy.Erase(ctx, tx, number)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s erased: now %q; savings, loans and postings kept.\n", number, m.Name)
		return officer.Record(ctx, tx, *officerID, action, number, "", true, a.Clock.Now())
	})
	if err != nil {
		return errors.Join(err, audit(ctx, a, *officerID, action, number, err.Error(), false))
	}
	return nil
}

func exportMember(ctx context.Context, a *app.App, officerID, number, out string, stdout io.Writer) error {
	e, err := privacy.ExportMember(ctx, a.DB, number, a.Clock.Now())
	if err != nil {
		return errors.Join(err, audit(ctx, a, officerID, "member:export", number, err.Error(), false))
	}
	if out == "" {
		out = number + ".json"
	}
	body, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	// Private, and never over an earlier export someone may be reading.
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, store.PrivateFile)
	if err != nil {
		return fmt.Errorf("export %s: %w", number, err)
	}
	if _, err := f.Write(append(body, '\n')); err != nil {
		f.Close()
		os.Remove(out)
		return fmt.Errorf("export %s: %w", number, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", number, err)
	}
	fmt.Fprintf(stdout, "everything kopbot holds about %s written to %s\n", number, out)
	return audit(ctx, a, officerID, "member:export", number, out, true)
}

func audit(ctx context.Context, a *app.App, officerID, action, subject, detail string, ok bool) error {
	return a.DB.Write(ctx, func(tx *sql.Tx) error {
		return officer.Record(ctx, tx, officerID, action, subject, detail, ok, a.Clock.Now())
	})
}
