// Package officer is the cooperative's staff desk: the loan requests
// announced to the officers' group with Setujui / Tolak / Minta info buttons,
// the officer commands (/antrian, /anggota, /cair, /bayar, /setor, /batal,
// /laporan …) typed in Telegram or at the terminal seat, and the members who
// asked for an officer, whose messages are posted to the group and answered
// with /balas (/obrolan, /selesai).
//
// Everything runs inside the router's once-only write transaction: the role
// is checked server-side on every command and press, the work is done with
// the domain packages, an audit row is written, and the replies and the
// member's notices are queued in the outbox, all committed together. Bad
// input is answered politely and writes nothing but the audit row and the
// answer. The long reads of /kolek and /kesehatan (the whole loan book
// judged) are done from a snapshot just before (Read), so that members'
// answers do not wait behind them.
package officer

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/actions"
	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/router"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/withdraw"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the audit log's and the pending reasons' migrations.
var Schema = store.EmbeddedSchema("officer", migrations, "migrations")

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// Officer is one member of staff.
type Officer struct {
	// ID is the officer's Telegram user id as text, also the terminal
	// seat's id.
	ID   string
	Name string
	Role loan.Role
	// Lang is the language the officer is answered in; "" means Indonesian.
	Lang string
	// Member is the officer's own member number when they are a member
	// too: they never act on that account.
	Member string
}

// Config configures a Desk.
type Config struct {
	Officers []Officer
	// Group is where new requests and decisions are announced: the
	// officers' Telegram group, or {console, "petugas"} in the terminal demo.
	Group   member.Address
	Catalog loan.Catalog
	Policy  loan.Policy
	Msgs    Localizer
	// Chart is the chart of accounts the books report with; zero means
	// books.DefaultChart().
	Chart books.Chart
	// ReasonWait is how long after Tolak or Minta info the officer's reply
	// is taken as the reason or question; 0 means DefaultReasonWait.
	ReasonWait time.Duration
	// Kolek is the collectibility profile; zero means kolek.DefaultProfile.
	Kolek kolek.Profile
	// SHU is the AD/ART's division of the SHU; zero means
	// shu.DefaultSettings().
	SHU shu.Settings
	// Health is the health profiles by key, HealthKey the one /kesehatan
	// uses unless an officer names another; zero means health.Profiles()
	// and health.DefaultProfile.
	Health    map[string]health.Profile
	HealthKey string
	// Location is the cooperative's zone (the timezone setting): it draws
	// the day boundaries of /laporan and dates payments. Required: a
	// default here would silently overrule the setting.
	Location *time.Location
	// Duties are the limits on what one officer does alone; the zero value
	// means duty.DefaultRules. Their Own map is filled from Officers.
	Duties duty.Rules
	// TransferAccount is the ledger account transfers land in (the first
	// bank account's, BANK-…); "" books them to the cash box, for a
	// cooperative that configured no bank.
	TransferAccount string
	// BulkCapacity is how much bulk each channel carries a day, for the
	// announcement preview's estimate; nil, or a channel without one, takes
	// no time.
	BulkCapacity announce.Capacity
	// AnnounceValidDays is how many days after the day it is sent an
	// announcement without a last day of its own still goes; 0 means
	// announce.DefaultValidDays.
	AnnounceValidDays int
	// Withdraw are the rules of members' withdrawals; the zero value means
	// withdraw.DefaultRules.
	Withdraw withdraw.Rules
	// Joining is how members are registered and what someone who asks to
	// join is told.
	Joining Joining
	// Slipping lists who will not get today's reminder for want of a
	// channel's capacity (reminder.Planner.Slipping), for /tertunda; nil
	// where no planner runs (the terminal seat).
	Slipping func(ctx context.Context) ([]reminder.Slip, error)
}

// groupLang is the language of what goes to the group, which many officers
// share: the cooperative's own.
const groupLang = i18n.Default

// Desk serves officers. It is read-only after New and safe for concurrent use.
type Desk struct {
	cfg      Config
	officers map[string]Officer
	commands map[string]command
	// afterRead, set by tests only, runs when a command's read is done and
	// its read transaction still open.
	afterRead func()
}

var (
	_ router.Desk       = (*Desk)(nil)
	_ actions.Announcer = (*Desk)(nil)
)

// New checks the roster: every officer has an id, a name and a known role,
// and no id appears twice.
func New(cfg Config) (*Desk, error) {
	if cfg.Msgs == nil {
		return nil, errors.New("officer desk: no messages")
	}
	if cfg.Group.Channel == "" || cfg.Group.Chat == "" {
		return nil, errors.New("officer desk: no officers' group to announce to")
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("officer desk: %w", err)
	}
	if len(cfg.Chart.Accounts) == 0 {
		cfg.Chart = books.DefaultChart()
	}
	if len(cfg.Kolek.Classes) == 0 {
		var err error
		if cfg.Kolek, err = kolek.Lookup(""); err != nil {
			return nil, fmt.Errorf("officer desk: %w", err)
		}
	}
	if len(cfg.SHU.Parts) == 0 {
		cfg.SHU = shu.DefaultSettings()
	}
	if len(cfg.Health) == 0 {
		cfg.Health = health.Profiles()
	}
	if cfg.HealthKey == "" {
		cfg.HealthKey = health.DefaultProfile
	}
	if _, ok := cfg.Health[cfg.HealthKey]; !ok {
		return nil, fmt.Errorf("officer desk: no health profile %q", cfg.HealthKey)
	}
	if cfg.Location == nil {
		return nil, errors.New("officer desk: no time zone")
	}
	if cfg.Duties.DepositLimit.IsZero() {
		cfg.Duties = duty.DefaultRules()
	}
	// Rules written before a limit existed take its default.
	def := duty.DefaultRules()
	if cfg.Duties.JournalLimit.IsZero() {
		cfg.Duties.JournalLimit = def.JournalLimit
	}
	if cfg.Duties.RelatedCap.IsZero() {
		cfg.Duties.RelatedCap = def.RelatedCap
	}
	if err := cfg.Duties.Validate(); err != nil {
		return nil, fmt.Errorf("officer desk: %w", err)
	}
	cfg.Duties.Own = map[string]string{}
	if cfg.Withdraw.BankAccount == "" {
		cfg.Withdraw = withdraw.DefaultRules()
	}
	if err := cfg.Withdraw.Validate(); err != nil {
		return nil, fmt.Errorf("officer desk: withdrawals: %w", err)
	}
	if cfg.Joining.FirstNumber == "" {
		cfg.Joining.FirstNumber = "KMM-00001"
	}
	if cfg.Joining.ProspectDays <= 0 {
		cfg.Joining.ProspectDays = int(membership.DefaultProspectKeep.Hours() / 24)
	}
	if err := (membership.Settings{FirstNumber: cfg.Joining.FirstNumber, Pokok: cfg.Duties.Pokok}).Validate(); err != nil {
		return nil, fmt.Errorf("officer desk: %w", err)
	}
	if cfg.ReasonWait <= 0 {
		cfg.ReasonWait = DefaultReasonWait
	}
	d := &Desk{cfg: cfg, officers: map[string]Officer{}, commands: commands()}
	maps.Copy(d.commands, booksCommands())
	maps.Copy(d.commands, announceCommands())
	for i, o := range cfg.Officers {
		o.ID, o.Name = strings.TrimSpace(o.ID), strings.TrimSpace(o.Name)
		switch {
		case o.ID == "":
			return nil, fmt.Errorf("officer desk: officer %d has no id", i+1)
		case o.Name == "":
			return nil, fmt.Errorf("officer desk: officer %s has no name", o.ID)
		case !o.Role.Known():
			return nil, fmt.Errorf("officer desk: officer %s: role %q: %w", o.ID, o.Role, loan.ErrRole)
		}
		if _, dup := d.officers[o.ID]; dup {
			return nil, fmt.Errorf("officer desk: officer id %s appears twice", o.ID)
		}
		if o.Lang = i18n.Normalize(o.Lang); o.Lang == "" {
			o.Lang = i18n.Default
		}
		if o.Member = strings.TrimSpace(o.Member); o.Member != "" {
			cfg.Duties.Own[o.ID] = o.Member
		}
		d.officers[o.ID] = o
	}
	return d, nil
}

// Lang is the language of the officer who sent m, for the router's own
// words to them.
func (d *Desk) Lang(m channel.Message) string {
	if o, ok := d.officers[m.From]; ok && o.Lang != "" {
		return o.Lang
	}
	return i18n.Default
}

// Serves claims a configured officer's messages on any channel, everything
// said in the officers' group, and officer commands from anyone, so that a
// member trying /cair is refused rather than shown the member menu. A
// member's ordinary words stay with the member dialog. Nothing said in
// another Telegram group is the desk's: kopbot stays silent there, even to
// an officer.
func (d *Desk) Serves(m channel.Message) bool {
	if d.inGroup(m.Channel, m.Chat) {
		return true
	}
	if m.Channel == channel.Telegram && m.Chat != m.From {
		return false
	}
	if _, ok := d.officers[m.From]; ok {
		return true
	}
	_, _, ok := d.parse(m.Text)
	return ok
}

func (d *Desk) inGroup(ch channel.Name, chat string) bool {
	return ch == d.cfg.Group.Channel && chat == d.cfg.Group.Chat
}

// officerName names the officer with id for a decision message, or the id
// itself for one no longer on the roster.
func (d *Desk) officerName(id string) string {
	if o, ok := d.officers[id]; ok {
		return o.Name
	}
	return id
}
