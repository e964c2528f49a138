package reminder

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
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
}

func (pl Planned) item() outbox.Item {
	return outbox.Item{Reply: channel.Reply{Channel: pl.To.Channel, Chat: pl.To.Chat, Text: pl.Text}, Key: pl.Key}
}

// fresh says whether a key is still to be queued; Plan skips what an
// earlier run queued before reading anything else about it.
type fresh func(ctx context.Context, key string) (bool, error)

func always(context.Context, string) (bool, error) { return true, nil }

// each is the one selection Plan and Preview share: every message due on
// day, in order installments, wajib, summary. A reminder is due when its day
// (due date + offset) falls after the previous sending day and up to day;
// of several offsets so due for one installment or month only the latest.
// Members who opted out, and installments or months already paid, yield
// nothing.
func (p *Planner) each(ctx context.Context, q store.Queryer, day time.Time, isFresh fresh, fn func(Planned) error) error {
	from := p.cfg.previousDay(day).AddDate(0, 0, 1)
	if err := p.eachInstallment(ctx, q, from, day, isFresh, fn); err != nil {
		return err
	}
	if err := p.eachWajib(ctx, q, from, day, isFresh, fn); err != nil {
		return err
	}
	return p.summary(ctx, q, day, isFresh, fn)
}

func (p *Planner) eachInstallment(ctx context.Context, q store.Queryer, from, day time.Time, isFresh fresh,
	fn func(Planned) error) error {
	offsets := p.cfg.OffsetsInstallment
	if len(offsets) == 0 {
		return nil
	}
	lo, hi := span(offsets, from, day)
	return loan.EachDue(ctx, q, lo, hi, func(d loan.DueInstallment) error {
		off, ok := latestIn(offsets, d.Due, from, day)
		if !ok {
			return nil
		}
		pl := Planned{Key: installmentKey(d.LoanRef, d.No, off), Kind: KindInstallment, Offset: off,
			Ref: d.LoanRef, No: d.No, Amount: d.Unpaid, Due: d.Due,
			Reason: fmt.Sprintf("%s angsuran ke-%d %s", offsetLabel(off), d.No, d.LoanRef)}
		m, ok, err := p.recipient(ctx, q, d.MemberID, &pl, isFresh)
		if err != nil || !ok {
			return err
		}
		t := memberText{Name: m.Name, Ref: d.LoanRef, No: d.No, Amount: money.Format(d.Unpaid, m.Lang),
			Due: d.Due.Format(dayLayout)}
		if off > 0 {
			if t.Denda, err = p.denda(ctx, q, m.Lang, d, off, day); err != nil {
				return err
			}
		}
		pl.Text = p.render(m.Lang, KindInstallment, off, t)
		return fn(pl)
	})
}

// denda is the overdue installment's denda line as of day, off days late.
// Within the grace days no denda has accrued, so the loan's terms are
// enough; after them the loan's status gives what has accrued and is unpaid.
func (p *Planner) denda(ctx context.Context, q store.Queryer, lang string, d loan.DueInstallment, off int, day time.Time) (string, error) {
	l, err := loan.LoanByRef(ctx, q, d.LoanRef)
	if err != nil {
		return "", err
	}
	sofar := decimal.Zero
	if l.Terms.PenaltyPerDay.IsPositive() && off > l.Terms.GraceDays {
		s, err := loan.LoanStatusOf(ctx, q, d.LoanRef, day)
		if err != nil {
			return "", err
		}
		for _, in := range s.Schedule {
			if in.No == d.No {
				sofar = in.DendaDue()
			}
		}
	}
	return p.dendaLine(lang, sofar, l.Terms.PenaltyPerDay, l.Terms.GraceDays), nil
}

func (p *Planner) eachWajib(ctx context.Context, q store.Queryer, from, day time.Time, isFresh fresh,
	fn func(Planned) error) error {
	offsets := p.cfg.OffsetsWajib
	if len(offsets) == 0 || !p.cfg.WajibAmount.IsPositive() {
		return nil
	}
	lo, hi := span(offsets, from, day)
	for month := firstOfMonth(lo); !month.After(hi); month = month.AddDate(0, 1, 0) {
		due := month.AddDate(0, 0, p.cfg.WajibDueDay-1)
		off, ok := latestIn(offsets, due, from, day)
		if !ok {
			continue
		}
		err := savings.EachWajibShort(ctx, q, month, month.AddDate(0, 1, 0), p.cfg.WajibAmount, func(s savings.WajibShort) error {
			owed := p.cfg.WajibAmount.Sub(s.Paid)
			pl := Planned{Kind: KindWajib, Offset: off, Ref: month.Format(monthIndex), Amount: owed, Due: due,
				Reason: fmt.Sprintf("%s simpanan wajib %s", offsetLabel(off), month.Format(monthIndex))}
			m, ok, err := p.recipient(ctx, q, s.MemberID, &pl, isFresh)
			if err != nil || !ok {
				return err
			}
			pl.Text = p.render(m.Lang, KindWajib, off, memberText{Name: m.Name, Ref: month.Format("01/2006"),
				Amount: money.Format(owed, m.Lang), Due: due.Format(dayLayout)})
			return fn(pl)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// recipient fills pl with the member to remind and where; ok is false when
// there is nothing to send: queued before, or the member opted out.
func (p *Planner) recipient(ctx context.Context, q store.Queryer, memberID int64, pl *Planned, isFresh fresh) (member.Member, bool, error) {
	// An installment's key is known before the member is read: a rerun
	// skips it at the cost of one lookup. A wajib key needs the number.
	if pl.Key != "" {
		if ok, err := isFresh(ctx, pl.Key); err != nil || !ok {
			return member.Member{}, false, err
		}
	}
	m, err := member.ByID(ctx, q, memberID)
	if err != nil {
		return member.Member{}, false, err
	}
	if pl.Key == "" {
		pl.Key = wajibKey(m.Number, firstOfMonth(pl.Due), pl.Offset)
		if ok, err := isFresh(ctx, pl.Key); err != nil || !ok {
			return m, false, err
		}
	}
	if out, err := OptedOut(ctx, q, memberID); err != nil || out {
		return m, false, err
	}
	if pl.To, err = member.Reach(ctx, q, m); err != nil {
		return m, false, err
	}
	pl.MemberID, pl.Number, pl.Name, pl.Phone = m.ID, m.Number, m.Name, m.Phone
	return m, true, nil
}

// summary is the officers' morning summary, once a day.
func (p *Planner) summary(ctx context.Context, q store.Queryer, day time.Time, isFresh fresh, fn func(Planned) error) error {
	if p.cfg.OfficerGroup.Chat == "" {
		return nil
	}
	key := summaryKey(day)
	if ok, err := isFresh(ctx, key); err != nil || !ok {
		return err
	}
	s, err := p.Summarize(ctx, q, day)
	if err != nil {
		return err
	}
	return fn(Planned{Key: key, Kind: KindSummary, To: p.cfg.OfficerGroup, Ref: day.Format(time.DateOnly),
		Amount: s.DueAmount, Due: day, Reason: "ringkasan pagi untuk petugas",
		Text: p.summaryText(i18n.Default, day, s)})
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
