package officer

import (
	"errors"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/settle"
)

// explain turns a domain error the officer can do something about into a
// refusal naming t.subject; any other error passes through and fails the
// whole message, so the router apologises and the platform redelivers.
func (d *Desk) explain(t *turn, err error) error {
	if r := d.explainBooks(t, err); r != nil {
		return r
	}
	var decided *loan.AlreadyDecidedError
	if errors.As(err, &decided) {
		by := d.say(t, "officer.by_member", nil)
		if decided.Last.OfficerID != "" {
			by = d.officerName(decided.Last.OfficerID)
		}
		return refuse(err.Error(), "officer.error.already_decided", map[string]any{"Ref": decided.Ref,
			"Status": d.statusName(t, decided.Status), "By": by})
	}
	if q, ok := settle.IsAmountError(err); ok {
		f := amounts(t.lang, q.Total, q.Principal(), q.Interest.Add(q.InterestDue), q.Fee, q.Total.Sub(q.Interest).Sub(q.Fee))
		return refuse(err.Error(), "settlement.error.amount", map[string]any{"Ref": q.Ref, "Total": f[0],
			"Principal": f[1], "Interest": f[2], "Fee": f[3], "HasFee": q.Fee.IsPositive(), "Max": f[4]})
	}
	var parse *money.ParseError
	if errors.As(err, &parse) {
		return refuse(err.Error(), parse.Reason.MessageID(), map[string]any{"Max": money.Format(money.Max, t.lang)})
	}
	for _, known := range []struct {
		err error
		id  string
	}{
		{loan.ErrNotFound, "officer.error.unknown_ref"},
		{member.ErrNotFound, "officer.error.unknown_member"},
		{loan.ErrSameOfficer, "officer.error.same_officer"},
		{loan.ErrNeedsManager, "officer.error.needs_manager"},
		{loan.ErrNeedsBoard, "officer.error.needs_board"},
		{loan.ErrPengawasRelatedOnly, "officer.error.pengawas_related_only"},
		{loan.ErrStatus, "officer.error.status"},
		{loan.ErrOverpayment, "officer.error.overpayment"},
		{loan.ErrNoOpenLoan, "officer.error.no_open_loan"},
		{loan.ErrNotYours, "officer.error.not_yours"},
		{loan.ErrBackdated, "officer.error.backdated"},
		{ledger.ErrNotFound, "officer.error.unknown_tx"},
		{ledger.ErrAlreadyReversed, "officer.error.already_reversed"},
		{ledger.ErrNotReversible, "officer.error.not_reversible"},
		{savings.ErrKind, "officer.error.kind"},
		{savings.ErrPokokPaid, "officer.error.pokok_paid"},
		{savings.ErrPokokAmount, "officer.error.pokok_amount"},
		{savings.ErrWouldGoNegative, "officer.error.would_go_negative"},
		{duty.ErrOwnAccount, "officer.error.own_account"},
		{member.ErrLeft, "membership.officer.closed"},
		{duty.ErrAboveCeiling, "officer.error.ceiling"},
		{duty.ErrApproverPays, "officer.error.approver_pays"},
		{duty.ErrSameOfficer, "officer.error.same_maker"},
		{duty.ErrNotFound, "officer.error.unknown_proposal"},
		{duty.ErrSettled, "officer.error.proposal_settled"},
	} {
		if errors.Is(err, known.err) {
			return refuse(err.Error(), known.id, map[string]any{"Subject": t.subject,
				"Pokok": money.Format(d.cfg.Duties.Pokok, t.lang), "Ceiling": money.Format(d.cfg.Duties.Ceiling, t.lang)})
		}
	}
	return err
}

// statusName says an application status in the officer's words. The ids
// are spelled out because the locale test looks for each in code.
func (d *Desk) statusName(t *turn, s loan.Status) string {
	id := "officer.status.pending"
	switch s {
	case loan.StatusInfoRequested:
		id = "officer.status.info_requested"
	case loan.StatusAwaitingSecond:
		id = "officer.status.awaiting_second"
	case loan.StatusApproved:
		id = "officer.status.approved"
	case loan.StatusRejected:
		id = "officer.status.rejected"
	case loan.StatusCancelled:
		id = "officer.status.cancelled"
	case loan.StatusDisbursed:
		id = "officer.status.disbursed"
	}
	return d.say(t, id, nil)
}
