package health

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Answer is the manajer's rating of a questionnaire indicator.
type Answer struct {
	Indicator string
	Met, Of   int
	On        time.Time
	Officer   string
	Note      string
}

// Ratio is the share of points met, in percent.
func (a Answer) Ratio() decimal.Decimal {
	return decimal.NewFromInt(int64(a.Met)).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(int64(a.Of)), 2)
}

// SaveAnswer stores an answer; the latest per indicator counts.
func SaveAnswer(ctx context.Context, q store.Queryer, p Profile, a Answer) error {
	in, ok := p.Indicator(a.Indicator)
	if !ok || in.Questions == 0 {
		return fmt.Errorf("%w: %s is not a questionnaire indicator of %s", ErrProfile, a.Indicator, p.Key)
	}
	if a.Of != in.Questions || a.Met < 0 || a.Met > a.Of {
		return fmt.Errorf("%w: %s has %d points; %d of %d does not fit", ErrProfile, a.Indicator, in.Questions, a.Met, a.Of)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO health_answers (profile, indicator, met, questions, on_date, officer_id, note)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Key, a.Indicator, a.Met, a.Of, a.On.Format(ledger.DateLayout), a.Officer, a.Note); err != nil {
		return fmt.Errorf("save answer %s: %w", a.Indicator, err)
	}
	return nil
}

// Answers reads the latest answer of each questionnaire indicator given on
// or before date.
func Answers(ctx context.Context, q store.Queryer, p Profile, date time.Time) (map[string]Answer, error) {
	rows, err := q.QueryContext(ctx, `SELECT indicator, met, questions, on_date, officer_id, note FROM health_answers a
		WHERE profile = ? AND on_date <= ? AND id = (SELECT max(id) FROM health_answers
			WHERE profile = a.profile AND indicator = a.indicator AND on_date <= ?)`,
		p.Key, date.Format(ledger.DateLayout), date.Format(ledger.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	defer rows.Close()
	out := map[string]Answer{}
	for rows.Next() {
		var a Answer
		var on string
		if err := rows.Scan(&a.Indicator, &a.Met, &a.Of, &on, &a.Officer, &a.Note); err != nil {
			return nil, fmt.Errorf("answers: %w", err)
		}
		if a.On, err = time.Parse(ledger.DateLayout, on); err != nil {
			return nil, err
		}
		out[a.Indicator] = a
	}
	return out, rows.Err()
}

// Rated is an indicator with its value and rating.
type Rated struct {
	Indicator
	Aspect string
	// Value is the ratio in percent (a questionnaire's share of points met).
	Value decimal.Decimal
	// Rated is false for a questionnaire not answered.
	Rated       bool
	Nilai, Skor int
	Answer      *Answer
	// Lost is how many points of the total score the indicator costs.
	Lost decimal.Decimal
	// Next is the band one nilai better, nil at nilai 1.
	Next *Bound
}

// AspectScore is an aspect's score, 0–100, over its rated indicators.
type AspectScore struct {
	Aspect
	Score    decimal.Decimal
	Rated    []Rated
	Complete bool
}

// Report is the assessment at a date.
type Report struct {
	Profile Profile
	Date    time.Time
	Inputs  Inputs
	Aspects []AspectScore
	// Score is Σ weight × aspect score / 100 over the aspects that could be
	// scored, scaled to their weights when the report is partial.
	Score decimal.Decimal
	// Band is empty for a partial report: without the questionnaire the
	// score is not the supervisor's.
	Band    string
	Partial bool
	// Costliest are the three indicators that cost the most points.
	Costliest []Rated
}

var (
	four    = decimal.NewFromInt(4)
	hundred = decimal.NewFromInt(100)
)

// Assess rates every indicator and scores the aspects and the whole.
func Assess(p Profile, date time.Time, in Inputs, answers map[string]Answer) Report {
	r := Report{Profile: p, Date: date, Inputs: in}
	weights := decimal.Zero
	var all []Rated
	for _, a := range p.Aspects {
		as := AspectScore{Aspect: a, Complete: true}
		n := 0
		sum := 0
		for _, ind := range a.Indicators {
			rt := Rated{Indicator: ind, Aspect: a.Name}
			if ind.Questions > 0 {
				ans, ok := answers[ind.Key]
				if !ok {
					as.Complete = false
					as.Rated = append(as.Rated, rt)
					continue
				}
				rt.Answer, rt.Value, rt.Nilai = &ans, ans.Ratio(), rate(p.Questionnaire.Bands, ans.Ratio())
				rt.Next = nextBand(p.Questionnaire.Bands, rt.Nilai)
			} else {
				rt.Value = in.Value(ind.Metric)
				rt.Nilai = rate(ind.Bands, rt.Value)
				rt.Next = nextBand(ind.Bands, rt.Nilai)
			}
			rt.Rated, rt.Skor = true, 5-rt.Nilai
			n++
			sum += rt.Skor
			as.Rated = append(as.Rated, rt)
		}
		if n == 0 {
			r.Partial = true
			r.Aspects = append(r.Aspects, as)
			continue
		}
		if !as.Complete {
			r.Partial = true
		}
		as.Score = decimal.NewFromInt(int64(sum)).Mul(hundred).DivRound(decimal.NewFromInt(int64(n)).Mul(four), 2)
		for i := range as.Rated {
			if as.Rated[i].Rated {
				as.Rated[i].Lost = four.Sub(decimal.NewFromInt(int64(as.Rated[i].Skor))).Mul(a.Weight).
					DivRound(decimal.NewFromInt(int64(n)).Mul(four), 2)
				all = append(all, as.Rated[i])
			}
		}
		r.Score = r.Score.Add(as.Score.Mul(a.Weight).Div(hundred))
		weights = weights.Add(a.Weight)
		r.Aspects = append(r.Aspects, as)
	}
	if r.Partial && weights.IsPositive() {
		r.Score = r.Score.Mul(hundred).Div(weights)
	}
	r.Score = r.Score.Round(2)
	if !r.Partial {
		r.Band = p.Band(r.Score)
	}
	sortedBy(all, func(a, b Rated) bool { return a.Lost.GreaterThan(b.Lost) })
	for _, rt := range all {
		if len(r.Costliest) == 3 || !rt.Lost.IsPositive() {
			break
		}
		r.Costliest = append(r.Costliest, rt)
	}
	return r
}

func nextBand(bands []Bound, nilai int) *Bound {
	for i := range bands {
		if bands[i].Nilai == nilai-1 {
			return &bands[i]
		}
	}
	return nil
}

// Describe says a band's bounds in words: "> 30", "< 90", "≤ 10".
func (b Bound) Describe() string {
	var parts []string
	for _, x := range []struct {
		op string
		v  *decimal.Decimal
	}{{">", b.GT}, {"≥", b.GE}, {"<", b.LT}, {"≤", b.LE}} {
		if x.v != nil {
			parts = append(parts, x.op+" "+strings.Replace(x.v.String(), ".", ",", 1))
		}
	}
	return strings.Join(parts, " dan ")
}

// Report builds the assessment at date from the books and the answers.
func Build(ctx context.Context, q store.Queryer, p Profile, in Inputs, date time.Time) (Report, error) {
	answers, err := Answers(ctx, q, p, date)
	if err != nil {
		return Report{}, err
	}
	return Assess(p, date, in, answers), nil
}
