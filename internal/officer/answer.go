package officer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
)

// command is one officer command.
type command struct {
	// args is how many words must follow the command.
	args int
	// manager limits the command to a manajer.
	manager bool
	// usage is the message id of its syntax line, shown by /bantuan and
	// when words are missing.
	usage string
	run   func(d *Desk, t *turn, args []string) (string, error)
	// read, when set, reads what run needs that takes long (the whole loan
	// book judged) from a snapshot before the writer is taken, t.tx being a
	// read transaction; run finds what it returned in t.read.
	read func(d *Desk, t *turn, args []string) (any, error)
}

// commands is the officer command set, by name without the slash.
func commands() map[string]command {
	return map[string]command{
		"antrian":    {usage: "officer.usage.antrian", run: (*Desk).queue},
		"anggota":    {args: 1, usage: "officer.usage.anggota", run: (*Desk).memberCard},
		"setujui":    {args: 1, usage: "officer.usage.setujui", run: (*Desk).approveCmd},
		"tolak":      {args: 2, usage: "officer.usage.tolak", run: (*Desk).rejectCmd},
		"info":       {args: 2, usage: "officer.usage.info", run: (*Desk).askInfoCmd},
		"cair":       {args: 1, usage: "officer.usage.cair", run: (*Desk).disburse},
		"bayar":      {args: 2, usage: "officer.usage.bayar", run: (*Desk).repay},
		"pelunasan":  {args: 1, usage: "settlement.usage", run: (*Desk).settlement},
		"setor":      {args: 3, usage: "officer.usage.setor", run: (*Desk).deposit},
		"konfirmasi": {args: 1, usage: "officer.usage.konfirmasi", run: (*Desk).confirmCmd},
		"batal":      {args: 1, manager: true, usage: "officer.usage.batal", run: (*Desk).reverse},
		"laporan":    {usage: "officer.usage.laporan", run: (*Desk).report},
		"gagal":      {usage: "officer.usage.gagal", run: (*Desk).failed},
		"tertunda":   {usage: "officer.usage.tertunda", run: (*Desk).slipping},
		"obrolan":    {usage: "officer.usage.obrolan", run: (*Desk).handoffs},
		"tidakpaham": {usage: "officer.usage.tidakpaham", run: (*Desk).misses},
		"balas":      {args: 2, usage: "officer.usage.balas", run: (*Desk).answerCmd},
		"selesai":    {usage: "officer.usage.selesai", run: (*Desk).closeCmd},
		"bukti":      {args: 2, usage: "payment.officer.usage", run: (*Desk).proofCmd},
		"mutasi":     {args: 1, usage: "payment.bank.usage", run: (*Desk).lineCmd},
		"tarik":      {args: 2, usage: "withdraw.officer.usage", run: (*Desk).withdrawalCmd},
		"bayarkan":   {args: 1, usage: "withdraw.officer.usage_paid", run: (*Desk).payOutCmd},
		"bantuan":    {usage: "officer.usage.bantuan", run: (*Desk).help},
		"lepas":      {args: 2, usage: "officer.usage.lepas", run: (*Desk).unbind},
		"daftar":     {args: 2, usage: "membership.usage.daftar", run: (*Desk).register},
		"keluar":     {args: 1, usage: "membership.usage.keluar", run: (*Desk).leave},
	}
}

// helpOrder is the order /bantuan lists the commands in.
var helpOrder = []string{"antrian", "anggota", "setujui", "tolak", "info", "cair", "bayar", "pelunasan", "setor", "konfirmasi", "bukti", "mutasi", "tarik", "bayarkan", "batal", "daftar", "keluar", "laporan", "gagal", "tertunda", "obrolan", "balas", "selesai", "lepas", "tidakpaham", "bantuan"}

// parse splits "/Bayar@kopbot A0012 1,5 juta" into "bayar" and its words.
// The Telegram adapter strips the bot's name already; the console does not
// add one, so stripping again here costs nothing and covers both.
func (d *Desk) parse(text string) (string, []string, bool) {
	words := strings.Fields(text)
	if len(words) == 0 || !strings.HasPrefix(words[0], "/") {
		return "", nil, false
	}
	name, _, _ := strings.Cut(strings.ToLower(words[0][1:]), "@")
	if _, ok := d.commands[name]; !ok {
		return "", nil, false
	}
	return name, words[1:], true
}

// Read implements router.Desk: an officer's command that reads long (see
// command.read) reads in tx, a read transaction, before Answer writes.
func (d *Desk) Read(ctx context.Context, tx *sql.Tx, m channel.Message, now time.Time) (any, error) {
	name, args, ok := d.parse(m.Text)
	if _, officer := d.officers[m.From]; !ok || !officer || d.commands[name].read == nil {
		return nil, nil
	}
	t := d.newTurn(ctx, tx, now, m)
	if notForPengawas(t, name) != nil {
		return nil, nil // refused in Answer, with nothing to read
	}
	read, err := d.commands[name].read(d, t, args)
	if err != nil {
		return nil, fmt.Errorf("officer %s /%s: %w", m.From, name, err)
	}
	if d.afterRead != nil {
		d.afterRead()
	}
	return read, nil
}

// Answer handles a message Serves claimed: a command, or an officer's plain
// text, which is the reason or question a press of Tolak or Minta info is
// waiting for. read is what Read returned for m.
func (d *Desk) Answer(ctx context.Context, tx *sql.Tx, m channel.Message, read any, now time.Time) error {
	text := m.Text
	t := d.newTurn(ctx, tx, now, m)
	t.read = read
	name, args, ok := d.parse(text)
	if !ok {
		return d.plain(t, text)
	}
	cmd := d.commands[name]
	out, err := step(t, func() (string, error) {
		if err := notForPengawas(t, name); err != nil {
			return "", err
		}
		switch {
		case !t.isOfficer:
			return "", refuse("not an officer", "officer.error.not_officer", nil)
		case cmd.manager && t.off.Role != loan.RoleManajer:
			return "", refuse("needs manajer", "officer.error.manager_only", map[string]any{"Command": "/" + name})
		case len(args) < cmd.args:
			return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, cmd.usage, nil)})
		}
		return cmd.run(d, t, args)
	})
	reply, err := d.settle(t, "/"+name, out, err)
	if err != nil {
		return err
	}
	return t.reply(reply)
}

// help lists the commands.
func (d *Desk) help(t *turn, _ []string) (string, error) {
	// A pengawas reads only what they may use: a list of refusals helps no one.
	pengawas := t.isOfficer && t.off.Role == loan.RolePengawas
	var lines []string
	for _, name := range slices.Concat(helpOrder, booksHelpOrder, announceHelpOrder) {
		if !pengawas || pengawasMay[name] {
			lines = append(lines, d.say(t, d.commands[name].usage, nil))
		}
	}
	return d.say(t, "officer.help", map[string]any{"Commands": strings.Join(lines, "\n"), "Pengawas": pengawas}), nil
}
