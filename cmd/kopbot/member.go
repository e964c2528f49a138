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
	"github.com/kopmem/kopbot/internal/member"
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
	pos, sp, err := parseSpoken(fs, args)
	if err != nil {
		return err
	}
	say := sp.say
	if len(pos) != 2 || (pos[0] != "export" && pos[0] != "erase") || *officerID == "" {
		return errors.New(say("member.usage", nil))
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
		return errors.Join(errors.New(say("member.needs_manager", map[string]any{"Officer": *officerID})),
			audit(ctx, a, *officerID, action, number, "needs manajer", false))
	}
	if pos[0] == "export" {
		return exportMember(ctx, a, *officerID, number, *out, stdout, say)
	}
	err = a.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := privacy.Erase(ctx, tx, number)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, say("member.erased", map[string]any{"Number": number, "Name": m.Name}))
		return officer.Record(ctx, tx, *officerID, action, number, "", true, a.Clock.Now())
	})
	if err != nil {
		return errors.Join(refusal(err, number, say), audit(ctx, a, *officerID, action, number, err.Error(), false))
	}
	return nil
}

// refusal says why a member's data could not be exported or erased, in
// the manajer's words where the reason is theirs to fix.
func refusal(err error, number string, say func(string, map[string]any) string) error {
	switch {
	case errors.Is(err, member.ErrNotFound):
		return errors.New(say("member.not_found", map[string]any{"Number": number}))
	case errors.Is(err, privacy.ErrStillMember):
		return errors.New(say("member.still_member", map[string]any{"Number": number}))
	}
	return err
}

func exportMember(ctx context.Context, a *app.App, officerID, number, out string, stdout io.Writer, say func(string, map[string]any) string) error {
	e, err := privacy.ExportMember(ctx, a.DB, number, a.Clock.Now())
	if err != nil {
		return errors.Join(refusal(err, number, say), audit(ctx, a, officerID, "member:export", number, err.Error(), false))
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
	fmt.Fprintln(stdout, say("member.exported", map[string]any{"Number": number, "File": out}))
	return audit(ctx, a, officerID, "member:export", number, out, true)
}

func audit(ctx context.Context, a *app.App, officerID, action, subject, detail string, ok bool) error {
	return a.DB.Write(ctx, func(tx *sql.Tx) error {
		return officer.Record(ctx, tx, officerID, action, subject, detail, ok, a.Clock.Now())
	})
}
