package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/proctest"
)

// TestKilledMidWork runs the real binary as an officer (approving,
// disbursing, taking repayments and deposits) and as members (requesting
// loans), all at once on one file, and kills the processes with SIGKILL at
// random moments. After every round the database must be consistent: the
// ledger whole, every receipt an officer saw posted exactly once and no
// amount posted twice, no request decided twice, every reply a seat printed
// durably queued and marked. KOPBOT_KILL_ROUNDS runs more rounds.
func TestKilledMidWork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it for about 20 s")
	}
	rounds := 12
	if s := os.Getenv("KOPBOT_KILL_ROUNDS"); s != "" {
		var err error
		if rounds, err = strconv.Atoi(s); err != nil {
			t.Fatalf("KOPBOT_KILL_ROUNDS=%q: %v", s, err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kopbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "k.db")
	env := append(os.Environ(), "KOPBOT_OFFICERS=1001:manajer:Bu Rina,1002:petugas:Pak Budi",
		"KOPBOT_OFFICER_SOLO_DISBURSEMENT=true", "KOPBOT_DB="+db,
		"KOPBOT_NOW="+clocktest.Now(t).Format(time.RFC3339))
	var members strings.Builder
	var savings strings.Builder
	members.WriteString("no_anggota,nama,no_hp,tanggal_masuk\n")
	savings.WriteString("no_anggota,jenis,jumlah,tanggal\n")
	const nMembers = 12
	for i := range nMembers {
		fmt.Fprintf(&members, "K-%02d,Anggota %d,08123400%04d,2022-01-10\n", i, i, i)
		fmt.Fprintf(&savings, "K-%02d,pokok,100.000,2022-01-10\nK-%02d,sukarela,3.000.000,2022-02-10\n", i, i)
	}
	for _, f := range []struct{ kind, body string }{{"members", members.String()}, {"savings", savings.String()}} {
		p := write(t, dir, f.kind+".csv", f.body)
		if out, err := command(bin, env, "", "import", f.kind, p).CombinedOutput(); err != nil {
			t.Fatalf("import %s: %v\n%s", f.kind, err, out)
		}
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	seen := map[string]string{} // receipt amount → what the officer typed
	typed := map[string]bool{}
	amount := 10_000
	killed := 0
	for round := range rounds {
		// The officer works through whatever the members asked for so far.
		var script strings.Builder
		for _, r := range refs(t, db, "pending", "awaiting_second") {
			fmt.Fprintf(&script, "/setujui %s\n", r)
		}
		for _, r := range refs(t, db, "approved") {
			fmt.Fprintf(&script, "/cair %s\n", r)
		}
		var amounts []string
		for _, r := range refs(t, db, "disbursed") {
			amount += 7
			a := thousands(amount)
			amounts = append(amounts, a)
			fmt.Fprintf(&script, "/bayar %s %s\n", r, a)
		}
		// Enough work that most kills land in the middle of it.
		for i := range 60 {
			amount += 7
			a := thousands(amount)
			amounts = append(amounts, a)
			fmt.Fprintf(&script, "/setor K-%02d sukarela %s\n", (round+i)%nMembers, a)
		}
		officer := command(bin, env, script.String(), "chat", "--officer", "1001")
		member := command(bin, env, "pinjam\n1\n2 juta\n6\nmodal warung\nya\nsaldo\n", "chat", "--as",
			fmt.Sprintf("08123400%04d", round%nMembers))
		var officerOut, memberOut bytes.Buffer
		officer.Stdout, member.Stdout = &officerOut, &memberOut
		for _, c := range []*exec.Cmd{officer, member} {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		delay := time.Duration(20+rng.IntN(400)) * time.Millisecond
		time.Sleep(delay)
		for _, c := range []*exec.Cmd{officer, member} {
			_ = c.Process.Signal(syscall.SIGKILL) // it may have finished: fine
			if err := c.Wait(); err != nil && strings.Contains(err.Error(), "killed") {
				killed++
			}
		}
		for _, a := range amounts {
			typed[a] = true
			if strings.Contains(officerOut.String(), "Rp"+a) {
				seen[a] = "round " + strconv.Itoa(round)
			}
		}
		t.Logf("round %d: killed after %s; officer printed %d bytes, member %d", round, delay, officerOut.Len(), memberOut.Len())
		checkAfterKill(t, bin, env, db, typed, seen, officerOut.String()+memberOut.String())
	}
	t.Logf("%d rounds, %d processes killed mid-work, %d amounts typed, %d receipts seen", rounds, killed, len(typed), len(seen))
	if len(seen) == 0 || killed == 0 {
		t.Fatal("no receipt seen or no process killed mid-work: the kills test nothing")
	}
}

func command(bin string, env []string, stdin string, args ...string) *exec.Cmd {
	c := exec.Command(bin, args...)
	proctest.DieWithParent(c)
	c.Env = env
	c.Stdin = strings.NewReader(stdin)
	return c
}

// thousands writes n Rupiah the Indonesian way: 10.007.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

func openRO(t *testing.T, db string) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func refs(t *testing.T, db string, statuses ...string) []string {
	t.Helper()
	d := openRO(t, db)
	rows, err := d.QueryContext(context.Background(), `SELECT ref FROM loan_applications WHERE status IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(statuses)), ",")+`) ORDER BY id`, anys(statuses)...)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func checkAfterKill(t *testing.T, bin string, env []string, db string, typed map[string]bool, seen map[string]string, printed string) {
	t.Helper()
	if out, err := command(bin, env, "", "ledger", "check").Output(); err != nil || !strings.Contains(string(out), "OK") {
		t.Fatalf("ledger check after a kill: %v\n%s", err, out)
	}
	d := openRO(t, db)
	// Every amount typed is posted at most once; every one whose receipt
	// the officer saw, exactly once.
	posted := map[string]int{}
	rows, err := d.Query(`SELECT amount FROM ledger_postings WHERE amount > 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if a := thousands(n); typed[a] {
			posted[a]++
		}
	}
	rows.Close()
	// A repayment is one debit to cash; a deposit the same: one positive
	// posting per amount typed.
	for a := range typed {
		switch n := posted[a]; {
		case n > 1:
			t.Errorf("Rp%s posted %d times", a, n)
		case n == 0 && seen[a] != "":
			t.Errorf("Rp%s: the officer saw the receipt (%s) but nothing is posted", a, seen[a])
		}
	}
	var twice, badStatus int
	if err := d.QueryRow(`SELECT (SELECT count(*) FROM (SELECT application_id FROM loan_decisions
			WHERE status IN ('approved', 'rejected') GROUP BY application_id HAVING count(*) > 1)),
		(SELECT count(*) FROM outbox WHERE status NOT IN ('pending', 'sent'))`).Scan(&twice, &badStatus); err != nil {
		t.Fatal(err)
	}
	if twice != 0 || badStatus != 0 {
		t.Errorf("%d requests decided twice, %d outbox rows neither sent nor pending", twice, badStatus)
	}
	// What a seat printed went through the outbox: queued durably first,
	// marked sent after (a kill in between leaves it pending: sent again).
	for _, line := range strings.Split(printed, "\n") {
		if len(line) < 12 || !strings.Contains(line, "Rp") {
			continue
		}
		var n int
		// The terminal prints the markup's plain rendering: compare without it.
		if err := d.QueryRow(`SELECT count(*) FROM outbox WHERE instr(replace(replace(replace(text, '*', ''), '_', ''), '~', ''), ?) > 0`,
			strings.TrimSpace(line)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("printed but never queued: %q", line)
		}
	}
}
