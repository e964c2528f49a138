package loan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// Role is an officer's role.
type Role string

// The officer roles. A manajer is the pengurus at the desk; a pengawas
// (supervisory board) only decides related parties' loans, which need one
// of each.
const (
	RolePetugas  Role = "petugas"
	RoleManajer  Role = "manajer"
	RolePengawas Role = "pengawas"
)

// Roles are the known roles, in the order the config names them.
var Roles = []Role{RolePetugas, RoleManajer, RolePengawas}

// Known tells whether r is one of Roles.
func (r Role) Known() bool { return slices.Contains(Roles, r) }

// Verdict is what an officer decides.
type Verdict string

// The three verdicts.
const (
	Approve Verdict = "approve"
	Reject  Verdict = "reject"
	AskInfo Verdict = "ask_info" // ask the member for more information
)

// Decision is one officer's verdict on an application.
type Decision struct {
	AppRef    string
	OfficerID string
	Role      Role
	Verdict   Verdict
	Reason    string // required to reject and to ask for information (the question)
	Now       time.Time
	// Related marks an applicant who is a pengurus or pengawas: their loan
	// needs two approvals whatever its amount, one a manajer's (pengurus)
	// and one a pengawas's (Permenkop 8/2023).
	Related bool
}

// Outcome is the application after a decision. Final is true when the
// decision settled it (approved or rejected).
type Outcome struct {
	Application Application
	Final       bool
	Status      Status
}

// DecisionRecord is one entry of an application's decision history.
type DecisionRecord struct {
	OfficerID string
	Role      Role
	Verdict   Verdict
	Reason    string
	Status    Status // the status the decision left the application in
	At        time.Time
}

// AlreadyDecidedError is Decide's answer for an application that is no
// longer open for decision, so the officer can be told who settled it.
type AlreadyDecidedError struct {
	Ref    string
	Status Status
	// Last is the latest officer decision; zero when none led here (the
	// member cancelled).
	Last DecisionRecord
}

func (e *AlreadyDecidedError) Error() string {
	if e.Last.OfficerID == "" {
		return fmt.Sprintf("%s: %s is %s", ErrAlreadyDecided, e.Ref, e.Status)
	}
	return fmt.Sprintf("%s: %s is %s, by %s (%s)", ErrAlreadyDecided, e.Ref, e.Status, e.Last.OfficerID, e.Last.Role)
}

// Unwrap makes errors.Is(err, ErrAlreadyDecided) hold.
func (e *AlreadyDecidedError) Unwrap() error { return ErrAlreadyDecided }

// Decide records an officer's verdict. Only an undecided application
// (pending, info_requested, awaiting_second) can be decided; any other is an
// *AlreadyDecidedError naming who settled it, which is also what the second
// of a double tap gets. Rejecting and asking for information need a reason.
//
// Maker-checker: an application of more than pol.TwoOfficersAbove needs two
// approvals. The first, by a petugas or a manajer, leaves it
// awaiting_second (Outcome.Final false); the second must come from a
// different officer (ErrSameOfficer) who is a manajer (ErrNeedsManager) —
// also when the first was a manajer, so two people always look at a large
// loan and one of them at least is a manajer. A related party's loan
// (Decision.Related) needs two approvals whatever its amount, one by a
// manajer and one by a pengawas, in either order (ErrNeedsBoard); a
// pengawas decides no other loan (ErrPengawasRelatedOnly). Asking for
// information drops a first approval: the answer may change the picture,
// so both look again.
//
// The status change is conditional on the status read, so even outside one
// write transaction two officers deciding at once produce one decision.
func Decide(ctx context.Context, q store.Queryer, d Decision, pol Policy) (Outcome, error) {
	o, err := decide(ctx, q, d, pol)
	if err != nil {
		return Outcome{}, fmt.Errorf("%s %s by %s: %w", d.Verdict, d.AppRef, d.OfficerID, err)
	}
	return o, nil
}

func decide(ctx context.Context, q store.Queryer, d Decision, pol Policy) (Outcome, error) {
	switch {
	case !d.Role.Known():
		return Outcome{}, fmt.Errorf("%q: %w", d.Role, ErrRole)
	case d.Role == RolePengawas && !d.Related:
		return Outcome{}, ErrPengawasRelatedOnly
	}
	if strings.TrimSpace(d.OfficerID) == "" {
		return Outcome{}, fmt.Errorf("officer: %w", ErrMissing)
	}
	a, err := ApplicationByRef(ctx, q, d.AppRef)
	if err != nil {
		return Outcome{}, err
	}
	if !a.Status.Undecided() {
		return Outcome{}, alreadyDecided(ctx, q, a)
	}
	var firstRole Role
	if d.Related && a.Status == StatusAwaitingSecond {
		if firstRole, err = firstApproverRole(ctx, q, a); err != nil {
			return Outcome{}, err
		}
	}
	next, first, err := transition(a, d, pol, firstRole)
	if err != nil {
		return Outcome{}, err
	}
	ok, err := setStatus(ctx, q, a, next, first, d.Now)
	if err != nil {
		return Outcome{}, err
	}
	if !ok {
		if a, err = ApplicationByRef(ctx, q, d.AppRef); err != nil {
			return Outcome{}, err
		}
		return Outcome{}, alreadyDecided(ctx, q, a)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO loan_decisions (application_id, officer_id, role, decision, reason,
		status, at) VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, d.OfficerID, string(d.Role), string(d.Verdict),
		strings.TrimSpace(d.Reason), string(next), instant(d.Now)); err != nil {
		return Outcome{}, fmt.Errorf("record decision: %w", err)
	}
	if a, err = ApplicationByRef(ctx, q, d.AppRef); err != nil {
		return Outcome{}, err
	}
	return Outcome{Application: a, Final: next == StatusApproved || next == StatusRejected, Status: next}, nil
}

// transition is the rules: the status d moves a to, and the first approver
// it leaves recorded; firstRole is the first approver's role of a related
// party's loan awaiting its second.
func transition(a Application, d Decision, pol Policy, firstRole Role) (Status, string, error) {
	switch d.Verdict {
	case Reject, AskInfo:
		if strings.TrimSpace(d.Reason) == "" {
			return "", "", ErrReasonRequired
		}
		if d.Verdict == Reject {
			return StatusRejected, "", nil
		}
		return StatusInfoRequested, "", nil
	case Approve:
		board := map[Role]Role{RoleManajer: RolePengawas, RolePengawas: RoleManajer}
		switch {
		case a.Status == StatusAwaitingSecond && d.OfficerID == a.FirstApprover:
			return "", "", ErrSameOfficer
		case d.Related && board[d.Role] == "":
			return "", "", ErrNeedsBoard
		case d.Related && a.Status == StatusAwaitingSecond && firstRole != board[d.Role]:
			return "", "", ErrNeedsBoard
		case a.Status == StatusAwaitingSecond && !d.Related && d.Role != RoleManajer:
			return "", "", ErrNeedsManager
		case a.Status != StatusAwaitingSecond && (a.Amount.GreaterThan(pol.TwoOfficersAbove) || d.Related):
			return StatusAwaitingSecond, d.OfficerID, nil
		}
		return StatusApproved, "", nil
	}
	return "", "", fmt.Errorf("%q: %w", d.Verdict, ErrVerdict)
}

// firstApproverRole is the role of the approval that left a awaiting its
// second.
func firstApproverRole(ctx context.Context, q store.Queryer, a Application) (Role, error) {
	hist, err := decisions(ctx, q, a.ID)
	if err != nil {
		return "", err
	}
	for _, r := range slices.Backward(hist) {
		if r.Verdict == Approve && r.Status == StatusAwaitingSecond {
			return r.Role, nil
		}
	}
	return "", nil
}

func alreadyDecided(ctx context.Context, q store.Queryer, a Application) error {
	hist, err := decisions(ctx, q, a.ID)
	if err != nil {
		return err
	}
	e := &AlreadyDecidedError{Ref: a.Ref, Status: a.Status}
	if len(hist) > 0 {
		e.Last = hist[len(hist)-1]
	}
	return e
}

// Decisions returns the application's decision history, oldest first.
func Decisions(ctx context.Context, q store.Queryer, ref string) ([]DecisionRecord, error) {
	a, err := ApplicationByRef(ctx, q, ref)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	hist, err := decisions(ctx, q, a.ID)
	if err != nil {
		return nil, fmt.Errorf("decisions of %s: %w", ref, err)
	}
	return hist, nil
}

func decisions(ctx context.Context, q store.Queryer, appID int64) ([]DecisionRecord, error) {
	return collect(ctx, q, `SELECT officer_id, role, decision, reason, status, at FROM loan_decisions
		WHERE application_id = ? ORDER BY id`, func(row scanner) (DecisionRecord, error) {
		var r DecisionRecord
		var at string
		if err := row.Scan(&r.OfficerID, &r.Role, &r.Verdict, &r.Reason, &r.Status, &at); err != nil {
			return r, err
		}
		var err error
		if r.At, err = time.Parse(instantLayout, at); err != nil {
			return r, fmt.Errorf("decision at %q: %w", at, err)
		}
		return r, nil
	}, appID)
}
