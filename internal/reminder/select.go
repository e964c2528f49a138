package reminder

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Planned is one message the planner queues, or would queue (Preview).
type Planned struct {
	Key    string
	Kind   Kind
	Offset int // days from the due date; 0 for the summary
	// The member reminded; zero for the officers' summary.
	MemberID int64
	Number   string
	Name     string
	Phone    string
	To       member.Address
	// Ref is the loan's ref (with No the installment), the wajib month
	// (YYYY-MM) or the summary's date.
	Ref    string
	No     int
	Amount decimal.Decimal // still to pay
	Due    time.Time       // a date, midnight UTC
	Reason string          // for people reading a preview: "H-3 angsuran ke-2 PJ-2611-0001"
	Text   string
	// Withheld says why it is recorded but not sent (outbox.WithheldNoConsent), or "".
	Withheld string
}

func (pl Planned) item() outbox.Item {
	return outbox.Item{Reply: channel.Reply{Channel: pl.To.Channel, Chat: pl.To.Chat, Text: pl.Text}, Key: pl.Key, Lane: channel.Bulk,
		Withheld: pl.Withheld}
}

// queued says which of keys an earlier run queued already. Plan skips
// those before reading anything else about them; Preview has none.
type queued func(ctx context.Context, keys []string) (map[string]bool, error)

func noneQueued(context.Context, []string) (map[string]bool, error) { return nil, nil }

// chunkSize is how many reminders are looked up together, each lookup
// (queued keys, members, choices, addresses, loans) one query for all of
// them: a query per reminder cost more than everything else a plan does.
// A few hundred hold little memory whatever the number of loans.
const chunkSize = 500

// draft is a reminder before its recipient is looked up.
type draft struct {
	pl    Planned // MemberID set; for a wajib reminder Key is still empty
	m     member.Member
	denda string // the denda line of an overdue installment
}

// chunker collects drafts and hands them to run chunkSize at a time.
type chunker struct {
	ds  []draft
	run func([]draft) error
}

func newChunker(run func([]draft) error) *chunker {
	return &chunker{ds: make([]draft, 0, chunkSize), run: run}
}

func (c *chunker) add(d draft) error {
	c.ds = append(c.ds, d)
	if len(c.ds) < chunkSize {
		return nil
	}
	return c.flush()
}

func (c *chunker) flush() error {
	if len(c.ds) == 0 {
		return nil
	}
	err := c.run(c.ds)
	c.ds = c.ds[:0]
	return err
}

// each is the one selection Plan and Preview share: every message due on
// day, in order installments, wajib, summary. A reminder is due when its day
// (due date + offset) falls after the previous sending day and up to day;
// of several offsets so due for one installment or month only the latest.
// Members who opted out, and installments or months already paid, yield
// nothing. A member hears at most one reminder a day, the first found:
// installments before wajib, the longest overdue first. now is when the
// messages start to go, for the summary's count of what the day's capacity
// carries.
func (p *Planner) each(ctx context.Context, q store.Queryer, day, now time.Time, isQueued queued, fn func(Planned) error) (*found, error) {
	from := p.cfg.previousDay(day).AddDate(0, 0, 1)
	claimed := map[int64]bool{}
	f := &found{}
	tally := func(pl Planned) error {
		f.add(pl, p.paced)
		return fn(pl)
	}
	if err := p.eachInstallment(ctx, q, from, day, isQueued, claimed, tally); err != nil {
		return nil, err
	}
	if err := p.eachWajib(ctx, q, from, day, isQueued, claimed, tally); err != nil {
		return nil, err
	}
	return f, p.summary(ctx, q, day, now, f, isQueued, fn)
}

// paced says whether ch's bulk is spread over the window.
func (p *Planner) paced(ch channel.Name) bool {
	if p.cfg.Capacity == nil {
		return false
	}
	_, ok := p.cfg.Capacity(ch, time.Time{})
	return ok
}

func (p *Planner) eachInstallment(ctx context.Context, q store.Queryer, from, day time.Time, isQueued queued,
	claimed map[int64]bool, fn func(Planned) error) error {
	offsets := p.cfg.OffsetsInstallment
	if len(offsets) == 0 {
		return nil
	}
	c := newChunker(func(ds []draft) error {
		if err := p.installments(ctx, q, claim(ds, claimed), day, isQueued, fn); err != nil {
			return fmt.Errorf("reminders of %d installments: %w", len(ds), err)
		}
		return nil
	})
	for _, r := range dueRanges(offsets, from, day) {
		err := loan.EachDue(ctx, q, r[0], r[1], func(d loan.DueInstallment) error {
			off, ok := latestIn(offsets, d.Due, from, day)
			if !ok {
				return nil
			}
			return c.add(draft{pl: Planned{Key: installmentKey(d.LoanRef, d.No, off), Kind: KindInstallment,
				Offset: off, MemberID: d.MemberID, Ref: d.LoanRef, No: d.No, Amount: d.Unpaid, Due: d.Due,
				Reason: fmt.Sprintf("%s angsuran ke-%d %s", offsetLabel(off), d.No, d.LoanRef)}})
		})
		if err != nil {
			return err
		}
	}
	return c.flush()
}

// installments completes a chunk of installment reminders and hands them to fn.
func (p *Planner) installments(ctx context.Context, q store.Queryer, ds []draft, day time.Time, isQueued queued,
	fn func(Planned) error) error {
	ds, err := p.recipients(ctx, q, ds, isQueued)
	if err != nil {
		return err
	}
	if err := p.denda(ctx, q, ds, day); err != nil {
		return err
	}
	for _, d := range ds {
		lang := d.m.Lang
		d.pl.Text = p.render(lang, KindInstallment, d.pl.Offset, d.pl.Due, day, memberText{Name: d.m.Name, Ref: d.pl.Ref, No: d.pl.No,
			Amount: money.Format(d.pl.Amount, lang), Due: d.pl.Due.Format(dayLayout), Denda: d.denda})
		if err := fn(d.pl); err != nil {
			return err
		}
	}
	return nil
}

// denda fills in the denda line of the overdue installments among ds, as
// of day. Within the grace days no denda has accrued, so the loan's terms
// are enough; after them the loan package says what the installment has
// accrued and is unpaid.
func (p *Planner) denda(ctx context.Context, q store.Queryer, ds []draft, day time.Time) error {
	var refs []string
	for _, d := range ds {
		if d.pl.Offset > 0 {
			refs = append(refs, d.pl.Ref)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	loans, err := loan.LoansByRef(ctx, q, refs)
	if err != nil {
		return err
	}
	var late []loan.InstallmentOf
	var lateAt []int // where in ds each of late is
	for i, d := range ds {
		l := loans[d.pl.Ref]
		if d.pl.Offset > 0 && l.Terms.PenaltyPerDay.IsPositive() && d.pl.Offset > l.Terms.GraceDays {
			late = append(late, loan.InstallmentOf{Loan: l, No: d.pl.No})
			lateAt = append(lateAt, i)
		}
	}
	sofar := make([]decimal.Decimal, len(ds))
	if len(late) > 0 {
		due, err := loan.DendaDue(ctx, q, late, day)
		if err != nil {
			return err
		}
		for j, i := range lateAt {
			sofar[i] = due[j]
		}
	}
	for i := range ds {
		if ds[i].pl.Offset > 0 {
			t := loans[ds[i].pl.Ref].Terms
			ds[i].denda = p.dendaLine(ds[i].m.Lang, sofar[i], t.PenaltyPerDay, t.GraceDays)
		}
	}
	return nil
}

func (p *Planner) eachWajib(ctx context.Context, q store.Queryer, from, day time.Time, isQueued queued,
	claimed map[int64]bool, fn func(Planned) error) error {
	offsets := p.cfg.OffsetsWajib
	if len(offsets) == 0 || !p.cfg.WajibAmount.IsPositive() {
		return nil
	}
	c := newChunker(func(chunk []draft) error {
		ds, err := p.recipients(ctx, q, claim(chunk, claimed), isQueued)
		if err != nil {
			return fmt.Errorf("wajib reminders of %d members: %w", len(chunk), err)
		}
		for _, d := range ds {
			lang := d.m.Lang
			d.pl.Text = p.render(lang, KindWajib, d.pl.Offset, d.pl.Due, day, memberText{Name: d.m.Name, Ref: d.pl.Due.Format("01/2006"),
				Amount: money.Format(d.pl.Amount, lang), Due: d.pl.Due.Format(dayLayout)})
			if err := fn(d.pl); err != nil {
				return err
			}
		}
		return nil
	})
	lo, hi := span(offsets, from, day)
	for month := firstOfMonth(lo); !month.After(hi); month = month.AddDate(0, 1, 0) {
		due := month.AddDate(0, 0, p.cfg.WajibDueDay-1)
		off, ok := latestIn(offsets, due, from, day)
		if !ok {
			continue
		}
		err := savings.EachWajibShort(ctx, q, period.Of(month), p.cfg.WajibAmount, func(s savings.WajibCover) error {
			return c.add(draft{pl: Planned{Kind: KindWajib, Offset: off, MemberID: s.MemberID, Ref: month.Format(monthIndex),
				Amount: s.Short, Due: due,
				Reason: fmt.Sprintf("%s simpanan wajib %s", offsetLabel(off), month.Format(monthIndex))}})
		})
		if err == nil {
			err = c.flush()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// recipients fills in the member to remind and where for a chunk of
// reminders of one kind, keeping those there is something to send for: not
// queued before, and the member did not opt out.
func (p *Planner) recipients(ctx context.Context, q store.Queryer, ds []draft, isQueued queued) ([]draft, error) {
	// An installment's key is known before the member is read: a rerun
	// skips the chunk at the cost of one query. A wajib key needs the number.
	keyed := len(ds) > 0 && ds[0].pl.Key != ""
	var err error
	if keyed {
		if ds, err = unqueued(ctx, ds, isQueued); err != nil {
			return nil, err
		}
	}
	if len(ds) == 0 {
		return ds, nil
	}
	ms, err := member.ByIDs(ctx, q, memberIDs(ds))
	if err != nil {
		return nil, err
	}
	for i := range ds {
		ds[i].m = ms[ds[i].pl.MemberID]
		if !keyed {
			ds[i].pl.Key = wajibKey(ds[i].m.Number, firstOfMonth(ds[i].pl.Due), ds[i].pl.Offset)
		}
	}
	if !keyed {
		if ds, err = unqueued(ctx, ds, isQueued); err != nil {
			return nil, err
		}
	}
	out, err := optedOut(ctx, q, memberIDs(ds))
	if err != nil {
		return nil, fmt.Errorf("reminder choices: %w", err)
	}
	ds = slices.DeleteFunc(ds, func(d draft) bool { return out[d.pl.MemberID] })
	recipients := make([]member.Member, len(ds))
	for i, d := range ds {
		recipients[i] = d.m
	}
	to, err := member.ReachAll(ctx, q, recipients)
	if err != nil {
		return nil, err
	}
	consent, err := member.BulkConsent(ctx, q, memberIDs(ds))
	if err != nil {
		return nil, err
	}
	for i := range ds {
		m := ds[i].m
		ds[i].pl.To = to[m.ID]
		ds[i].pl.Number, ds[i].pl.Name, ds[i].pl.Phone = m.Number, m.Name, m.Phone
		if ds[i].pl.To.Channel == channel.WhatsApp && !consent[m.ID] {
			ds[i].pl.Withheld = outbox.WithheldNoConsent
		}
	}
	return ds, nil
}

// claim keeps the drafts of members with no reminder claimed yet today and
// claims them. It runs before anything is found queued, so a later run of
// the same day picks the same one reminder a member gets, not the next.
func claim(ds []draft, claimed map[int64]bool) []draft {
	return slices.DeleteFunc(ds, func(d draft) bool {
		if claimed[d.pl.MemberID] {
			return true
		}
		claimed[d.pl.MemberID] = true
		return false
	})
}

// unqueued drops from ds the reminders queued before.
func unqueued(ctx context.Context, ds []draft, isQueued queued) ([]draft, error) {
	keys := make([]string, len(ds))
	for i, d := range ds {
		keys[i] = d.pl.Key
	}
	done, err := isQueued(ctx, keys)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ds, func(d draft) bool { return done[d.pl.Key] }), nil
}

func memberIDs(ds []draft) []int64 {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.pl.MemberID
	}
	return ids
}

// summary is the officers' morning summary, once a day: besides the
// day's figures, who is kept from a WhatsApp reminder for want of consent,
// and who will not get one today because the day's capacity is short.
func (p *Planner) summary(ctx context.Context, q store.Queryer, day, now time.Time, f *found, isQueued queued, fn func(Planned) error) error {
	if p.cfg.OfficerGroup.Chat == "" {
		return nil
	}
	key := summaryKey(day)
	if done, err := isQueued(ctx, []string{key}); err != nil || done[key] {
		return err
	}
	s, err := p.Summarize(ctx, q, day)
	if err != nil {
		return err
	}
	delivery, err := p.deliveryText(ctx, q, i18n.Default, day, now, f)
	if err != nil {
		return err
	}
	return fn(Planned{Key: key, Kind: KindSummary, To: p.cfg.OfficerGroup, Ref: day.Format(time.DateOnly),
		Amount: s.DueAmount, Due: day, Reason: "ringkasan pagi untuk petugas",
		Text: p.summaryText(i18n.Default, day, s) + delivery})
}

// offsetLabel writes an offset as the office says it: H-3, H, H+7.
func offsetLabel(off int) string {
	if off == 0 {
		return "H"
	}
	return fmt.Sprintf("H%+d", off)
}

func firstOfMonth(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}
