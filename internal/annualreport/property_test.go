package annualreport_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/annualreport"
)

// randomHistory returns n applications and m appeals spread over 2019–2024,
// some still open, compiled "today" = 2025-03-01.
func randomHistory(rng *rand.Rand, n, m int) annualreport.Input {
	start := gongkai.NewDate(2019, time.January, 1)
	today := gongkai.NewDate(2025, time.March, 1)
	span := start.DaysUntil(today)
	in := fixtureInput()
	in.Today = today
	in.Applications = nil
	in.Appeals = nil
	for i := range n {
		recv := start.AddDays(rng.IntN(span + 1))
		a := annualreport.Application{
			Ref:        "R" + string(rune('a'+i%26)),
			Applicant:  gongkai.ApplicantKinds[rng.IntN(len(gongkai.ApplicantKinds))],
			ReceivedOn: recv,
			DueOn:      recv.AddDays(28),
		}
		if rng.IntN(10) > 0 { // 90% closed
			closed := recv.AddDays(rng.IntN(120))
			if !closed.After(today) {
				a.ClosedOn = closed
				a.Outcome = gongkai.Outcomes[rng.IntN(len(gongkai.Outcomes))]
			}
		}
		in.Applications = append(in.Applications, a)
	}
	kinds := []annualreport.AppealKind{annualreport.AppealReconsideration, annualreport.AppealLitigationDirect, annualreport.AppealLitigationAfterReconsideration}
	results := []annualreport.AppealResult{annualreport.ResultUpheld, annualreport.ResultCorrected, annualreport.ResultOther}
	for range m {
		filed := start.AddDays(rng.IntN(span + 1))
		a := annualreport.Appeal{Kind: kinds[rng.IntN(3)], FiledOn: filed, Result: annualreport.ResultPending}
		if closed := filed.AddDays(rng.IntN(500)); rng.IntN(4) > 0 && !closed.After(today) {
			a.Result, a.ClosedOn = results[rng.IntN(3)], closed
		}
		in.Appeals = append(in.Appeals, a)
	}
	return in
}

// TestPropertyConsistency: for random application histories every year's
// report satisfies the 勾稽 rules (no blocking problem besides those about
// prose), each year carries forward exactly what the next carries over, and
// every decided appeal is reported with its result exactly once.
func TestPropertyConsistency(t *testing.T) {
	runs := 200
	if testing.Short() {
		runs = 20
	}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		in := randomHistory(rng, 1+rng.IntN(300), rng.IntN(40))
		var prev *annualreport.Report
		decidedByYear := map[int]int64{}
		for _, a := range in.Appeals {
			if !a.ClosedOn.IsZero() {
				decidedByYear[a.ClosedOn.Year]++
			}
		}
		for year := 2019; year <= 2025; year++ {
			in.Year = year
			r, err := annualreport.Compile(in)
			if err != nil {
				t.Fatalf("seed %d year %d: %v", seed, year, err)
			}
			for _, p := range r.Check(prev) {
				if prev == nil && !p.Blocking() {
					continue // the first year has nothing to compare with
				}
				if p.Cell.Section == "三" || p.Cell.Section == "四" {
					t.Fatalf("seed %d year %d: %s %s", seed, year, p.Cell, p.Message)
				}
				if p.Blocking() && p.Cell.Section == "" && year != 2025 {
					t.Fatalf("seed %d year %d: unexpected %s", seed, year, p.Message)
				}
			}
			// Results columns (not 尚未审结, not 总计) add up to the
			// appeals decided in this year.
			var decided int64
			for j, v := range r.Tables[5].Rows[0].Values {
				if j%5 < 3 {
					decided += v.N
				}
			}
			if decided != decidedByYear[year] {
				t.Fatalf("seed %d year %d: %d results reported, %d appeals decided", seed, year, decided, decidedByYear[year])
			}
			prev = r
		}
	}
}

// TestPropertyPartition: one record at a time, an application received by
// 31 December and not closed before 1 January lands exactly once on each
// side of the 勾稽 rule; any other lands nowhere.
func TestPropertyPartition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	jan1, dec31 := gongkai.NewDate(2022, time.January, 1), gongkai.NewDate(2022, time.December, 31)
	for range 2000 {
		in := randomHistory(rng, 1, 0)
		in.Year = 2022
		a := in.Applications[0]
		r, err := annualreport.Compile(in)
		if err != nil {
			t.Fatal(err)
		}
		t3 := r.Tables[4]
		left := t3.Rows[0].Values[6].N + t3.Rows[1].Values[6].N
		right := t3.Rows[28].Values[6].N + t3.Rows[29].Values[6].N
		inYear := !a.ReceivedOn.After(dec31) && (a.ClosedOn.IsZero() || !a.ClosedOn.Before(jan1))
		want := int64(0)
		if inYear {
			want = 1
		}
		if left != want || right != want {
			t.Fatalf("%+v: left %d right %d, want %d", a, left, right, want)
		}
	}
}
