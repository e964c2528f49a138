package config

import (
	"encoding"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // as the binary does, so the tests need no zoneinfo on the machine

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/payment"
)

const example = "../../kopbot.example.toml"

func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// copyFile copies a file beside the code into the test's folder.
func copyFile(t *testing.T, from string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, filepath.Base(from), string(b))
}

func mustLoad(t *testing.T, path string, env map[string]string) Config {
	t.Helper()
	c, err := Load(path, envOf(env))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func sameProducts(t *testing.T, got, want []loan.Product) {
	t.Helper()
	str := func(ps []loan.Product) string { return fmt.Sprintf("%+v", ps) }
	if str(got) != str(want) {
		t.Errorf("products\n got %+v\nwant %+v", got, want)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c := mustLoad(t, "", nil)
	checks := []struct{ name, got, want string }{
		{"db", c.DB, "kopbot.db"},
		{"location", c.Location().String(), "Asia/Jakarta"},
		{"log_level", c.LogLevel.String(), "INFO"},
		{"api_endpoint", c.Telegram.APIEndpoint, "https://api.telegram.org/bot%s/%s"},
		{"file_endpoint", c.Telegram.FileEndpoint, "https://api.telegram.org/file/bot%s/%s"},
		{"max_file_bytes", fmt.Sprint(c.Payment.MaxFileBytes), "5242880"},
		{"mode", c.Telegram.Mode, "polling"},
		{"global_rate", fmt.Sprint(c.Telegram.GlobalRate), "25"},
		{"per_chat_interval", c.Telegram.PerChatInterval.String(), "1s"},
		{"reason_wait", c.Telegram.ReasonWait.String(), "10m0s"},
		{"group_interval", c.Telegram.GroupInterval.String(), "3s"},
		{"late_after", c.Delivery.LateAfter.String(), "30m0s"},
		{"burst", c.Delivery.Burst.String(), "5s"},
		{"session", c.WhatsApp.Session, "whatsapp.db"},
		{"min_interval", c.WhatsApp.MinInterval.String(), "8s"},
		{"chat_gap", c.WhatsApp.ChatGap.String(), "3s"},
		{"bulk_daily_cap", fmt.Sprint(c.WhatsApp.BulkDailyCap), "3000"},
		{"warmup", fmt.Sprint(c.WhatsApp.WarmupStartCap, "/", c.WhatsApp.WarmupDays), "200/14"},
		{"typing", c.WhatsApp.TypingMin.String() + "-" + c.WhatsApp.TypingMax.String(), "1s-3s"},
		{"jitter", c.WhatsApp.Jitter.String(), "7s"},
		{"listen", c.HTTP.Listen, "127.0.0.1:8080"},
		{"offsets_installment", fmt.Sprint(c.Reminders.OffsetsInstallment), "[-3 -1 0 1 7]"},
		{"offsets_wajib", fmt.Sprint(c.Reminders.OffsetsWajib), "[-3 0 7]"},
		{"window", c.Reminders.WindowStart.String() + "-" + c.Reminders.WindowEnd.String(), "08:00-20:00"},
		{"days", fmt.Sprint(c.Reminders.Days), "[Monday Tuesday Wednesday Thursday Friday Saturday]"},
		{"wajib_amount", c.Reminders.WajibAmount.String(), "50000"},
		{"wajib_due_day", fmt.Sprint(c.Reminders.WajibDueDay), "10"},
		{"policy", fmt.Sprintf("%+v", c.Policy()), fmt.Sprintf("%+v", loan.DefaultPolicy())},
		{"token", c.TelegramToken(), ""},
		{"officers", fmt.Sprint(len(c.Officers)), "0"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	sameProducts(t, c.Catalog().Products(), loan.DefaultProducts())
}

// The example file sets every key to its default, so loading it must give
// exactly what no file gives: the documented defaults are the code's.
func TestExampleIsTheDefaults(t *testing.T) {
	t.Parallel()
	c := mustLoad(t, example, nil)
	if got, want := c.Redacted(), mustLoad(t, "", nil).Redacted(); got != want {
		t.Errorf("example file differs from the defaults:\n%s\nwant\n%s", got, want)
	}
	sameProducts(t, c.Catalog().Products(), loan.DefaultProducts())
}

// exampleKeys lists the keys the example file sets, outside arrays of tables.
func exampleKeys(t *testing.T) []string {
	t.Helper()
	var data map[string]any
	if _, err := toml.DecodeFile(example, &data); err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case map[string]any:
				walk(prefix+k+".", v)
			case []map[string]any: // [[officers]], [[loan.products]]: no per-key variables
			default:
				keys = append(keys, prefix+k)
			}
		}
	}
	walk("", data)
	sort.Strings(keys)
	return keys
}

// settings maps each env-settable key to its value in c.
func settings(c *Config) map[string]reflect.Value {
	m := map[string]reflect.Value{}
	scalars(reflect.ValueOf(c).Elem(), nil, func(p keyPath, v reflect.Value) { m[p.String()] = v })
	return m
}

func TestExampleDocumentsEverySetting(t *testing.T) {
	t.Parallel()
	var inCode []string
	for k := range settings(&Config{}) {
		inCode = append(inCode, k)
	}
	sort.Strings(inCode)
	if got := exampleKeys(t); !slices.Equal(got, inCode) {
		t.Errorf("example file keys\n%v\nsettings in Config\n%v", got, inCode)
	}
}

// text is a setting's value in its config form.
func text(v reflect.Value) string {
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, _ := m.MarshalText()
		return string(b)
	}
	if v.Kind() == reflect.Slice {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = text(v.Index(i))
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}

func TestEnvOverridesEveryExampleKey(t *testing.T) {
	t.Parallel()
	tokenFile := writeFile(t, "token", "123:abc\n")
	chartFile := copyFile(t, "../books/chart.toml")
	kolekFile := copyFile(t, "../kolek/profiles.toml")
	shuFile := copyFile(t, "../shu/shu.toml")
	healthFile := copyFile(t, "../health/profiles/2016.toml")
	secretFile := writeFile(t, "secret", "s3cret\n")
	// value: what the variable is set to; want: the setting's config form
	// after, when it differs from value; also: what the new value needs.
	type override struct {
		value, want string
		also        map[string]string
	}
	overrides := map[string]override{
		"db":                                   {"/data/koperasi.db", "", nil},
		"timezone":                             {"Asia/Makassar", "", nil},
		"log_level":                            {"debug", "DEBUG", nil},
		"now":                                  {"2028-02-29T00:30:00+07:00", "", nil},
		"telegram.enabled":                     {"true", "", map[string]string{"KOPBOT_TELEGRAM_TOKEN": "1:a"}},
		"telegram.token_file":                  {tokenFile, "", nil},
		"telegram.api_endpoint":                {"http://127.0.0.1:8081/bot%s/%s", "", nil},
		"telegram.file_endpoint":               {"http://127.0.0.1:8081/file/bot%s/%s", "", nil},
		"payment.proofs_dir":                   {"/data/proofs", "", nil},
		"payment.max_file_bytes":               {"1048576", "", nil},
		"payment.code_days":                    {"5", "", nil},
		"withdraw.min_balance":                 {"25rb", "Rp25.000", nil},
		"withdraw.block_arrears":               {"false", "", nil},
		"withdraw.manager_limit":               {"2 juta", "Rp2.000.000", nil},
		"withdraw.bank_account":                {"BANK-BRI", "", nil},
		"telegram.officers_chat_id":            {"-1001234567890", "", nil},
		"telegram.mode":                        {"webhook", "", map[string]string{"KOPBOT_TELEGRAM_WEBHOOK_URL": "https://kop.example/tg"}},
		"telegram.webhook_url":                 {"https://kop.example/tg", "", nil},
		"telegram.webhook_secret_file":         {secretFile, "", nil},
		"telegram.global_rate":                 {"12.5", "", nil},
		"telegram.per_chat_interval":           {"2s", "", nil},
		"telegram.reason_wait":                 {"15m", "15m0s", nil},
		"whatsapp.enabled":                     {"true", "", nil},
		"whatsapp.chat_gap":                    {"5s", "", nil},
		"whatsapp.bulk_daily_cap":              {"500", "", nil},
		"whatsapp.warmup_start_cap":            {"100", "", nil},
		"whatsapp.warmup_days":                 {"0", "", nil},
		"whatsapp.typing_min":                  {"2s", "", nil},
		"whatsapp.typing_max":                  {"4s", "", nil},
		"whatsapp.session":                     {"/data/wa.db", "", nil},
		"whatsapp.min_interval":                {"10s", "", nil},
		"whatsapp.jitter":                      {"0s", "", nil},
		"http.listen":                          {":9090", "", nil},
		"loan.plafon_multiple":                 {"2,5", "2.5", nil},
		"loan.two_officers_above":              {"15 juta", "Rp15.000.000", nil},
		"loan.first_due_after_months":          {"2", "", nil},
		"loan.settlement.annuity_policy":       {"current_period", "", nil},
		"loan.settlement.flat_policy":          {"discount", "", nil},
		"loan.settlement.fee":                  {"1%", "", nil},
		"loan.settlement.discount":             {"50%", "", nil},
		"loan.settlement.prepayment":           {"term", "", nil},
		"loan.settlement.installment_rounding": {"500", "", nil},
		"reminders.offsets_installment":        {"-7, 0", "-7,0", nil},
		"reminders.offsets_wajib":              {"0", "", nil},
		"reminders.window_start":               {"7:30", "07:30", nil},
		"reminders.window_end":                 {"21:00", "", nil},
		"reminders.days":                       {"senin,sabtu", "mon,sat", nil},
		"reminders.wajib_amount":               {"100rb", "Rp100.000", nil},
		"reminders.wajib_due_day":              {"25", "", nil},
		"officer.deposit_limit":                {"5 juta", "Rp5.000.000", nil},
		"officer.deposit_ceiling":              {"250 juta", "Rp250.000.000", nil},
		"officer.journal_limit":                {"2 juta", "Rp2.000.000", nil},
		"officer.related_party_cap":            {"5%", "", nil},
		"savings.sukarela_rate":                {"6%", "", nil},
		"savings.sukarela_basis":               {"average", "", nil},
		"books.chart_file":                     {chartFile, "", nil},
		"books.kolek_profile":                  {"bank5", "", nil},
		"books.kolek_file":                     {kolekFile, "", nil},
		"books.shu_file":                       {shuFile, "", nil},
		"books.health_profile":                 {"2016", "", nil},
		"books.health_file":                    {healthFile, "", nil},
		"officer.solo_disbursement":            {"true", "", nil},
		"officer.pokok_amount":                 {"250rb", "Rp250.000", nil},
		"privacy.message_days":                 {"90", "", nil},
		"delivery.late_after":                  {"1h", "1h0m0s", nil},
		"delivery.burst":                       {"0s", "", nil},
		"telegram.group_interval":              {"5s", "", nil},
		"membership.requirements":              {"Bawa KTP ke kantor", "", nil},
		"membership.requirements_en":           {"Bring your KTP to the office", "", nil},
		"membership.first_number":              {"A-0001", "", nil},
		"membership.prospect_days":             {"14", "", nil},
		"announce.valid_days":                  {"7", "", nil},
		"reminders.holidays":                   {"2026-08-18, 2027-03-08", "2026-08-18,2027-03-08", nil},
	}
	def := mustLoad(t, example, nil)
	defaults := settings(&def)
	for _, key := range exampleKeys(t) {
		o, ok := overrides[key]
		if !ok {
			t.Errorf("%s: no env override test; add one", key)
			continue
		}
		want := o.want
		if want == "" {
			want = o.value
		}
		name := keyPath(strings.Split(key, ".")).envName()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{name: o.value}
			for k, v := range o.also {
				env[k] = v
			}
			c := mustLoad(t, example, env)
			got := text(settings(&c)[key])
			if got != want {
				t.Errorf("%s=%q: %s = %q, want %q", name, o.value, key, got, want)
			}
			if got == text(defaults[key]) {
				t.Errorf("%s: the override value equals the default; the test proves nothing", name)
			}
		})
	}
}

func TestFileValuesAndEnvWins(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "kopbot.toml", `
db = "koperasi.db"
timezone = "Asia/Jayapura"
[whatsapp]
min_interval = "12s"
[loan]
plafon_multiple = 2.5
two_officers_above = 5000000
[[loan.products]]
code = "KILAT"
name = "Pinjaman Kilat"
method = "anuitas"
rate_per_month = 0.02
min_amount = "1 juta"
max_amount = "5jt"
min_tenor = 1
max_tenor = 6
penalty_per_day = "0%"
grace_days = 0
[[officers]]
telegram_id = 1001
name = "Bu Rina"
role = "manajer"
`)
	c := mustLoad(t, path, map[string]string{"KOPBOT_DB": "env.db", "KOPBOT_TIMEZONE": ""})
	if c.DB != "env.db" {
		t.Errorf("db = %q, want the environment's env.db", c.DB)
	}
	if c.Location().String() != "Asia/Jayapura" {
		t.Errorf("location = %s, want the file's (an empty variable is unset)", c.Location())
	}
	if c.WhatsApp.MinInterval.String() != "12s" {
		t.Errorf("min_interval = %s", c.WhatsApp.MinInterval)
	}
	wantPolicy := loan.Policy{PlafonMultiple: decimal.RequireFromString("2.5"),
		TwoOfficersAbove: decimal.NewFromInt(5_000_000), FirstDueAfterMonths: 1}
	if fmt.Sprint(c.Policy()) != fmt.Sprint(wantPolicy) {
		t.Errorf("policy = %+v, want %+v", c.Policy(), wantPolicy)
	}
	sameProducts(t, c.Catalog().Products(), []loan.Product{{Code: "KILAT", Name: "Pinjaman Kilat", Method: loan.Annuity,
		RatePerMonth: decimal.RequireFromString("0.02"), MinAmount: decimal.NewFromInt(1_000_000),
		MaxAmount: decimal.NewFromInt(5_000_000), MinTenor: 1, MaxTenor: 6, PenaltyPerDay: decimal.Zero,
		Settlement: loan.Settlement{Policy: loan.SettleAccrued, FeeRate: decimal.Zero, DiscountRate: decimal.Zero,
			Prepayment: loan.ShrinkInstallment}}})
	if o, ok := c.Officer(1001); !ok || o.Name != "Bu Rina" || o.Role != loan.RoleManajer {
		t.Errorf("Officer(1001) = %+v, %v", o, ok)
	}
	if _, ok := c.Officer(1002); ok {
		t.Error("Officer(1002) found")
	}
}

func TestOfficersFromEnv(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "kopbot.toml", "[[officers]]\ntelegram_id = 5\nname = \"Old\"\nrole = \"petugas\"\n")
	c := mustLoad(t, path, map[string]string{"KOPBOT_OFFICERS": "1001:manajer:Bu Rina, 1002/KMM-00007:petugas:Pak Budi: Kasir, 1003:pengawas:Pak Ujang"})
	want := []Officer{{1001, "Bu Rina", loan.RoleManajer, ""}, {1002, "Pak Budi: Kasir", loan.RolePetugas, "KMM-00007"},
		{1003, "Pak Ujang", loan.RolePengawas, ""}}
	if !reflect.DeepEqual(c.Officers, want) {
		t.Errorf("officers = %+v, want %+v", c.Officers, want)
	}
	if own := c.Duties().Own; !reflect.DeepEqual(own, map[string]string{"1002": "KMM-00007"}) {
		t.Errorf("own member accounts = %v, want 1002 → KMM-00007", own)
	}
	if _, ok := c.Officer(5); ok {
		t.Error("the file's officer survived KOPBOT_OFFICERS")
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	on := "[telegram]\nenabled = true\n"
	tests := []struct {
		name, file, tokenFile string
		env                   map[string]string
		want                  string
	}{
		{"from env", on, "", map[string]string{"KOPBOT_TELEGRAM_TOKEN": "123:env"}, "123:env"},
		{"from token_file, newline trimmed", on, "123:file\r\n", nil, "123:file"},
		{"env wins over token_file", on, "123:file\n", map[string]string{"KOPBOT_TELEGRAM_TOKEN": "123:env"}, "123:env"},
		{"token_file from env", on, "123:file\n", nil, "123:file"},
		{"not read while Telegram is off", "[telegram]\nenabled = false\n", "123:file\n", map[string]string{"KOPBOT_TELEGRAM_TOKEN": "123:env"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			file := tc.file
			if tc.tokenFile != "" {
				tf := writeFile(t, "token", tc.tokenFile)
				if tc.name == "token_file from env" {
					env["KOPBOT_TELEGRAM_TOKEN_FILE"] = tf
				} else {
					file += fmt.Sprintf("token_file = %q\n", tf)
				}
			}
			c := mustLoad(t, writeFile(t, "kopbot.toml", file), env)
			if got := c.TelegramToken(); got != tc.want {
				t.Errorf("TelegramToken() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRedactedNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	const token, secret = "987654:AAH-topsecret-token", "hook_secret-42"
	path := writeFile(t, "kopbot.toml", `
[telegram]
enabled = true
mode = "webhook"
webhook_url = "https://kop.example/987654:AAH-topsecret-token"
`)
	c := mustLoad(t, path, map[string]string{"KOPBOT_TELEGRAM_TOKEN": token, "KOPBOT_TELEGRAM_WEBHOOK_SECRET": secret})
	if c.TelegramToken() != token || c.WebhookSecret() != secret {
		t.Fatalf("secrets not resolved: %q %q", c.TelegramToken(), c.WebhookSecret())
	}
	for _, out := range []string{c.Redacted(), c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c),
		fmt.Sprintf("%#v", c), fmt.Sprint(&c)} {
		for _, s := range []string{token, secret, "topsecret"} {
			if strings.Contains(out, s) {
				t.Errorf("output shows a secret %q:\n%s", s, out)
			}
		}
	}
	if !strings.Contains(c.Redacted(), "telegram token: set; webhook secret: set") {
		t.Errorf("Redacted does not say the secrets are set:\n%s", c.Redacted())
	}
}

// Redacted is TOML that Load reads back to the same settings, so the start
// log can be pasted into a config file.
func TestRedactedLoadsBack(t *testing.T) {
	t.Parallel()
	c := mustLoad(t, "", map[string]string{"KOPBOT_LOAN_PLAFON_MULTIPLE": "2.5", "KOPBOT_REMINDERS_DAYS": "sen,rabu",
		"KOPBOT_OFFICERS": "7:petugas:Ani", "KOPBOT_LOG_LEVEL": "warn", "KOPBOT_TELEGRAM_GLOBAL_RATE": "12.5"})
	again := mustLoad(t, writeFile(t, "kopbot.toml", c.Redacted()), nil)
	if again.Redacted() != c.Redacted() {
		t.Errorf("reloaded\n%s\nwant\n%s", again.Redacted(), c.Redacted())
	}
}

func TestMethodNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"flat", "annuity", "Anuitas", "efektif"} {
		body := strings.Replace(productTOML("X", "1%"), `"flat"`, fmt.Sprintf("%q", name), 1)
		c := mustLoad(t, writeFile(t, "kopbot.toml", body), nil)
		want := loan.Annuity
		if name == "flat" {
			want = loan.Flat
		}
		if p, _ := c.Catalog().ByCode("X"); p.Method != want {
			t.Errorf("method %q = %q, want %q", name, p.Method, want)
		}
	}
}

// TestProductSettlement: a product's own settlement rules win over
// [loan.settlement]; what it leaves unset comes from there.
func TestProductSettlement(t *testing.T) {
	t.Parallel()
	file := "[loan.settlement]\nfee = \"1%\"\nprepayment = \"term\"\n" + productTOML("A", "1%") + productTOML("B", "1%") +
		"settlement_policy = \"discount\"\nsettlement_discount = \"25%\"\nsettlement_fee = \"0%\"\ninstallment_rounding = 1000\n"
	c := mustLoad(t, writeFile(t, "kopbot.toml", file), nil)
	a, _ := c.Catalog().ByCode("A")
	b, _ := c.Catalog().ByCode("B")
	for _, x := range []struct {
		name      string
		got, want loan.Settlement
	}{
		{"shared", a.Settlement, loan.Settlement{Policy: loan.SettleCurrentPeriod, FeeRate: decimal.RequireFromString("0.01"),
			DiscountRate: decimal.Zero, Prepayment: loan.ShrinkTerm}},
		{"own", b.Settlement, loan.Settlement{Policy: loan.SettleDiscount, FeeRate: decimal.Zero,
			DiscountRate: decimal.RequireFromString("0.25"), Prepayment: loan.ShrinkTerm, RoundTo: 1000}},
	} {
		if fmt.Sprintf("%+v", x.got) != fmt.Sprintf("%+v", x.want) {
			t.Errorf("%s: %+v, want %+v", x.name, x.got, x.want)
		}
	}
}

func productTOML(code, rate string) string {
	return fmt.Sprintf(`[[loan.products]]
code = %q
name = "Pinjaman %s"
method = "flat"
rate_per_month = %q
min_amount = "Rp500.000"
max_amount = "Rp20.000.000"
min_tenor = 1
max_tenor = 12
penalty_per_day = "0,1%%"
grace_days = 3
`, code, code, rate)
}

func TestProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string // "" for no file
		env  map[string]string
		// The first problem's place and every part of the message expected.
		line int
		key  string
		want []string
	}{
		{name: "syntax error names the line",
			file: "db = \"x.db\"\n[telegram]\nenabled = tru\n", line: 3,
			want: []string{"kopbot.toml:3:", "TOML syntax"}},
		{name: "unknown key",
			file: "db = \"x.db\"\n[telegram]\nenabled = false\nenabeld = true\n", line: 4, key: "telegram.enabeld",
			want: []string{"kopbot.toml:4: telegram.enabeld: unknown setting"}},
		{name: "unknown key in the second product",
			file: productTOML("A", "1%") + productTOML("B", "1%") + "colour = \"red\"\n", line: 23,
			key: "loan.products[1].colour", want: []string{"unknown setting"}},
		{name: "unknown section",
			file: "[telegramm]\nenabled = true\n", line: 1, key: "telegramm"},
		{name: "token in the file is refused",
			file: "[telegram]\nenabled = true\ntoken = \"123:abc\"\n", line: 3, key: "telegram.token",
			want: []string{"KOPBOT_TELEGRAM_TOKEN", "token_file"}},
		{name: "webhook secret in the file is refused",
			file: "[telegram]\nwebhook_secret = \"abc\"\n", line: 2, key: "telegram.webhook_secret",
			want: []string{"KOPBOT_TELEGRAM_WEBHOOK_SECRET"}},
		{name: "product above the cap, named",
			file: productTOML("USAHA", "1,5%") + productTOML("KILAT", "2,5%"), line: 16,
			key: "loan.products[1].rate_per_month", want: []string{"KILAT", "2,5% per month is 30% per year", "24%/year cap"}},
		{name: "invalid product names the product",
			file: strings.Replace(productTOML("KECIL", "1%"), "max_tenor = 12", "max_tenor = 0", 1), line: 1,
			key: "loan.products[0]", want: []string{"KECIL", "tenor 1–0"}},
		{name: "duplicate product code",
			file: productTOML("A", "1%") + productTOML("a", "1%"), line: 1, key: "loan.products", want: []string{"twice"}},
		{name: "bad method",
			file: strings.Replace(productTOML("A", "1%"), `"flat"`, `"menurun"`, 1), line: 4,
			key: "loan.products[0].method", want: []string{"menurun", "anuitas"}},
		{name: "unknown settlement policy",
			file: "[loan.settlement]\nflat_policy = \"gratis\"\n", line: 1, key: "loan.settlement",
			want: []string{"gratis", "accrued, current_period or discount"}},
		{name: "bad installment rounding in a product",
			file: productTOML("A", "1%") + "installment_rounding = 250\n", line: 1, key: "loan.products[0]",
			want: []string{"A", "rounding 250"}},
		{name: "rate without percent sign",
			file: productTOML("A", "1,5"), line: 5, key: "loan.products[0].rate_per_month", want: []string{"150%"}},
		{name: "bad duration in the file",
			file: "[whatsapp]\nmin_interval = \"8\"\n", line: 2, key: "whatsapp.min_interval", want: []string{`"8"`}},
		{name: "bad duration in the environment",
			env: map[string]string{"KOPBOT_WHATSAPP_MIN_INTERVAL": "soon"}, key: "whatsapp.min_interval",
			want: []string{"KOPBOT_WHATSAPP_MIN_INTERVAL: whatsapp.min_interval:", "soon"}},
		{name: "negative duration in the environment",
			env: map[string]string{"KOPBOT_WHATSAPP_MIN_INTERVAL": "-1s"}, key: "whatsapp.min_interval",
			want: []string{"KOPBOT_WHATSAPP_MIN_INTERVAL:", "more than 0"}},
		{name: "warm-up starting above the full cap",
			file: "[whatsapp]\nbulk_daily_cap = 500\nwarmup_start_cap = 600\n", line: 3, key: "whatsapp.warmup_start_cap",
			want: []string{"600", "bulk_daily_cap (500)"}},
		{name: "typing pause shorter at its longest",
			env: map[string]string{"KOPBOT_WHATSAPP_TYPING_MAX": "500ms"}, key: "whatsapp.typing_max",
			want: []string{"typing_max 500ms"}},
		{name: "bad amount in the file",
			file: "[loan]\ntwo_officers_above = \"sepuluh juta\"\n", line: 2, key: "loan.two_officers_above",
			want: []string{"sepuluh juta"}},
		{name: "ceiling below the deposit limit",
			file: "[officer]\ndeposit_limit = \"20 juta\"\ndeposit_ceiling = \"10 juta\"\n", line: 3,
			key: "officer.deposit_ceiling", want: []string{"below deposit_limit"}},
		{name: "journal limit above the ceiling",
			file: "[officer]\ndeposit_ceiling = \"100 juta\"\njournal_limit = \"200 juta\"\n", line: 3,
			key: "officer.journal_limit", want: []string{"above deposit_ceiling"}},
		{name: "related-party cap of nothing",
			env: map[string]string{"KOPBOT_OFFICER_RELATED_PARTY_CAP": "0%"}, key: "officer.related_party_cap",
			want: []string{"KOPBOT_OFFICER_RELATED_PARTY_CAP:", "more than 0%"}},
		{name: "no journal limit",
			env: map[string]string{"KOPBOT_OFFICER_JOURNAL_LIMIT": "0"}, key: "officer.journal_limit",
			want: []string{"KOPBOT_OFFICER_JOURNAL_LIMIT:", "more than Rp0"}},
		{name: "no deposit limit",
			env: map[string]string{"KOPBOT_OFFICER_DEPOSIT_LIMIT": "0"}, key: "officer.deposit_limit",
			want: []string{"KOPBOT_OFFICER_DEPOSIT_LIMIT:", "more than Rp0"}},
		{name: "a reason wait too short to type in",
			env: map[string]string{"KOPBOT_TELEGRAM_REASON_WAIT": "10s"}, key: "telegram.reason_wait",
			want: []string{"KOPBOT_TELEGRAM_REASON_WAIT:", "1m to 24h"}},
		{name: "bad amount in the environment",
			env: map[string]string{"KOPBOT_REMINDERS_WAJIB_AMOUNT": "1.500 juta"}, key: "reminders.wajib_amount",
			want: []string{"KOPBOT_REMINDERS_WAJIB_AMOUNT:", "ambiguous"}},
		{name: "bad number in the environment",
			env: map[string]string{"KOPBOT_TELEGRAM_OFFICERS_CHAT_ID": "grup"}, key: "telegram.officers_chat_id",
			want: []string{"KOPBOT_TELEGRAM_OFFICERS_CHAT_ID:", "whole number"}},
		{name: "wrong TOML type",
			file: "[telegram]\nenabled = \"ya\"\n", line: 2, key: "telegram.enabled", want: []string{"true or false"}},
		{name: "a table where a value belongs",
			file: "[db]\npath = \"x\"\n", line: 1, key: "db", want: []string{"not a table"}},
		{name: "bad role",
			file: "[[officers]]\ntelegram_id = 1\nname = \"A\"\nrole = \"ketua\"\n", line: 4, key: "officers[0].role",
			want: []string{`"ketua"`, "petugas, manajer or pengawas"}},
		{name: "duplicate officer",
			file: "[[officers]]\ntelegram_id = 1\nname = \"A\"\nrole = \"petugas\"\n" +
				"[[officers]]\ntelegram_id = 1\nname = \"B\"\nrole = \"manajer\"\n",
			line: 6, key: "officers[1].telegram_id", want: []string{"already officers[0]"}},
		{name: "KOPBOT_OFFICERS malformed",
			env: map[string]string{"KOPBOT_OFFICERS": "1001:manajer:Bu Rina,Pak Budi"}, key: "officers",
			want: []string{"KOPBOT_OFFICERS:", "entry 2"}},
		{name: "KOPBOT_OFFICERS bad role",
			env: map[string]string{"KOPBOT_OFFICERS": "1001:manajer:Bu Rina,1002:bos:Pak Budi"}, key: "officers[1].role",
			want: []string{"KOPBOT_OFFICERS: officers[1].role:"}},
		{name: "Telegram on without a token",
			file: "[telegram]\nenabled = true\n", line: 2, key: "telegram.enabled", want: []string{"KOPBOT_TELEGRAM_TOKEN"}},
		{name: "token_file missing",
			file: "[telegram]\nenabled = true\ntoken_file = \"/nonexistent/token\"\n", line: 3, key: "telegram.token_file",
			want: []string{"/nonexistent/token"}},
		{name: "member number without digits",
			file: "[membership]\nfirst_number = \"KMM-\"\n", line: 2, key: "membership.first_number",
			want: []string{"end in digits", "KMM-00001"}},
		{name: "announcements valid no day",
			file: "[announce]\nvalid_days = 0\n", line: 2, key: "announce.valid_days", want: []string{"1 to 60"}},
		{name: "prospects kept no day",
			file: "[membership]\nprospect_days = 0\n", line: 2, key: "membership.prospect_days", want: []string{"1 or more"}},
		{name: "file size limit too small",
			env: map[string]string{"KOPBOT_PAYMENT_MAX_FILE_BYTES": "10"}, key: "payment.max_file_bytes",
			want: []string{"KOPBOT_PAYMENT_MAX_FILE_BYTES:", "want 1024 to"}},
		{name: "code valid for no day",
			env: map[string]string{"KOPBOT_PAYMENT_CODE_DAYS": "0"}, key: "payment.code_days",
			want: []string{"KOPBOT_PAYMENT_CODE_DAYS:", "want 1 to 30"}},
		{name: "bank without a holder",
			file: bankTOML("BCA", "123", "", "bca"), line: 4, key: "payment.banks[0].holder", want: []string{"empty"}},
		{name: "bank number with letters",
			file: bankTOML("BCA", "12AB", "Kop", "bca"), line: 3, key: "payment.banks[0].number", want: []string{`"12AB"`}},
		{name: "unknown statement preset",
			file: bankTOML("BCA", "123", "Kop", "bni"), line: 5, key: "payment.banks[0].statement",
			want: []string{`"bni"`, "bca, bri, mandiri or custom"}},
		{name: "custom statement without columns",
			file: bankTOML("BPD", "123", "Kop", "custom"), line: 5, key: "payment.banks[0].statement",
			want: []string{"date_column"}},
		{name: "two accounts, one ledger",
			file: bankTOML("BCA", "123", "Kop", "bca") + bankTOML("BCA Syariah", "456", "Kop", "bca") + "ledger = \"bank-bca\"\n",
			line: 11, key: "payment.banks[1].ledger", want: []string{"BANK-BCA is already payment.banks[0]'s"}},
		{name: "withdrawal limit zero",
			env: map[string]string{"KOPBOT_WITHDRAW_MANAGER_LIMIT": "0"}, key: "withdraw.manager_limit",
			want: []string{"KOPBOT_WITHDRAW_MANAGER_LIMIT:", "more than Rp0"}},
		{name: "withdrawal minimum negative",
			file: "[withdraw]\nmin_balance = \"-5\"\n", line: 2, key: "withdraw.min_balance", want: []string{"negative"}},
		{name: "savings interest above the cap, in the file",
			file: "[savings]\nsukarela_rate = \"9,5%\"\n", line: 2, key: "savings.sukarela_rate",
			want: []string{"kopbot.toml:2: savings.sukarela_rate: 9,5% a year", "up to 9%", "Permenkop UKM 8/2023 pasal 26 ayat (4)"}},
		{name: "unknown savings interest basis",
			env: map[string]string{"KOPBOT_SAVINGS_SUKARELA_BASIS": "terendah"}, key: "savings.sukarela_basis",
			want: []string{"KOPBOT_SAVINGS_SUKARELA_BASIS:", "lowest or average"}},
		{name: "withdrawals paid from cash",
			file: "[withdraw]\nbank_account = \"KAS\"\n", line: 2, key: "withdraw.bank_account", want: []string{"BANK-"}},
		{name: "file_endpoint needs two %s",
			env: map[string]string{"KOPBOT_TELEGRAM_FILE_ENDPOINT": "http://127.0.0.1:8081/file/bot%s"}, key: "telegram.file_endpoint",
			want: []string{"KOPBOT_TELEGRAM_FILE_ENDPOINT:", "two %s"}},
		{name: "api_endpoint needs two %s",
			env: map[string]string{"KOPBOT_TELEGRAM_API_ENDPOINT": "http://127.0.0.1:8081/bot%s"}, key: "telegram.api_endpoint",
			want: []string{"KOPBOT_TELEGRAM_API_ENDPOINT:", "two %s"}},
		{name: "webhook without a secret",
			file: "[telegram]\nenabled = true\nmode = \"webhook\"\nwebhook_url = \"https://kop.example/hook\"\n",
			env:  map[string]string{"KOPBOT_TELEGRAM_TOKEN": "1:a"}, line: 3, key: "telegram.mode", want: []string{"secret"}},
		{name: "unknown time zone",
			file: "timezone = \"Asia/Bandung\"\n", line: 1, key: "timezone", want: []string{"Asia/Makassar"}},
		{name: "reminder window backwards",
			env: map[string]string{"KOPBOT_REMINDERS_WINDOW_END": "07:00"}, key: "reminders.window_end"},
		{name: "wajib due day 31",
			file: "[reminders]\nwajib_due_day = 31\n", line: 2, key: "reminders.wajib_due_day", want: []string{"February"}},
		{name: "bad listen address",
			file: "[http]\nlisten = \"8080\"\n", line: 2, key: "http.listen"},
		{name: "every problem is listed, in file order",
			file: "[whatsapp]\njitter = \"-1s\"\n[reminders]\ndays = []\n", line: 2, key: "whatsapp.jitter",
			want: []string{"kopbot.toml:2: whatsapp.jitter", "\nkopbot.toml:4: reminders.days"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.file != "" {
				path = writeFile(t, "kopbot.toml", tc.file)
			}
			_, err := Load(path, envOf(tc.env))
			if err == nil {
				t.Fatal("Load succeeded")
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %q has no *Problem", msg)
			}
			if p.Line != tc.line || p.Key != tc.key {
				t.Errorf("first problem at line %d key %q, want line %d key %q\n%s", p.Line, p.Key, tc.line, tc.key, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\ndoes not contain %q", msg, w)
				}
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load(filepath.Join(t.TempDir(), "kopbot.toml"), noEnv)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not exist", err)
	}
}

func TestNowStartsTheClock(t *testing.T) {
	t.Parallel()
	cfg := mustLoad(t, "", map[string]string{"KOPBOT_NOW": "2028-02-29T00:30:00+07:00"})
	got := cfg.Clock().Now()
	want := time.Date(2028, 2, 28, 17, 30, 0, 0, time.UTC)
	if got.Before(want) || got.Sub(want) > time.Minute {
		t.Fatalf("KOPBOT_NOW=2028-02-29T00:30:00+07:00: the clock reads %s", got)
	}
	for _, bad := range []string{"2028-02-29", "tomorrow", "2028-02-30T00:00:00+07:00"} {
		_, err := Load("", envOf(map[string]string{"KOPBOT_NOW": bad}))
		if err == nil || !strings.Contains(err.Error(), "KOPBOT_NOW") || !strings.Contains(err.Error(), "RFC 3339") {
			t.Errorf("KOPBOT_NOW=%s: %v", bad, err)
		}
	}
}

// A token file other accounts can read is refused, naming the fix.
func TestSecretFileReadableByOthersIsRefused(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"KOPBOT_TELEGRAM_TOKEN_FILE", "KOPBOT_TELEGRAM_WEBHOOK_SECRET_FILE"} {
		p := writeFile(t, "secret", "abc_123\n")
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{key: p, "KOPBOT_TELEGRAM_ENABLED": "true", "KOPBOT_TELEGRAM_MODE": "webhook",
			"KOPBOT_TELEGRAM_WEBHOOK_URL": "https://kop.example/tg", "KOPBOT_TELEGRAM_TOKEN": "1:a",
			"KOPBOT_TELEGRAM_WEBHOOK_SECRET": "abc"}
		delete(env, strings.TrimSuffix(key, "_FILE"))
		_, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+p) || !strings.Contains(err.Error(), "0644") {
			t.Errorf("%s readable by others: %v", key, err)
		}
		if err := os.Chmod(p, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil {
			t.Errorf("%s private: %v", key, err)
		}
	}
}

func bankTOML(bank, number, holder, statement string) string {
	return fmt.Sprintf("[[payment.banks]]\nbank = %q\nnumber = %q\nholder = %q\nstatement = %q\n", bank, number, holder, statement)
}

func TestBanks(t *testing.T) {
	t.Parallel()
	c := mustLoad(t, writeFile(t, "kopbot.toml", bankTOML("BCA", "123 456 7890", "Kop", "bca")+
		bankTOML("Bank Jateng", "2-012-34567-8", "Kop", "mandiri")+"credit_column = \"Mutasi Kredit\"\n"+
		bankTOML("BPD", "99", "Kop", "custom")+"ledger = \"bank-bpd-2\"\ndate_column = \"Tgl\"\n"+
		"description_column = \"Uraian\"\ncredit_column = \"Kredit\"\n"), nil)
	want := []payment.BankAccount{
		{Bank: "BCA", Number: "123 456 7890", Holder: "Kop", Ledger: "BANK-BCA", Layout: payment.Presets["bca"]},
		{Bank: "Bank Jateng", Number: "2-012-34567-8", Holder: "Kop", Ledger: "BANK-JATENG",
			Layout: payment.Layout{Date: "Tanggal", Description: "Keterangan", Credit: "Mutasi Kredit", Debit: "Debit"}},
		{Bank: "BPD", Number: "99", Holder: "Kop", Ledger: "BANK-BPD-2",
			Layout: payment.Layout{Date: "Tgl", Description: "Uraian", Credit: "Kredit"}},
	}
	if got := c.Banks(); !reflect.DeepEqual(got, want) {
		t.Fatalf("banks:\n%+v\nwant\n%+v", got, want)
	}
	if c.Payment.CodeDays != payment.DefaultCodeDays {
		t.Fatalf("code_days %d", c.Payment.CodeDays)
	}
}

// TestSavingsRateCap: kopbot starts with jasa simpanan up to 9,00% a year
// and refuses 9,01% (Permenkop UKM 8/2023 pasal 26 ayat 4), however the
// rate is written.
func TestSavingsRateCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rate string
		ok   bool
	}{
		{"0%", true}, {"6%", true}, {"9%", true}, {"9,00%", true}, {"0.09", true}, {"8,99%", true},
		{"9,01%", false}, {"0.0901", false}, {"9.001%", false}, {"12%", false}, {"-1%", false},
	} {
		cfg, err := Load("", envOf(map[string]string{"KOPBOT_SAVINGS_SUKARELA_RATE": c.rate}))
		if c.ok {
			if err != nil || !cfg.Jasa().Rate.Equal(cfg.Savings.SukarelaRate.Decimal) {
				t.Errorf("%s: %v, want it to start with that rate", c.rate, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "KOPBOT_SAVINGS_SUKARELA_RATE: savings.sukarela_rate:") ||
			!strings.Contains(err.Error(), "Permenkop UKM 8/2023") && !strings.Contains(err.Error(), "below 0") {
			t.Errorf("%s: %v, want refused naming the setting and the rule", c.rate, err)
		}
	}
}
