package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("backup")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: kopbot backup FILE [--db F]")
	}
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.Backup(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s and checked\n", cfg.DB, pos[0])
	return nil
}

// runHealth asks a running kopbot's /healthz; it is the container's
// health check, where no shell or curl exists.
func runHealth(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("health")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	cfg, err := data.load()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+cfg.HTTP.Listen+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Fprint(stdout, string(body))
	if resp.StatusCode != http.StatusOK {
		return exitError{1}
	}
	return nil
}
