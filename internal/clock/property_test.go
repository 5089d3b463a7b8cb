package clock_test

import (
	"math/rand/v2"
	"testing"

	"gongkai"
	"gongkai/internal/clock"
)

// chooser drives the ledger generator: a seeded PRNG for the property test,
// the fuzzer's bytes for the fuzz test.
type chooser interface{ IntN(n int) int }

type bytesChooser struct {
	b []byte
	i int
}

func (c *bytesChooser) IntN(n int) int {
	if c.i >= len(c.b) {
		return 0
	}
	v := int(c.b[c.i])
	c.i++
	if n > 256 {
		v = v<<8 | int(c.next())
	}
	return v % n
}

func (c *bytesChooser) next() byte {
	if c.i >= len(c.b) {
		return 0
	}
	c.i++
	return c.b[c.i-1]
}

// randomEvent proposes an event on or after last; many are invalid on
// purpose (wrong order of kinds, bad days, missing fields).
func randomEvent(c chooser, last, today gongkai.Date) clock.Event {
	on := last.AddDays(c.IntN(10))
	if on.After(today) {
		on = today
	}
	e := clock.Event{Kind: clock.EventKinds[c.IntN(len(clock.EventKinds))], On: on}
	switch e.Kind {
	case clock.SupplementRequested:
		e.Items = "申请内容不明确"
		e.Deadline = on.AddDays(c.IntN(20))
	case clock.ThirdPartyConsulted, clock.ThirdPartyReplied, clock.CoMakerConsulted, clock.CoMakerReplied:
		e.Party = []string{"", "甲", "乙"}[c.IntN(3)]
	case clock.Extended:
		e.Days = c.IntN(23)
		e.ApprovedBy = "张三"
		e.NotifiedOn = on.AddDays(c.IntN(3))
	case clock.Replied:
		e.Outcome = []gongkai.Outcome{"", "", gongkai.OutcomeGranted, gongkai.OutcomeOtherNoSupplement, gongkai.OutcomeOtherFeeUnpaid}[c.IntN(5)]
	}
	if c.IntN(4) == 0 {
		e.OverrideBy, e.OverrideReason = "李四", "正当理由"
	}
	return e
}

// randomLedger builds a ledger of events that each passed Validate. The
// dates stay inside the fake calendar's 2023–2026 most of the time; a
// calendar error ends the ledger early.
func randomLedger(c chooser, s clock.Settings) (receipt gongkai.Date, events []clock.Event, today gongkai.Date) {
	receipt = d("2023-01-02").AddDays(c.IntN(1150))
	today = receipt.AddDays(60 + c.IntN(120))
	last := receipt
	for range c.IntN(16) {
		e := randomEvent(c, last, today)
		if _, err := clock.Validate(receipt, events, e, s, calendar, today); err == nil {
			events = append(events, e)
			last = e.On
		}
	}
	return receipt, events, today
}

func isCalendarError(err error) bool { return err != nil && gongkai.AsError(err) == nil }

// checkInvariants computes the ledger and checks what must hold for every
// valid ledger. It returns false when the calendar ran out of years.
func checkInvariants(t *testing.T, receipt gongkai.Date, events []clock.Event, s clock.Settings, today gongkai.Date) bool {
	t.Helper()
	st, err := clock.Compute(receipt, events, s, calendar, today)
	if isCalendarError(err) {
		return false
	}
	if err != nil {
		t.Fatalf("Compute refused a ledger Validate built: %v\nreceipt %s today %s events %+v", err, receipt, today, events)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format+"\nreceipt %s today %s events %+v\nstate %+v", append(args, receipt, today, events, st)...)
	}
	workday := func(x gongkai.Date) bool {
		ok, err := calendar.IsWorkday(x)
		return err == nil && ok
	}
	// The due date is always a working day, and it is exactly the period
	// start plus 20 + extension + paused working days.
	if !st.DueOn.IsZero() {
		if !workday(st.DueOn) {
			fail("due date %s is not a working day", st.DueOn)
		}
		want, err := calendar.Add(st.PeriodStart, clock.ReplyPeriod+st.ExtensionDays+st.PausedDays)
		if err == nil && want != st.DueOn {
			fail("due %s, want %s + %d+%d+%d = %s", st.DueOn, st.PeriodStart, clock.ReplyPeriod, st.ExtensionDays, st.PausedDays, want)
		}
	} else if st.Status != clock.StatusAwaitingSupplement && st.Status != clock.StatusClosed {
		fail("no due date with status %s", st.Status)
	}
	if st.ExtensionDays < 0 || st.ExtensionDays > s.MaxExtension || st.PausedDays < 0 {
		fail("extension %d, paused %d out of range", st.ExtensionDays, st.PausedDays)
	}
	switch st.Status {
	case clock.StatusClosed, clock.StatusAwaitingSupplement:
	default:
		if overdue := today.After(st.DueOn); overdue != (st.Status == clock.StatusOverdue) || overdue != (st.DaysLeft < 0) {
			fail("status %s with %d days left, today %s, due %s", st.Status, st.DaysLeft, today, st.DueOn)
		}
	}
	// Lines are in date order, due dates in them are working days, and only
	// a correction may move the due date earlier (it restarts the period).
	for i, l := range st.Explanation {
		if i > 0 && l.On.Before(st.Explanation[i-1].On) {
			fail("line %d (%s) out of order", i, l.Text)
		}
		if !l.NewDue.IsZero() && !workday(l.NewDue) {
			fail("line %d due %s is not a working day", i, l.NewDue)
		}
		switch l.Kind {
		case "supplement_requested", "supplement_received", clock.LineSupplementLapsed:
		default:
			if !l.OldDue.IsZero() && l.NewDue.Before(l.OldDue) {
				fail("line %d moved the due date earlier: %s", i, l.Text)
			}
		}
		if l.Text == "" {
			fail("line %d has no text", i)
		}
	}
	if st.Status == clock.StatusClosed || st.Status == clock.StatusAwaitingSupplement {
		return true
	}
	// Time passing never moves the due date earlier.
	for _, later := range []int{1, 7, 30} {
		st2, err := clock.Compute(receipt, events, s, calendar, today.AddDays(later))
		if err == nil && st2.DueOn.Before(st.DueOn) {
			fail("%d days later the due date moved from %s to %s", later, st.DueOn, st2.DueOn)
		}
	}
	// A pause never shortens the deadline: without the consultations (when
	// the rest of the ledger is still valid) the due date is no later.
	var without []clock.Event
	for _, e := range events {
		switch e.Kind {
		case clock.ThirdPartyConsulted, clock.ThirdPartyReplied, clock.CoMakerConsulted, clock.CoMakerReplied:
		default:
			without = append(without, e)
		}
	}
	if st2, err := clock.Compute(receipt, without, s, calendar, today); err == nil && st2.Status != clock.StatusClosed && st2.DueOn.After(st.DueOn) {
		fail("removing consultations moved the due date from %s to %s", st.DueOn, st2.DueOn)
	}
	// Nor does pausing for the fee.
	if s.PauseWhileFeeUnpaid {
		s2 := s
		s2.PauseWhileFeeUnpaid = false
		if st2, err := clock.Compute(receipt, events, s2, calendar, today); err == nil && st2.DueOn.After(st.DueOn) {
			fail("not pausing for the fee moved the due date from %s to %s", st.DueOn, st2.DueOn)
		}
	}
	// An extension never moves the due date earlier.
	for _, days := range []int{1, 20} {
		ext := clock.Event{Kind: clock.Extended, On: today, Days: days, ApprovedBy: "张三", NotifiedOn: today}
		if _, err := clock.Validate(receipt, events, ext, s, calendar, today); err != nil {
			continue
		}
		st2, err := clock.Compute(receipt, append(events[:len(events):len(events)], ext), s, calendar, today)
		if err == nil && st2.DueOn.Before(st.DueOn) {
			fail("extending by %d moved the due date from %s to %s", days, st.DueOn, st2.DueOn)
		}
	}
	return true
}

func TestRandomLedgers(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(2024, 1001))
	kinds := map[clock.EventKind]int{}
	for i := range n {
		s := clock.DefaultSettings()
		if i%3 == 0 {
			s.PauseWhileFeeUnpaid = false
		}
		receipt, events, today := randomLedger(r, s)
		for _, e := range events {
			kinds[e.Kind]++
		}
		checkInvariants(t, receipt, events, s, today)
	}
	// The generator must reach every kind, or the properties prove little.
	for _, k := range clock.EventKinds {
		if kinds[k] < 20 {
			t.Errorf("only %d %s events generated", kinds[k], k)
		}
	}
}

// FuzzLedger feeds random event sequences to the clock: unchecked sequences
// must never panic, and ledgers built through Validate must satisfy the
// invariants.
func FuzzLedger(f *testing.F) {
	f.Add([]byte{0x10, 0x20, 0x30, 5, 0, 3, 2, 1, 4, 2, 9, 1, 1})
	f.Add([]byte("補正 consult extend pay reply"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 15, 2, 2, 2, 2, 3, 3, 3, 3, 6, 6, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := clock.DefaultSettings()
		if len(data) > 0 && data[0]&1 == 1 {
			s.PauseWhileFeeUnpaid = false
		}
		receipt, events, today := randomLedger(&bytesChooser{b: data}, s)
		checkInvariants(t, receipt, events, s, today)

		// Raw, unvalidated sequence: any answer but a panic is fine.
		c := &bytesChooser{b: data}
		receipt = d("2023-01-02").AddDays(c.IntN(1150))
		today = receipt.AddDays(c.IntN(200))
		var raw []clock.Event
		last := receipt.AddDays(-2)
		for range c.IntN(16) {
			e := randomEvent(c, last, today)
			raw = append(raw, e)
			last = e.On
		}
		st, err := clock.Compute(receipt, raw, s, calendar, today)
		if err == nil && !st.DueOn.IsZero() {
			if ok, err := calendar.IsWorkday(st.DueOn); err == nil && !ok {
				t.Fatalf("due date %s is not a working day", st.DueOn)
			}
		}
	})
}
