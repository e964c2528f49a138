// Command kopbot is the cooperative's chat assistant. This file only wires
// subcommands to the packages that do the work.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Jakarta on machines and images without a zoneinfo database

	"github.com/kopmem/kopbot/internal/loadtest"
	"github.com/kopmem/kopbot/internal/redact"
)

const usage = `kopbot: the chat assistant of a savings-and-loan cooperative

Usage:
  kopbot demo   [--db F] [--as PHONE]              demo cooperative: member and officer seats in the terminal
  kopbot chat   [--db F] --as PHONE                member seat: one line in, the reply out
  kopbot chat   [--db F] --officer ID              officer seat: the Telegram officer commands
  kopbot import members|savings|journal FILE.csv [--db F]  load a cooperative's data, all or nothing
  kopbot import bank FILE.csv [--bank BCA]         match a bank statement's transfers to unique codes; officers confirm
  kopbot member export|erase NO --officer ID [--out F]  a member's data for them to see, or erased once they left (manajer)
  kopbot ledger check [--db F]                     verify the ledger; exit 1 when broken
  kopbot report neraca|labarugi|saldo|shu|kesehatan --period 2026-11 --out F.xlsx
                                                   the books as an Excel workbook, checked against the ledger
  kopbot jasa preview|post [--period 2026-11]      jasa simpanan on sukarela for a month that has ended: what it pays, or pay it (once)
  kopbot serve  --config kopbot.toml               WhatsApp + Telegram + reminders + /healthz, /metrics
  kopbot whatsapp link [--phone 62…] | unlink      pair the cooperative's WhatsApp number, or log it out
  kopbot reminders preview [--date YYYY-MM-DD]     what reminders would go out that day, to whom, and why
  kopbot backup FILE [--db F]                      consistent online copy of the database, checked
  kopbot health                                    ask a running kopbot's /healthz (exit 1 unless healthy)
  kopbot load [--members N --postings N --concurrency N --messages N --rate R]
                                                   drive simulated members through a large database; report msg/s, p50/p99

Every command takes --config kopbot.toml (default $KOPBOT_CONFIG); KOPBOT_*
variables override its settings. --db defaults to the config's db, then
$KOPBOT_DB, then kopbot.db in the working folder.
`

// exitError carries a process exit code through the error path.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(redact.Handler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	// Whatever kopbot or its libraries create (the database, its -wal and
	// -shm, backups, the WhatsApp session, folders) is for kopbot's
	// account alone; store.CreatePrivate says so explicitly as well.
	syscall.Umask(0o077)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "kopbot:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{2}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return runDemo(ctx, rest, stdin, stdout)
	case "chat":
		return runChat(ctx, rest, stdin, stdout)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "ledger":
		return runLedger(ctx, rest, stdout)
	case "member":
		return runMember(ctx, rest, stdout)
	case "report":
		return runReport(ctx, rest, stdout)
	case "jasa":
		return runJasa(ctx, rest, stdout)
	case "serve":
		return runServe(ctx, rest)
	case "whatsapp":
		return runWhatsApp(ctx, rest, stdout)
	case "reminders":
		return runReminders(ctx, rest, stdout)
	case "backup":
		return runBackup(ctx, rest, stdout)
	case "load":
		err := loadtest.RunLoad(ctx, rest, stdout, stderr)
		if errors.Is(err, loadtest.ErrUsage) {
			return exitError{2} // the usage is printed
		}
		return err
	case "health":
		return runHealth(ctx, rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "kopbot: unknown command %q\n\n%s", cmd, usage)
	return exitError{2}
}

// flags returns a flag set for a subcommand with the --config and --db
// flags every command that touches data shares.
func flags(name string) (*flag.FlagSet, dataFlags) {
	fs := flag.NewFlagSet("kopbot "+name, flag.ContinueOnError)
	return fs, newDataFlags(fs)
}

// parseInterspersed lets flags come after positional arguments, as people
// type them: "kopbot import members file.csv --db x.db".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
