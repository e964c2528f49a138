// Package config reads kopbot's settings: a TOML file (kopbot.example.toml
// documents every key), then KOPBOT_* environment variables over it. A bad
// setting stops the start with the file line or the variable, the key and
// the reason; secrets come only from the environment or their own files and
// are never printed.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// Config is kopbot's settings. Load fills it; the accessors (Catalog,
// Location, TelegramToken…) return what Load checked and resolved, so a
// Config built by hand has none of them.
type Config struct {
	// DB is the SQLite file, relative to the working folder.
	DB string `toml:"db"`
	// Timezone is the cooperative's IANA zone for due dates and reminder hours.
	Timezone string `toml:"timezone"`
	// LogLevel is debug, info, warn or error.
	LogLevel slog.Level `toml:"log_level"`
	// Now, an RFC 3339 instant, starts kopbot's clock there instead of at
	// the real time (KOPBOT_NOW), so a demo, a scripted check or a bug
	// report replays on the dates it was written for. Never in production.
	Now string `toml:"now"`

	Telegram  Telegram  `toml:"telegram"`
	Officers  []Officer `toml:"officers"`
	Duty      Duties    `toml:"officer"`
	Privacy   Privacy   `toml:"privacy"`
	WhatsApp  WhatsApp  `toml:"whatsapp"`
	HTTP      HTTP      `toml:"http"`
	Loan      Loan      `toml:"loan"`
	Reminders Reminders `toml:"reminders"`
	Payment   Payment   `toml:"payment"`
	Delivery  Delivery  `toml:"delivery"`
	Withdraw  Withdraw  `toml:"withdraw"`
	Savings   Savings   `toml:"savings"`
	Joining   Joining   `toml:"membership"`
	Announce  Announce  `toml:"announce"`
	Books     Books     `toml:"books"`

	location      *time.Location
	now           time.Time
	catalog       loan.Catalog
	policy        loan.Policy
	duties        duty.Rules
	banks         []payment.BankAccount
	withdraw      withdraw.Rules
	jasa          jasa.Settings
	chart         books.Chart
	kolek         kolek.Profile
	shu           shu.Settings
	health        map[string]health.Profile
	token         string
	webhookSecret string
}

// Telegram is the officers' (and members') Telegram bot.
type Telegram struct {
	Enabled bool `toml:"enabled"`
	// TokenFile holds the bot token when KOPBOT_TELEGRAM_TOKEN is not set.
	TokenFile string `toml:"token_file"`
	// APIEndpoint is the Bot API URL with two %s, for the token and the
	// method, so a self-hosted Bot API server or a test server can stand in.
	APIEndpoint string `toml:"api_endpoint"`
	// FileEndpoint is where files members send are downloaded: two %s, for
	// the token and the file's path.
	FileEndpoint string `toml:"file_endpoint"`
	// OfficersChatID is the officers' group, where applications and alerts go.
	OfficersChatID int64 `toml:"officers_chat_id"`
	// Mode is ModePolling or ModeWebhook.
	Mode string `toml:"mode"`
	// WebhookURL is the public HTTPS URL Telegram posts updates to (webhook mode).
	WebhookURL string `toml:"webhook_url"`
	// WebhookSecretFile holds the webhook secret when
	// KOPBOT_TELEGRAM_WEBHOOK_SECRET is not set.
	WebhookSecretFile string `toml:"webhook_secret_file"`
	// GlobalRate is the most messages per second sent overall.
	GlobalRate float64 `toml:"global_rate"`
	// PerChatInterval is the least time between two messages to one chat.
	PerChatInterval Duration `toml:"per_chat_interval"`
	// GroupInterval is the least time between two messages to one group
	// (the officers'): Telegram allows about 20 a minute in a group.
	GroupInterval Duration `toml:"group_interval"`
	// ReasonWait is how long after an officer presses Tolak or Minta info
	// their reply is taken as the reason or the question.
	ReasonWait Duration `toml:"reason_wait"`
}

// The Telegram modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Officer is a staff member who may act through Telegram.
type Officer struct {
	TelegramID int64     `toml:"telegram_id"`
	Name       string    `toml:"name"`
	Role       loan.Role `toml:"role"`
	// Member is the officer's own member number, when they are a member
	// too: they can never act on that account.
	Member string `toml:"member"`
}

// Delivery is how the outbox treats what waited.
type Delivery struct {
	// LateAfter is how long an answer may wait (the channel was down)
	// before it goes with an apology for the delay above it.
	LateAfter Duration `toml:"late_after"`
	// Burst: a member's answers queued within this of each other go as
	// one message (a repeated answer once); 0 sends each on its own.
	Burst Duration `toml:"burst"`
}

// Privacy is how long members' message texts are kept.
type Privacy struct {
	// MessageDays is how many days the text of a message is kept after it
	// was received, or delivered; its id stays, so a redelivery is still
	// answered once.
	MessageDays int `toml:"message_days"`
}

// Duties are the limits on what one officer does alone.
type Duties struct {
	// DepositLimit is the largest deposit one officer posts alone; above
	// it a second officer confirms before it is posted.
	DepositLimit Amount `toml:"deposit_limit"`
	// JournalLimit is the largest /jurnal entry one officer posts alone.
	JournalLimit Amount `toml:"journal_limit"`
	// DepositCeiling is refused outright, confirmed or not.
	DepositCeiling Amount `toml:"deposit_ceiling"`
	// SoloDisbursement lets the officer who approved a loan also record
	// its disbursement (a cooperative with one officer).
	SoloDisbursement bool `toml:"solo_disbursement"`
	// PokokAmount is the simpanan pokok, paid once per member.
	PokokAmount Amount `toml:"pokok_amount"`
	// RelatedPartyCap caps loans to pengurus and pengawas (the officers'
	// own member numbers) together, as a share of modal sendiri.
	RelatedPartyCap Rate `toml:"related_party_cap"`
}

// Books are the rules the books are judged by. Each is embedded in kopbot;
// a file replaces or adds to it, so a cooperative's own chart, its AD/ART's
// SHU split or a Dinas's correction of a threshold needs no rebuild.
type Books struct {
	// ChartFile is a chart of accounts replacing the embedded one.
	ChartFile string `toml:"chart_file"`
	// KolekProfile names the kolektibilitas profile: ksp, bank5 or one in
	// KolekFile.
	KolekProfile string `toml:"kolek_profile"`
	// KolekFile holds profiles that replace or add to the embedded ones.
	KolekFile string `toml:"kolek_file"`
	// SHUFile is the AD/ART's SHU split replacing the embedded one.
	SHUFile string `toml:"shu_file"`
	// HealthProfile names the health assessment's rules: 2021, 2016 or the
	// key of the profile in HealthFile.
	HealthProfile string `toml:"health_profile"`
	// HealthFile is a profile that replaces the embedded one of its key or
	// adds a new key.
	HealthFile string `toml:"health_file"`
}

// WhatsApp is the members' WhatsApp channel.
type WhatsApp struct {
	Enabled bool `toml:"enabled"`
	// Session is whatsmeow's own SQLite file holding the linked device.
	Session string `toml:"session"`
	// MinInterval and a random part of Jitter space bulk messages
	// (reminders, summaries, announcements) across all chats: WhatsApp bans
	// numbers that bulk-message like machines. Replies have their own pace.
	MinInterval Duration `toml:"min_interval"`
	Jitter      Duration `toml:"jitter"`
	// ChatGap is the least time between two messages to one chat; a reply
	// otherwise goes within seconds.
	ChatGap Duration `toml:"chat_gap"`
	// BulkDailyCap is the most bulk messages one number sends in a day.
	BulkDailyCap int `toml:"bulk_daily_cap"`
	// A fresh number's daily bulk cap starts at WarmupStartCap on its first
	// day with kopbot and rises evenly to BulkDailyCap over WarmupDays (0:
	// no warm-up): WhatsApp watches new numbers that send a lot.
	WarmupStartCap int `toml:"warmup_start_cap"`
	WarmupDays     int `toml:"warmup_days"`
	// A reply waits from TypingMin (a short one) to TypingMax (a long one)
	// after the message it answers, with "typing…" shown meanwhile.
	TypingMin Duration `toml:"typing_min"`
	TypingMax Duration `toml:"typing_max"`
}

// HTTP is the operations endpoint for /healthz and /metrics.
type HTTP struct {
	// Listen is host:port; empty turns the endpoint off.
	Listen string `toml:"listen"`
}

// Loan is the lending policy and the products on offer.
type Loan struct {
	PlafonMultiple      Decimal `toml:"plafon_multiple"`
	TwoOfficersAbove    Amount  `toml:"two_officers_above"`
	FirstDueAfterMonths int     `toml:"first_due_after_months"`
	// Settlement is how paying early works for every product that does
	// not say otherwise.
	Settlement Settlement `toml:"settlement"`
	Products   []Product  `toml:"products"`
}

// Settlement is early settlement (pelunasan dipercepat), prepayment and
// installment rounding; see loan.Settlement.
type Settlement struct {
	// AnnuityPolicy and FlatPolicy are accrued, current_period or discount.
	AnnuityPolicy string `toml:"annuity_policy"`
	FlatPolicy    string `toml:"flat_policy"`
	// Fee is charged on the outstanding principal when a loan is settled
	// early; Discount is the part of the remaining interest the discount
	// policy waives.
	Fee      Rate `toml:"fee"`
	Discount Rate `toml:"discount"`
	// Prepayment is what a part prepayment of an annuity loan shrinks:
	// installment or term.
	Prepayment string `toml:"prepayment"`
	// InstallmentRounding rounds installments up to 0 (off), 100, 500 or 1000.
	InstallmentRounding int64 `toml:"installment_rounding"`
}

// Product is a loan product as written in the file; see loan.Product.
type Product struct {
	Code string `toml:"code"`
	Name string `toml:"name"`
	// Method is flat, or annuity (also written anuitas or efektif).
	Method        string `toml:"method"`
	RatePerMonth  Rate   `toml:"rate_per_month"`
	MinAmount     Amount `toml:"min_amount"`
	MaxAmount     Amount `toml:"max_amount"`
	MinTenor      int    `toml:"min_tenor"`
	MaxTenor      int    `toml:"max_tenor"`
	PenaltyPerDay Rate   `toml:"penalty_per_day"`
	GraceDays     int    `toml:"grace_days"`
	// The product's own early-settlement rules; unset, [loan.settlement]'s.
	SettlementPolicy    string  `toml:"settlement_policy"`
	SettlementFee       OptRate `toml:"settlement_fee"`
	SettlementDiscount  OptRate `toml:"settlement_discount"`
	Prepayment          string  `toml:"prepayment"`
	InstallmentRounding OptInt  `toml:"installment_rounding"`
}

// Reminders is when members are reminded of installments and simpanan wajib.
type Reminders struct {
	// OffsetsInstallment and OffsetsWajib are days relative to the due
	// date: -3 is H-3, 0 the due day, 7 is H+7.
	OffsetsInstallment []int `toml:"offsets_installment"`
	OffsetsWajib       []int `toml:"offsets_wajib"`
	// Reminders go out only between WindowStart and WindowEnd, local time,
	// on Days.
	WindowStart TimeOfDay `toml:"window_start"`
	WindowEnd   TimeOfDay `toml:"window_end"`
	Days        []Weekday `toml:"days"`
	// WajibAmount is the monthly simpanan wajib, due on WajibDueDay.
	WajibAmount Amount `toml:"wajib_amount"`
	WajibDueDay int    `toml:"wajib_due_day"`
	// Holidays are days without reminders besides the shipped Indonesian
	// national holidays and cuti bersama (a regional holiday, a cuti
	// bersama announced after this release).
	Holidays []Date `toml:"holidays"`
}

// Payment is what members send as transfer proofs.
type Payment struct {
	// ProofsDir is where proofs are kept, content-addressed; "" means a
	// folder "proofs" beside the database.
	ProofsDir string `toml:"proofs_dir"`
	// MaxFileBytes is the largest file a member may send.
	MaxFileBytes int64 `toml:"max_file_bytes"`
	// CodeDays is how many days after the day a member asks a payment code
	// (kode unik) stays valid.
	CodeDays int `toml:"code_days"`
	// Banks are the cooperative's accounts members transfer to, in the
	// order members read them; the first is where transfer proofs are
	// booked.
	Banks []Bank `toml:"banks"`
}

// Bank is one of the cooperative's bank accounts.
type Bank struct {
	Bank   string `toml:"bank"`
	Number string `toml:"number"`
	Holder string `toml:"holder"`
	// Ledger is its ledger account, BANK-<bank> when empty.
	Ledger string `toml:"ledger"`
	// Statement is the layout of its statement export: a preset (bca,
	// mandiri, bri) or custom; the columns below name (or, with a
	// preset, rename) the header of each column kopbot reads.
	Statement         string `toml:"statement"`
	DateColumn        string `toml:"date_column"`
	DescriptionColumn string `toml:"description_column"`
	CreditColumn      string `toml:"credit_column"`
	DebitColumn       string `toml:"debit_column"`
	CreditMark        string `toml:"credit_mark"`
}

// Withdraw is members taking money out of their simpanan sukarela.
type Withdraw struct {
	// MinBalance is what stays in a member's sukarela after a withdrawal.
	MinBalance Amount `toml:"min_balance"`
	// BlockArrears refuses withdrawals while an installment or denda is late.
	BlockArrears bool `toml:"block_arrears"`
	// ManagerLimit is the largest withdrawal a petugas approves alone;
	// above it a manajer confirms.
	ManagerLimit Amount `toml:"manager_limit"`
	// BankAccount is the ledger account (BANK-…) transfers are paid from.
	BankAccount string `toml:"bank_account"`
}

// Savings is what the cooperative pays on its members' savings.
type Savings struct {
	// SukarelaRate is the jasa simpanan on simpanan sukarela, a year; 0
	// pays none. At most 9% (Permenkop UKM 8/2023 pasal 26 ayat 4).
	SukarelaRate Rate `toml:"sukarela_rate"`
	// SukarelaBasis is the month's balance it is paid on: lowest (saldo
	// terendah) or average (saldo rata-rata harian).
	SukarelaBasis string `toml:"sukarela_basis"`
}

// Joining is how people join and leave the cooperative by chat.
type Joining struct {
	// Requirements is what a number that asks to join (daftar) is told it
	// needs, in Indonesian; RequirementsEN in English ("" shows the
	// Indonesian). Both "" means the general text in locales/membership.
	// The simpanan pokok and wajib amounts are added from their own
	// settings.
	Requirements   string `toml:"requirements"`
	RequirementsEN string `toml:"requirements_en"`
	// FirstNumber is the first member number /daftar gives; later ones
	// count on from the highest member number with its prefix.
	FirstNumber string `toml:"first_number"`
	// ProspectDays is how long the name and number of someone who asked to
	// join are kept without being registered.
	ProspectDays int `toml:"prospect_days"`
}

// Announce is how the manajer's announcements (/umumkan) go.
type Announce struct {
	// ValidDays is how many days after the day it is sent an announcement
	// without a last day of its own (/umumkan sampai …) still goes: copies
	// not sent by the end of that day are dropped, counted as expired.
	ValidDays int `toml:"valid_days"`
}

func defaults() Config {
	policy, rules, wd := loan.DefaultPolicy(), duty.DefaultRules(), withdraw.DefaultRules()
	var products []Product
	for _, p := range loan.DefaultProducts() {
		products = append(products, Product{Code: p.Code, Name: p.Name, Method: string(p.Method),
			RatePerMonth: Rate{p.RatePerMonth}, MinAmount: Amount{p.MinAmount}, MaxAmount: Amount{p.MaxAmount},
			MinTenor: p.MinTenor, MaxTenor: p.MaxTenor, PenaltyPerDay: Rate{p.PenaltyPerDay}, GraceDays: p.GraceDays})
	}
	workdays := []Weekday{{time.Monday}, {time.Tuesday}, {time.Wednesday}, {time.Thursday}, {time.Friday}, {time.Saturday}}
	return Config{
		DB:       "kopbot.db",
		Timezone: "Asia/Jakarta",
		LogLevel: slog.LevelInfo,
		Telegram: Telegram{APIEndpoint: tgbotapi.APIEndpoint, FileEndpoint: tgbotapi.FileEndpoint, Mode: ModePolling, GlobalRate: 25,
			PerChatInterval: Duration{time.Second}, GroupInterval: Duration{3 * time.Second}, ReasonWait: Duration{10 * time.Minute}},
		Delivery: Delivery{LateAfter: Duration{30 * time.Minute}, Burst: Duration{5 * time.Second}},
		// The pacing of whatsapp.DefaultPacing, written out to keep whatsmeow
		// out of this package.
		WhatsApp: WhatsApp{Session: "whatsapp.db", MinInterval: Duration{8 * time.Second}, Jitter: Duration{7 * time.Second},
			ChatGap: Duration{3 * time.Second}, BulkDailyCap: 3000, WarmupStartCap: 200, WarmupDays: 14,
			TypingMin: Duration{time.Second}, TypingMax: Duration{3 * time.Second}},
		HTTP:    HTTP{Listen: "127.0.0.1:8080"},
		Privacy: Privacy{MessageDays: 30},
		Duty: Duties{DepositLimit: Amount{rules.DepositLimit}, JournalLimit: Amount{rules.JournalLimit}, DepositCeiling: Amount{rules.Ceiling},
			RelatedPartyCap:  Rate{rules.RelatedCap},
			SoloDisbursement: rules.SoloDisbursement, PokokAmount: Amount{rules.Pokok}},
		Loan: Loan{PlafonMultiple: Decimal{policy.PlafonMultiple}, TwoOfficersAbove: Amount{policy.TwoOfficersAbove},
			FirstDueAfterMonths: policy.FirstDueAfterMonths, Products: products,
			Settlement: Settlement{AnnuityPolicy: string(loan.SettleAccrued), FlatPolicy: string(loan.SettleCurrentPeriod),
				Fee: Rate{decimal.Zero}, Discount: Rate{decimal.Zero}, Prepayment: string(loan.ShrinkInstallment)}},
		Reminders: Reminders{
			OffsetsInstallment: []int{-3, -1, 0, 1, 7},
			OffsetsWajib:       []int{-3, 0, 7},
			WindowStart:        TimeOfDay{Hour: 8},
			WindowEnd:          TimeOfDay{Hour: 20},
			Days:               workdays,
			Holidays:           []Date{},
			WajibAmount:        Amount{decimal.NewFromInt(50_000)},
			WajibDueDay:        10,
		},
		Payment: Payment{MaxFileBytes: 5 << 20, CodeDays: payment.DefaultCodeDays},
		Withdraw: Withdraw{MinBalance: Amount{wd.Minimum}, BlockArrears: wd.BlockArrears,
			ManagerLimit: Amount{wd.ManagerLimit}, BankAccount: wd.BankAccount},
		Savings:  Savings{SukarelaRate: Rate{decimal.Zero}, SukarelaBasis: string(jasa.Lowest)},
		Joining:  Joining{FirstNumber: "KMM-00001", ProspectDays: 30},
		Announce: Announce{ValidDays: announce.DefaultValidDays},
		Books:    Books{KolekProfile: kolek.DefaultProfile, HealthProfile: health.DefaultProfile},
	}
}

// Load reads the settings: the defaults, then the TOML file at path (none
// when path is ""; a path that cannot be read is an error), then the
// environment through env (os.LookupEnv in production). Every setting has
// a variable KOPBOT_<KEY PATH>, e.g. KOPBOT_LOAN_PLAFON_MULTIPLE; an empty
// variable counts as unset. KOPBOT_OFFICERS="1001:manajer:Bu Rina,…"
// replaces the officer list. The error lists every problem found, each a
// *Problem.
func Load(path string, env func(string) (string, bool)) (Config, error) {
	cfg := defaults()
	l := &loader{file: path, fromEnv: map[string]string{}, env: env}
	if path != "" {
		src, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		l.src = string(src)
		var data map[string]any
		if _, err := toml.Decode(l.src, &data); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				err = &Problem{File: path, Line: pe.Position.Line, Err: fmt.Errorf("TOML syntax: %s", pe.Message)}
			}
			return Config{}, fmt.Errorf("config: %w", err)
		}
		l.decode(reflect.ValueOf(&cfg).Elem(), data, nil)
	}
	l.applyEnv(&cfg)
	// Checking values that failed to read would only add noise.
	if len(l.problems) == 0 {
		l.resolve(&cfg)
	}
	if len(l.problems) > 0 {
		return Config{}, l.err()
	}
	if !cfg.now.IsZero() {
		slog.Warn("THE CLOCK IS PINNED: kopbot believes it is "+cfg.Now+" (KOPBOT_NOW / now); dates, due days and reminders follow it, not the real time",
			"now", cfg.Now)
	}
	return cfg, nil
}

type loader struct {
	file     string
	src      string
	env      func(string) (string, bool)
	fromEnv  map[string]string // key path → the variable that set it
	problems []*Problem
}

// lookup treats an empty variable as unset, as `--db` does with KOPBOT_DB,
// because compose files and service units often define variables empty.
func (l *loader) lookup(name string) (string, bool) {
	s, ok := l.env(name)
	return s, ok && s != ""
}

func (l *loader) applyEnv(cfg *Config) {
	scalars(reflect.ValueOf(cfg).Elem(), nil, func(path keyPath, v reflect.Value) {
		name := path.envName()
		s, ok := l.lookup(name)
		if !ok {
			return
		}
		l.fromEnv[path.String()] = name
		if err := setText(v, s); err != nil {
			l.problems = append(l.problems, &Problem{Env: name, Key: path.String(), Err: err})
		}
	})
	officers := keyPath{"officers"}
	if s, ok := l.lookup(officers.envName()); ok {
		l.fromEnv[officers.String()] = officers.envName()
		list, err := parseOfficers(s)
		if err != nil {
			l.problems = append(l.problems, &Problem{Env: officers.envName(), Key: officers.String(), Err: err})
		}
		cfg.Officers = list
	}
}

// parseOfficers reads "1001:manajer:Bu Rina,1002/KMM-00007:petugas:Pak
// Budi": an officer who is a member writes their member number after the
// id; the name comes last so it may contain a colon.
func parseOfficers(s string) ([]Officer, error) {
	var list []Officer
	for i, entry := range strings.Split(s, ",") {
		id, rest, ok := strings.Cut(strings.TrimSpace(entry), ":")
		role, name, ok2 := strings.Cut(rest, ":")
		id, own, _ := strings.Cut(id, "/")
		n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		if !ok || !ok2 || err != nil {
			return nil, fmt.Errorf("entry %d %q: want telegram_id[/member]:role:name, e.g. 1001:manajer:Bu Rina or 1002/KMM-00007:petugas:Pak Budi", i+1, entry)
		}
		list = append(list, Officer{TelegramID: n, Role: loan.Role(strings.TrimSpace(role)), Name: strings.TrimSpace(name),
			Member: strings.TrimSpace(own)})
	}
	return list, nil
}

// fileProblem reports a value read from the file, at its line.
func (l *loader) fileProblem(path keyPath, err error) {
	l.problems = append(l.problems, &Problem{File: l.file, Line: lineOf(l.src, path), Key: path.String(), Err: err})
}

// problem reports a setting found wrong after loading, at the variable
// that set it (or set the list it is in), else at its line in the file.
func (l *loader) problem(path keyPath, err error) {
	for i := len(path); i > 0; i-- {
		if env, ok := l.fromEnv[path[:i].String()]; ok {
			l.problems = append(l.problems, &Problem{Env: env, Key: path.String(), Err: err})
			return
		}
	}
	if line := lineOf(l.src, path); line > 0 {
		l.problems = append(l.problems, &Problem{File: l.file, Line: line, Key: path.String(), Err: err})
		return
	}
	l.problems = append(l.problems, &Problem{Key: path.String(), Err: err})
}

// err lists the problems in file order, those without a line last.
func (l *loader) err() error {
	sort.SliceStable(l.problems, func(a, b int) bool {
		la, lb := l.problems[a].Line, l.problems[b].Line
		return la != 0 && (lb == 0 || la < lb)
	})
	errs := make([]error, len(l.problems))
	for i, p := range l.problems {
		errs[i] = p
	}
	return fmt.Errorf("config: %w", errors.Join(errs...))
}

// Officer finds an officer by Telegram user id.
func (c Config) Officer(id int64) (Officer, bool) {
	for _, o := range c.Officers {
		if o.TelegramID == id {
			return o, true
		}
	}
	return Officer{}, false
}

// Catalog is the checked loan products.
func (c Config) Catalog() loan.Catalog { return c.catalog }

// Policy is the checked lending policy.
func (c Config) Policy() loan.Policy { return c.policy }

// Duties are the checked limits on one officer alone, with each officer's
// own member number.
func (c Config) Duties() duty.Rules { return c.duties }

// Banks are the checked bank accounts with their statement layouts.
func (c Config) Banks() []payment.BankAccount { return c.banks }

// WithdrawRules are the checked rules of members' withdrawals.
func (c Config) WithdrawRules() withdraw.Rules { return c.withdraw }

// Jasa is the checked jasa simpanan on sukarela.
func (c Config) Jasa() jasa.Settings { return c.jasa }

// Chart is the checked chart of accounts.
func (c Config) Chart() books.Chart { return c.chart }

// Kolek is the checked kolektibilitas profile.
func (c Config) Kolek() kolek.Profile { return c.kolek }

// SHU is the checked SHU split.
func (c Config) SHU() shu.Settings { return c.shu }

// Health is the checked health profiles by key; books.health_profile is
// the one used unless an officer names another.
func (c Config) Health() map[string]health.Profile { return c.health }

// Location is the cooperative's time zone.
func (c Config) Location() *time.Location { return c.location }

// Clock is the clock started at Now when that is set, else clock.Default.
func (c Config) Clock() clock.Clock {
	if c.now.IsZero() {
		return clock.Default()
	}
	return clock.StartingAt(c.now)
}

// TelegramToken is the bot token from KOPBOT_TELEGRAM_TOKEN or
// telegram.token_file; "" when Telegram is off.
func (c Config) TelegramToken() string { return c.token }

// WebhookSecret is the secret Telegram sends with each webhook update, from
// KOPBOT_TELEGRAM_WEBHOOK_SECRET or telegram.webhook_secret_file; "" unless
// Telegram runs in webhook mode.
func (c Config) WebhookSecret() string { return c.webhookSecret }

// Redacted is the settings in effect as TOML, for the log at start: it says
// whether each secret is set, never what it is, and blanks a secret pasted
// into another setting (a token inside webhook_url, say).
func (c Config) Redacted() string {
	state := func(s string) string {
		if s == "" {
			return "not set"
		}
		return "set"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# kopbot settings in effect\n# telegram token: %s; webhook secret: %s\n",
		state(c.token), state(c.webhookSecret))
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		return fmt.Sprintf("# settings cannot be shown: %v\n", err)
	}
	out := b.String()
	for _, s := range []string{c.token, c.webhookSecret} {
		if s != "" {
			out = strings.ReplaceAll(out, s, "[redacted]")
		}
	}
	return out
}

// String is Redacted, so printing a Config with %v cannot leak a secret.
func (c Config) String() string { return c.Redacted() }

// GoString is Redacted too: %#v would otherwise print the secrets held in
// unexported fields.
func (c Config) GoString() string { return c.Redacted() }
