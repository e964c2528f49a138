// Package app assembles kopbot from its parts: the database with every
// package's tables, the messages, the flows with their actions, and the
// router. The command line, the demo and the end-to-end tests all start here,
// so they run the same thing.
package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/kopmem/kopbot/flows"
	"github.com/kopmem/kopbot/internal/actions"
	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/router"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/withdraw"
	"github.com/kopmem/kopbot/locales"
	"github.com/shopspring/decimal"
)

// Schemas lists every package's tables in the order they depend on each other.
var Schemas = []store.Schema{member.Schema, ledger.Schema, savings.Schema, duty.Schema, loan.Schema, dialog.Schema, outbox.Schema, router.Schema, telegram.Schema, officer.Schema, reminder.Schema, books.Schema, jasa.Schema, kolek.Schema, shu.Schema, health.Schema, payment.Schema, announce.Schema, withdraw.Schema, membership.Schema}

// Options configure an App.
type Options struct {
	Clock clock.Clock
	// Location is the cooperative's zone, clock.Jakarta() when nil: every
	// calendar date is taken in it.
	Location *time.Location
	// Notify is told when the outbox has new messages.
	Notify func()
	// Flows and Locales replace the embedded ones (tests of broken data).
	Flows, Locales fs.FS
	Store          store.Options
	// Loans are the products and lending policy; the zero value means
	// loan.DefaultProducts and loan.DefaultPolicy.
	Loans LoanOptions
	// Officers are the staff the desk serves; OfficerGroup is where new
	// requests are announced, the terminal's "petugas" seat by default so
	// the demo works without Telegram.
	Officers     []officer.Officer
	OfficerGroup member.Address
	// Duties are the limits on one officer alone; the zero value means
	// duty.DefaultRules.
	Duties duty.Rules
	// TerminalReach makes members who chat in the terminal get their
	// notices there: the demo. Otherwise the terminal is a staff look-up
	// and never changes how a member is reached.
	TerminalReach bool
	// Chart is the chart of accounts; zero means books.DefaultChart().
	Chart books.Chart
	// Kolek, SHU, Health and HealthKey are the books' other rules; zero
	// means the embedded ones (see officer.Config).
	Kolek     kolek.Profile
	SHU       shu.Settings
	Health    map[string]health.Profile
	HealthKey string
	// ReasonWait is how long a press of Tolak or Minta info waits for the
	// officer's reason; 0 means officer.DefaultReasonWait.
	ReasonWait time.Duration
	// WajibAmount is the monthly simpanan wajib; saldo says how far a
	// member has paid it. Zero leaves that line out.
	WajibAmount decimal.Decimal
	Payments    PaymentOptions
	// BulkCapacity is how much bulk each channel carries a day: the
	// announcement preview estimates its delivery by it.
	BulkCapacity announce.Capacity
	// AnnounceValidDays: see officer.Config.
	AnnounceValidDays int
	// Withdraw are the rules of members' withdrawals; the zero value means
	// withdraw.DefaultRules.
	Withdraw withdraw.Rules
	Joining  JoiningOptions
	// Slipping lists who will not get today's reminder for want of
	// capacity, for the officers' /tertunda (see officer.Config); serve
	// sets it to its planner's, which is made after the app.
	Slipping func(ctx context.Context) ([]reminder.Slip, error)
}

// JoiningOptions configure joining and leaving; the zero value numbers
// members from KMM-00001 and tells the general requirements of the locales.
type JoiningOptions struct {
	FirstNumber  string
	Requirements map[string]string
	ProspectDays int
}

func joining(opts Options) officer.Joining {
	return officer.Joining{FirstNumber: opts.Joining.FirstNumber, Requirements: opts.Joining.Requirements,
		Wajib: opts.WajibAmount, ProspectDays: opts.Joining.ProspectDays}
}

// PaymentOptions configure the transfer proofs members send.
type PaymentOptions struct {
	// ProofsDir is where proofs are kept; "" means "proofs" beside the
	// database.
	ProofsDir string
	// MaxFileBytes is the largest file taken; 0 means
	// payment.DefaultMaxFileBytes.
	MaxFileBytes int64
	// Banks are the accounts members transfer to; the first is where
	// confirmed transfers are booked. None: members pay at the office and
	// proofs are booked to the cash box.
	Banks []payment.BankAccount
	// CodeDays is how long a payment code stays valid; 0 means
	// payment.DefaultCodeDays.
	CodeDays int
}

// TransferAccount is the ledger account confirmed transfers are booked to:
// the first bank's, or "" (the cash box) with none.
func (p PaymentOptions) TransferAccount() string {
	if len(p.Banks) == 0 {
		return ""
	}
	return p.Banks[0].Ledger
}

// StatementsDir is the folder beside the database at dbPath that keeps the
// statements members ask for as files, by content like the transfer
// proofs: a statement asked for twice unchanged is one file.
func StatementsDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "statements")
}

// LoanOptions configure lending.
type LoanOptions struct {
	Catalog loan.Catalog
	Policy  loan.Policy
}

// App is kopbot assembled.
type App struct {
	DB     *store.DB
	Msgs   *i18n.Bundle
	Engine *dialog.Engine
	Router *router.Router
	Clock  clock.Clock
	// Desk serves officers' commands and button presses.
	Desk *officer.Desk
	// Chart is the chart of accounts the books report with.
	Chart books.Chart
	// Kolek is the collectibility profile loans are judged by.
	Kolek kolek.Profile
	// Payments takes transfer proofs and imports bank statements.
	Payments *payment.Intake
	// Health is the health profiles by key; HealthKey the configured one.
	Health    map[string]health.Profile
	HealthKey string

	group  member.Address
	notify func()
}

// embeddedMessages parses the embedded locales once per process: they
// cannot change while it runs, the bundle is only read, and a test binary
// opens hundreds of apps.
var embeddedMessages = sync.OnceValues(func() (*i18n.Bundle, error) { return i18n.Load(locales.FS) })

// Open opens the database at path and builds everything on it. A flow that
// refers to a missing message or action fails here, before any member writes.
func Open(ctx context.Context, path string, opts Options) (*App, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Default()
	}
	if opts.Location == nil {
		opts.Location = clock.Jakarta()
	}
	opts.Clock = clock.InZone{Clock: opts.Clock, Location: opts.Location}
	if opts.Flows == nil {
		opts.Flows = flows.FS
	}
	load := embeddedMessages
	if opts.Locales != nil {
		load = func() (*i18n.Bundle, error) { return i18n.Load(opts.Locales) }
	}
	msgs, err := load()
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	if len(opts.Loans.Catalog.Products()) == 0 {
		if opts.Loans.Catalog, err = loan.NewCatalog(loan.DefaultProducts()...); err != nil {
			return nil, err
		}
		opts.Loans.Policy = loan.DefaultPolicy()
	}
	if opts.OfficerGroup == (member.Address{}) {
		opts.OfficerGroup = member.Address{Channel: channel.Console, Chat: OfficerSeat}
	}
	if len(opts.Chart.Accounts) == 0 {
		opts.Chart = books.DefaultChart()
	}
	desk, err := officer.New(officer.Config{Officers: opts.Officers, Group: opts.OfficerGroup,
		Catalog: opts.Loans.Catalog, Policy: opts.Loans.Policy, Msgs: msgs, Location: opts.Location, Duties: opts.Duties,
		Chart: opts.Chart, Kolek: opts.Kolek, SHU: opts.SHU, Health: opts.Health, HealthKey: opts.HealthKey,
		ReasonWait: opts.ReasonWait, TransferAccount: opts.Payments.TransferAccount(), BulkCapacity: opts.BulkCapacity, AnnounceValidDays: opts.AnnounceValidDays,
		Withdraw: opts.Withdraw, Joining: joining(opts), Slipping: opts.Slipping})
	if err != nil {
		return nil, err
	}
	deps := actions.Deps{Msgs: msgs, Catalog: opts.Loans.Catalog, Policy: opts.Loans.Policy, Officers: desk,
		WajibAmount: opts.WajibAmount, Pay: payment.Instructions{Msgs: msgs, Banks: opts.Payments.Banks,
			Wajib: opts.WajibAmount, CodeDays: cmp.Or(opts.Payments.CodeDays, payment.DefaultCodeDays)},
		Joining: desk, Files: payment.Files{Dir: StatementsDir(path)}}
	reg := actions.Registry(deps)
	withdraw.Member{Rules: desk.WithdrawRules(), Msgs: msgs, Officers: desk}.Register(reg)
	engine, err := dialog.New(opts.Flows, reg, msgs, dialog.Options{})
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, path, opts.Store, Schemas...)
	if err != nil {
		return nil, err
	}
	intake, err := payment.New(payment.Config{Files: payment.Files{Dir: cmp.Or(opts.Payments.ProofsDir,
		filepath.Join(filepath.Dir(path), "proofs")), Limit: cmp.Or(opts.Payments.MaxFileBytes, payment.DefaultMaxFileBytes)},
		Msgs: msgs, Group: opts.OfficerGroup, Wajib: opts.WajibAmount})
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	r := router.New(db, engine, msgs, opts.Clock, opts.Notify)
	r.SetDesk(desk)
	if opts.TerminalReach {
		r.ReachInTerminal()
	}
	r.SetProofs(intake)
	return &App{
		DB:        db,
		Msgs:      msgs,
		Engine:    engine,
		Router:    r,
		Clock:     opts.Clock,
		Desk:      desk,
		Chart:     opts.Chart,
		Kolek:     desk.Kolek(),
		Health:    desk.Health(),
		HealthKey: desk.HealthKey(),
		Payments:  intake,
		group:     opts.OfficerGroup,
		notify:    opts.Notify,
	}, nil
}

// AlertOfficers tells the officers' group of something no chat caused (a
// channel went down), in the cooperative's language, through the outbox.
func (a *App) AlertOfficers(ctx context.Context, id string, data any) error {
	err := a.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: a.group.Channel, Chat: a.group.Chat,
			Text: a.Msgs.T(i18n.Default, id, data)}}, a.Clock.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("alert officers: %w", err)
	}
	if a.notify != nil {
		a.notify()
	}
	return nil
}

// Close releases the database once the writes in hand are committed.
func (a *App) Close() error {
	if err := a.DB.Close(); err != nil {
		return errors.Join(fmt.Errorf("close %s", a.DB.Path()), err)
	}
	return nil
}

// SchemaVersion is a short fingerprint of every package's migrations: a
// database cached by a benchmark under this name was built by this schema.
func SchemaVersion() string {
	h := sha256.New()
	for _, s := range Schemas {
		files, _ := fs.Glob(s.FS, "*.sql") // embedded: the pattern is valid
		for _, f := range files {
			body, _ := fs.ReadFile(s.FS, f) // embedded: listed files exist
			fmt.Fprintf(h, "%s/%s\n", s.Name, f)
			h.Write(body)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
