package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/ruleset"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// resolve checks every setting and derives what the accessors return.
func (l *loader) resolve(c *Config) {
	if strings.TrimSpace(c.DB) == "" {
		l.problem(keyPath{"db"}, errors.New("empty: name the SQLite file, e.g. kopbot.db"))
	}
	// LoadLocation("") is UTC, which would silently move every due date.
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		l.problem(keyPath{"timezone"}, fmt.Errorf("unknown time zone %q; Indonesia uses Asia/Jakarta (WIB), "+
			"Asia/Makassar (WITA) or Asia/Jayapura (WIT)", c.Timezone))
	}
	c.location = loc
	if c.Now != "" {
		now, err := clock.ParseNow(c.Now)
		if err != nil {
			l.problem(keyPath{"now"}, err)
		}
		c.now = now
	}
	switch c.LogLevel {
	case slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError:
	default:
		l.problem(keyPath{"log_level"}, fmt.Errorf("%s: want debug, info, warn or error", c.LogLevel))
	}
	l.resolveTelegram(c)
	l.checkOfficers(c.Officers)
	l.checkWhatsApp(c.WhatsApp)
	if c.HTTP.Listen != "" {
		if err := checkListen(c.HTTP.Listen); err != nil {
			l.problem(keyPath{"http", "listen"}, err)
		}
	}
	l.resolveLoan(c)
	l.checkReminders(c.Reminders)
	l.resolveDuties(c)
	l.resolveWithdraw(c)
	l.resolveSavings(c)
	l.resolveBooks(c)
	if n := c.Payment.MaxFileBytes; n < 1024 || n > 50<<20 {
		l.problem(keyPath{"payment", "max_file_bytes"}, fmt.Errorf("%d: want 1024 to %d bytes (50 MB)", n, 50<<20))
	}
	l.resolveBanks(c)
	if c.Delivery.LateAfter.Duration <= 0 {
		l.problem(keyPath{"delivery", "late_after"}, fmt.Errorf("%s: want more than 0", c.Delivery.LateAfter))
	}
	if c.Delivery.Burst.Duration < 0 || c.Delivery.Burst.Duration > time.Minute {
		l.problem(keyPath{"delivery", "burst"}, fmt.Errorf("%s: want 0 (off) up to 1m; a longer wait is no answer", c.Delivery.Burst))
	}
	l.checkJoining(c)
	if d := c.Announce.ValidDays; d < 1 || d > maxAnnounceDays {
		l.problem(keyPath{"announce", "valid_days"}, fmt.Errorf("%d: want 1 to %d days", d, maxAnnounceDays))
	}
	if c.Privacy.MessageDays < 1 {
		l.problem(keyPath{"privacy", "message_days"}, fmt.Errorf("%d: want 1 or more days", c.Privacy.MessageDays))
	}
}

// maxAnnounceDays bounds announce.valid_days: an announcement is about
// something near; one that still waits two months later helps nobody.
const maxAnnounceDays = 60

func (l *loader) checkJoining(c *Config) {
	j, at := c.Joining, keyPath{"membership"}
	if err := (membership.Settings{FirstNumber: j.FirstNumber, Pokok: decimal.NewFromInt(1)}).Validate(); err != nil {
		l.problem(at.key("first_number"), fmt.Errorf("%w, e.g. KMM-00001", err))
	}
	if j.ProspectDays < 1 {
		l.problem(at.key("prospect_days"), fmt.Errorf("%d: want 1 or more days", j.ProspectDays))
	}
}

func (l *loader) resolveDuties(c *Config) {
	o, at := c.Duty, keyPath{"officer"}
	c.duties = duty.Rules{DepositLimit: o.DepositLimit.Decimal, JournalLimit: o.JournalLimit.Decimal, Ceiling: o.DepositCeiling.Decimal,
		SoloDisbursement: o.SoloDisbursement, Pokok: o.PokokAmount.Decimal, Own: map[string]string{},
		RelatedCap: o.RelatedPartyCap.Decimal}
	switch {
	case !o.DepositLimit.IsPositive():
		l.problem(at.key("deposit_limit"), errors.New("want more than Rp0"))
	case o.DepositCeiling.LessThan(o.DepositLimit.Decimal):
		l.problem(at.key("deposit_ceiling"), fmt.Errorf("%s is below deposit_limit %s", o.DepositCeiling, o.DepositLimit))
	}
	switch {
	case !o.JournalLimit.IsPositive():
		l.problem(at.key("journal_limit"), errors.New("want more than Rp0"))
	case o.DepositCeiling.LessThan(o.JournalLimit.Decimal):
		l.problem(at.key("journal_limit"), fmt.Errorf("%s is above deposit_ceiling %s", o.JournalLimit, o.DepositCeiling))
	}
	if !o.RelatedPartyCap.IsPositive() || o.RelatedPartyCap.GreaterThan(decimal.NewFromInt(1)) {
		l.problem(at.key("related_party_cap"), fmt.Errorf("%s: want more than 0%% and at most 100%%", o.RelatedPartyCap.Percent()))
	}
	if !o.PokokAmount.IsPositive() {
		l.problem(at.key("pokok_amount"), errors.New("want more than Rp0"))
	}
	for _, off := range c.Officers {
		if off.Member != "" {
			c.duties.Own[strconv.FormatInt(off.TelegramID, 10)] = off.Member
		}
	}
}

func (l *loader) resolveWithdraw(c *Config) {
	w, at := c.Withdraw, keyPath{"withdraw"}
	c.withdraw = withdraw.Rules{Minimum: w.MinBalance.Decimal, BlockArrears: w.BlockArrears,
		ManagerLimit: w.ManagerLimit.Decimal, BankAccount: w.BankAccount}
	if !w.ManagerLimit.IsPositive() {
		l.problem(at.key("manager_limit"), errors.New("want more than Rp0"))
	}
	if !strings.HasPrefix(w.BankAccount, "BANK-") || len(w.BankAccount) < len("BANK-")+1 {
		l.problem(at.key("bank_account"), fmt.Errorf("%q: want a ledger code BANK-… (the chart's bank account matches BANK-*)", w.BankAccount))
	}
}

// resolveSavings refuses a jasa simpanan above the regulator's cap, so
// kopbot does not start promising what it may not pay.
func (l *loader) resolveSavings(c *Config) {
	s, at := c.Savings, keyPath{"savings"}
	c.jasa = jasa.Settings{Rate: s.SukarelaRate.Decimal, Basis: jasa.Basis(strings.ToLower(strings.TrimSpace(s.SukarelaBasis)))}
	err := c.jasa.Validate()
	switch {
	case errors.Is(err, jasa.ErrBasis):
		l.problem(at.key("sukarela_basis"), err)
	case err != nil:
		// In the treasurer's percentages rather than jasa's fractions.
		l.problem(at.key("sukarela_rate"), fmt.Errorf("%s a year: want 0%% (none) up to %s: %w", s.SukarelaRate.Percent(),
			Rate{jasa.MaxRate}.Percent(), errors.Unwrap(err)))
	}
}

// resolveBooks reads the rule files and checks them, so a bad chart or a
// profile that does not add up stops the start rather than a report.
func (l *loader) resolveBooks(c *Config) {
	b, at := c.Books, keyPath{"books"}
	var err error
	if c.chart, err = books.LoadChart(b.ChartFile); err != nil {
		l.problem(at.key("chart_file"), err)
	}
	if c.shu, err = shu.LoadSettings(b.SHUFile); err != nil {
		l.problem(at.key("shu_file"), err)
	}
	kp, err := kolek.WithFile(b.KolekFile)
	if err != nil {
		l.problem(at.key("kolek_file"), err)
	} else if c.kolek, err = ruleset.Lookup(kp, b.KolekProfile, kolek.DefaultProfile, nil); err != nil {
		l.problem(at.key("kolek_profile"), err)
	}
	if c.health, err = health.WithFile(b.HealthFile); err != nil {
		l.problem(at.key("health_file"), err)
	} else if _, err := ruleset.Lookup(c.health, b.HealthProfile, health.DefaultProfile, nil); err != nil {
		l.problem(at.key("health_profile"), err)
	}
}

func (l *loader) resolveTelegram(c *Config) {
	t, at := c.Telegram, keyPath{"telegram"}
	if err := checkEndpoint(t.APIEndpoint); err != nil {
		l.problem(at.key("api_endpoint"), err)
	}
	if err := checkEndpoint(t.FileEndpoint); err != nil {
		l.problem(at.key("file_endpoint"), err)
	}
	if t.GlobalRate <= 0 {
		l.problem(at.key("global_rate"), fmt.Errorf("%g: want more than 0 messages per second", t.GlobalRate))
	}
	if t.PerChatInterval.Duration <= 0 {
		l.problem(at.key("per_chat_interval"), fmt.Errorf("%s: want more than 0", t.PerChatInterval))
	}
	if t.GroupInterval.Duration <= 0 {
		l.problem(at.key("group_interval"), fmt.Errorf("%s: want more than 0; Telegram allows about 20 messages a minute in a group", t.GroupInterval))
	}
	if t.ReasonWait.Duration < time.Minute || t.ReasonWait.Duration > 24*time.Hour {
		l.problem(at.key("reason_wait"), fmt.Errorf("%s: want 1m to 24h", t.ReasonWait))
	}
	switch t.Mode {
	case ModePolling:
	case ModeWebhook:
		if u, err := url.Parse(t.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			l.problem(at.key("webhook_url"), fmt.Errorf("%q: webhook mode needs the public https:// URL Telegram posts to", t.WebhookURL))
		}
	default:
		l.problem(at.key("mode"), fmt.Errorf("%q: want polling or webhook", t.Mode))
	}
	if !t.Enabled {
		return
	}
	c.token = l.secret(at.key("token"), at.key("token_file"), t.TokenFile)
	switch {
	case c.token == "" && t.TokenFile == "":
		l.problem(at.key("enabled"), errors.New("Telegram is on but has no bot token: "+
			"set KOPBOT_TELEGRAM_TOKEN or telegram.token_file"))
	case strings.ContainsAny(c.token, " \t\r\n/?#%"):
		// The token goes into the URL path; say what is wrong without showing it.
		l.problem(at.key("token"), errors.New("the bot token contains a space, newline or URL character; "+
			"copy it again from @BotFather"))
	}
	if t.Mode != ModeWebhook {
		return
	}
	// Without a secret anyone who learns the URL could post fake updates,
	// officers' approvals included.
	c.webhookSecret = l.secret(at.key("webhook_secret"), at.key("webhook_secret_file"), t.WebhookSecretFile)
	switch {
	case c.webhookSecret == "" && t.WebhookSecretFile == "":
		l.problem(at.key("mode"), errors.New("webhook mode needs a secret: "+
			"set KOPBOT_TELEGRAM_WEBHOOK_SECRET or telegram.webhook_secret_file"))
	case !validWebhookSecret(c.webhookSecret):
		l.problem(at.key("webhook_secret"), errors.New("Telegram accepts 1 to 256 characters A-Z, a-z, 0-9, _ and - "+
			"as a webhook secret"))
	}
}

// secret reads a secret from its environment variable, else from the file
// a setting names, without the trailing newline editors add.
func (l *loader) secret(key, fileKey keyPath, file string) string {
	if s, ok := l.lookup(key.envName()); ok {
		return strings.TrimSpace(s)
	}
	if file == "" {
		return ""
	}
	info, err := os.Stat(file)
	if err == nil && info.Mode().Perm()&0o077 != 0 {
		// Anyone who can read the token can run the cooperative's bot.
		l.problem(fileKey, fmt.Errorf("%s can be read by other accounts (mode %04o): run `chmod 600 %s` so only kopbot's account reads it",
			file, info.Mode().Perm(), file))
		return ""
	}
	b, err := os.ReadFile(file)
	if err != nil {
		l.problem(fileKey, fmt.Errorf("read secret: %w", err))
		return ""
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		l.problem(fileKey, fmt.Errorf("%s is empty", file))
	}
	return s
}

func validWebhookSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// checkEndpoint wants the tgbotapi form: two %s, filled with the token and
// the method, and nothing else that fmt would expand.
func checkEndpoint(e string) error {
	if strings.Count(e, "%s") != 2 || strings.Count(e, "%") != 2 {
		return fmt.Errorf("%q: want exactly two %%s, for the token and the method or file, like %q", e, tgbotapi.APIEndpoint)
	}
	if u, err := url.Parse(fmt.Sprintf(e, "TOKEN", "getMe")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", e)
	}
	return nil
}

func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return fmt.Errorf("%q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	return nil
}

func (l *loader) checkOfficers(officers []Officer) {
	seen := map[int64]int{}
	for i, o := range officers {
		at := keyPath{"officers"}.index(i)
		if j, dup := seen[o.TelegramID]; dup {
			l.problem(at.key("telegram_id"), fmt.Errorf("%d is already officers[%d]", o.TelegramID, j))
		} else if o.TelegramID <= 0 {
			l.problem(at.key("telegram_id"), fmt.Errorf("%d: want the officer's Telegram user id, a positive number", o.TelegramID))
		}
		seen[o.TelegramID] = i
		if strings.TrimSpace(o.Name) == "" {
			l.problem(at.key("name"), errors.New("empty"))
		}
		if !o.Role.Known() {
			l.problem(at.key("role"), fmt.Errorf("%q: want %s, %s or %s", o.Role, loan.RolePetugas, loan.RoleManajer, loan.RolePengawas))
		}
	}
}

func (l *loader) checkWhatsApp(w WhatsApp) {
	at := keyPath{"whatsapp"}
	if strings.TrimSpace(w.Session) == "" {
		l.problem(at.key("session"), errors.New("empty: name the file for the linked WhatsApp device, e.g. whatsapp.db"))
	}
	if w.MinInterval.Duration <= 0 {
		l.problem(at.key("min_interval"), fmt.Errorf("%s: want more than 0; WhatsApp bans numbers that send too fast", w.MinInterval))
	}
	if w.ChatGap.Duration <= 0 {
		l.problem(at.key("chat_gap"), fmt.Errorf("%s: want more than 0; WhatsApp bans numbers that send too fast", w.ChatGap))
	}
	if w.BulkDailyCap <= 0 {
		l.problem(at.key("bulk_daily_cap"), fmt.Errorf("%d: want at least 1 message a day", w.BulkDailyCap))
	}
	if w.Jitter.Duration < 0 {
		l.problem(at.key("jitter"), fmt.Errorf("%s: want 0 or more", w.Jitter))
	}
	if w.WarmupDays < 0 {
		l.problem(at.key("warmup_days"), fmt.Errorf("%d: want 0 (no warm-up) or more", w.WarmupDays))
	}
	if w.WarmupDays > 0 && (w.WarmupStartCap < 1 || w.WarmupStartCap > w.BulkDailyCap) {
		l.problem(at.key("warmup_start_cap"), fmt.Errorf("%d: want from 1 up to bulk_daily_cap (%d)", w.WarmupStartCap, w.BulkDailyCap))
	}
	if w.TypingMin.Duration <= 0 || w.TypingMax.Duration < w.TypingMin.Duration {
		l.problem(at.key("typing_max"), fmt.Errorf("typing_min %s, typing_max %s: want typing_min above 0 and typing_max at least typing_min",
			w.TypingMin, w.TypingMax))
	}
}

var methods = map[string]loan.Method{
	"flat": loan.Flat, "annuity": loan.Annuity, "anuitas": loan.Annuity, "efektif": loan.Annuity,
}

// of is the settlement rules of a product with method m: p's own where it
// sets them, else the shared ones.
func (s Settlement) of(m loan.Method, p Product) loan.Settlement {
	out := loan.Settlement{Policy: loan.SettlementPolicy(s.FlatPolicy), FeeRate: s.Fee.Decimal,
		DiscountRate: s.Discount.Decimal, Prepayment: loan.Prepayment(s.Prepayment), RoundTo: s.InstallmentRounding}
	if m == loan.Annuity {
		out.Policy = loan.SettlementPolicy(s.AnnuityPolicy)
	}
	if p.SettlementPolicy != "" {
		out.Policy = loan.SettlementPolicy(p.SettlementPolicy)
	}
	if p.SettlementFee.Set {
		out.FeeRate = p.SettlementFee.Decimal
	}
	if p.SettlementDiscount.Set {
		out.DiscountRate = p.SettlementDiscount.Decimal
	}
	if p.Prepayment != "" {
		out.Prepayment = loan.Prepayment(p.Prepayment)
	}
	if p.InstallmentRounding.Set {
		out.RoundTo = p.InstallmentRounding.Value
	}
	return out
}

func (l *loader) resolveLoan(c *Config) {
	at := keyPath{"loan"}
	// The shared rules are checked once, under their own keys, so a bad
	// one is not blamed on every product.
	for _, m := range []loan.Method{loan.Flat, loan.Annuity} {
		if err := c.Loan.Settlement.of(m, Product{}).Validate(); err != nil {
			l.problem(at.key("settlement"), err)
			return
		}
	}
	products := make([]loan.Product, 0, len(c.Loan.Products))
	for i, p := range c.Loan.Products {
		pat := at.key("products").index(i)
		method, ok := methods[strings.ToLower(strings.TrimSpace(p.Method))]
		if !ok {
			l.problem(pat.key("method"), fmt.Errorf("%q: want flat or annuity (also written anuitas or efektif)", p.Method))
			continue
		}
		lp := loan.Product{Code: p.Code, Name: p.Name, Method: method, RatePerMonth: p.RatePerMonth.Decimal,
			MinAmount: p.MinAmount.Decimal, MaxAmount: p.MaxAmount.Decimal, MinTenor: p.MinTenor, MaxTenor: p.MaxTenor,
			PenaltyPerDay: p.PenaltyPerDay.Decimal, GraceDays: p.GraceDays, Settlement: c.Loan.Settlement.of(method, p)}
		err := lp.Validate()
		switch {
		case errors.Is(err, loan.ErrRateCap):
			// Say it in the treasurer's percentages rather than loan's fractions.
			perYear := Rate{lp.RatePerMonth.Mul(decimal.NewFromInt(12))}
			l.problem(pat.key("rate_per_month"), fmt.Errorf("product %s: %s per month is %s per year: %w",
				p.Code, p.RatePerMonth.Percent(), perYear.Percent(), loan.ErrRateCap))
		case err != nil:
			l.problem(pat, err)
		default:
			products = append(products, lp)
		}
	}
	if len(products) == len(c.Loan.Products) {
		catalog, err := loan.NewCatalog(products...)
		if err != nil {
			l.problem(at.key("products"), err)
		}
		c.catalog = catalog
	}
	c.policy = loan.Policy{PlafonMultiple: c.Loan.PlafonMultiple.Decimal, TwoOfficersAbove: c.Loan.TwoOfficersAbove.Decimal,
		FirstDueAfterMonths: c.Loan.FirstDueAfterMonths}
	if err := c.policy.Validate(); err != nil {
		l.problem(at, err)
	}
}

func (l *loader) checkReminders(r Reminders) {
	at := keyPath{"reminders"}
	if d, dup := duplicate(r.OffsetsInstallment); dup {
		l.problem(at.key("offsets_installment"), fmt.Errorf("%d twice", d))
	}
	if d, dup := duplicate(r.OffsetsWajib); dup {
		l.problem(at.key("offsets_wajib"), fmt.Errorf("%d twice", d))
	}
	if !r.WindowStart.Before(r.WindowEnd) {
		l.problem(at.key("window_end"), fmt.Errorf("%s is not after window_start %s", r.WindowEnd, r.WindowStart))
	}
	if len(r.Days) == 0 {
		l.problem(at.key("days"), errors.New("no day: reminders would never go out"))
	} else if d, dup := duplicate(r.Days); dup {
		l.problem(at.key("days"), fmt.Errorf("%s twice", d))
	}
	if !r.WajibAmount.IsPositive() {
		l.problem(at.key("wajib_amount"), errors.New("want more than Rp0"))
	}
	if r.WajibDueDay < 1 || r.WajibDueDay > 28 {
		l.problem(at.key("wajib_due_day"), fmt.Errorf("%d: want 1 to 28, a day every month has, February too", r.WajibDueDay))
	}
}

func duplicate[T comparable](list []T) (T, bool) {
	seen := map[T]bool{}
	for _, v := range list {
		if seen[v] {
			return v, true
		}
		seen[v] = true
	}
	var zero T
	return zero, false
}

// ledgerCode is what a bank's ledger account code may be: the chart rolls
// BANK-* up into its bank account.
var ledgerCode = regexp.MustCompile(`^BANK-[A-Z0-9][A-Z0-9-]*$`)

func (l *loader) resolveBanks(c *Config) {
	p := c.Payment
	if p.CodeDays < 1 || p.CodeDays > 30 {
		l.problem(keyPath{"payment", "code_days"}, fmt.Errorf("%d: want 1 to 30 days", p.CodeDays))
	}
	ledgers := map[string]int{}
	c.banks = nil
	for i, b := range p.Banks {
		at := keyPath{"payment", "banks"}.index(i)
		acct := payment.BankAccount{Bank: strings.TrimSpace(b.Bank), Number: strings.TrimSpace(b.Number),
			Holder: strings.TrimSpace(b.Holder), Ledger: strings.ToUpper(strings.TrimSpace(b.Ledger))}
		for _, f := range []struct{ key, value string }{{"bank", acct.Bank}, {"number", acct.Number}, {"holder", acct.Holder}} {
			if f.value == "" {
				l.problem(at.key(f.key), errors.New("empty: members read it to transfer"))
			}
		}
		if strings.Trim(acct.Number, "0123456789 -.") != "" {
			l.problem(at.key("number"), fmt.Errorf("%q: want the account number's digits", acct.Number))
		}
		if acct.Ledger == "" {
			name := strings.TrimPrefix(strings.ToUpper(acct.Bank), "BANK ") // Bank Jateng: BANK-JATENG
			acct.Ledger = "BANK-" + strings.Trim(nonCode.ReplaceAllString(name, "-"), "-")
		}
		if !ledgerCode.MatchString(acct.Ledger) {
			l.problem(at.key("ledger"), fmt.Errorf("%q: want BANK- and letters or digits, e.g. BANK-BCA", acct.Ledger))
		} else if j, dup := ledgers[acct.Ledger]; dup {
			l.problem(at.key("ledger"), fmt.Errorf("%s is already payment.banks[%d]'s; give each account its own ledger", acct.Ledger, j))
		}
		ledgers[acct.Ledger] = i
		layout, err := statementLayout(b)
		if err != nil {
			l.problem(at.key("statement"), err)
		}
		acct.Layout = layout
		c.banks = append(c.banks, acct)
	}
}

// nonCode is what a bank's name loses to become a ledger code.
var nonCode = regexp.MustCompile(`[^A-Z0-9]+`)

// statementLayout is the preset b names with its columns renamed, or the
// custom columns; "" leaves the account without statement import.
func statementLayout(b Bank) (payment.Layout, error) {
	name := strings.ToLower(strings.TrimSpace(b.Statement))
	var l payment.Layout
	switch preset, ok := payment.Presets[name]; {
	case name == "":
		return payment.Layout{}, nil
	case ok:
		l = preset
	case name != "custom":
		return payment.Layout{}, fmt.Errorf("%q: want %s or custom", b.Statement, strings.Join(payment.PresetNames(), ", "))
	}
	for _, f := range []struct {
		to   *string
		from string
	}{{&l.Date, b.DateColumn}, {&l.Description, b.DescriptionColumn}, {&l.Credit, b.CreditColumn}, {&l.Debit, b.DebitColumn},
		{&l.CreditMark, b.CreditMark}} {
		if v := strings.TrimSpace(f.from); v != "" {
			*f.to = v
		}
	}
	if l.Date == "" || l.Description == "" || l.Credit == "" {
		return payment.Layout{}, errors.New("custom: name date_column, description_column and credit_column as the bank's header writes them")
	}
	return l, nil
}
