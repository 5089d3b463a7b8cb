package clock_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/clock"
	"gongkai/internal/workday"
)

// calendar is the official calendar shipped with the product. The expected
// dates in the tests were worked out by hand from the State Council notices
// as tabulated in statutes.md §10, not from this calendar.
var calendar gongkai.Workdays = workday.Embedded()

func d(s string) gongkai.Date {
	v, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// summary is the part of a State the table tests compare; Dues lists the
// NewDue of every explanation line ("" while the clock is stopped), which
// shows how the due date moved.
type summary struct {
	Status             clock.Status
	DueOn              string
	DaysLeft           int
	Paused             bool
	PausedDays         int
	ExtensionDays      int
	SupplementDeadline string
	FeeDeadline        string
	CloseAs            gongkai.Outcome
	CloseFrom          string
	Late               bool
	Dues               []string
}

func summarize(st clock.State) summary {
	s := summary{
		Status: st.Status, DueOn: st.DueOn.String(), DaysLeft: st.DaysLeft, Paused: st.Paused,
		PausedDays: st.PausedDays, ExtensionDays: st.ExtensionDays,
		SupplementDeadline: st.SupplementDeadline.String(), FeeDeadline: st.FeeDeadline.String(),
		CloseAs: st.CloseAs, CloseFrom: st.CloseFrom.String(), Late: st.Late,
	}
	for _, l := range st.Explanation {
		s.Dues = append(s.Dues, l.NewDue.String())
	}
	return s
}

func ev(kind clock.EventKind, on string) clock.Event {
	return clock.Event{Kind: kind, On: d(on)}
}

func supplementRequested(on, deadline string) clock.Event {
	return clock.Event{Kind: clock.SupplementRequested, On: d(on), Items: "申请公开的政府信息名称不明确", Deadline: d(deadline)}
}

func consulted(kind clock.EventKind, on, party string) clock.Event {
	return clock.Event{Kind: kind, On: d(on), Party: party}
}

func extended(on string, days int, notified string) clock.Event {
	return clock.Event{Kind: clock.Extended, On: d(on), Days: days, ApprovedBy: "张三", NotifiedOn: d(notified)}
}

func withOverride(e clock.Event) clock.Event {
	e.OverrideBy, e.OverrideReason = "李四", "申请人因住院未能按期补正"
	return e
}

// Working in the comments: each date is followed by its position (n) among
// the working days counted; "off" marks a weekday holiday and "调休" a
// weekend working day, both from statutes.md §10.
var computeTests = []struct {
	name     string
	receipt  string
	events   []clock.Event
	settings func(*clock.Settings)
	today    string
	want     summary
}{
	{
		// 2024 国庆: 09-28 Sat, 09-29 Sun 调休 (1), 09-30 (2), 10-01…10-04 off,
		// 10-05/06 weekend, 10-07 off, 10-08…10-11 (3–6), 10-12 Sat 调休 (7),
		// 10-14…10-18 (8–12), 10-21…10-25 (13–17), 10-28 (18), 10-29 (19), 10-30 (20).
		name: "2024 国庆 receipt day", receipt: "2024-09-27", today: "2024-09-27",
		want: summary{Status: clock.StatusOnTime, DueOn: "2024-10-30", DaysLeft: 20, Dues: []string{"2024-10-30"}},
	},
	{
		// 10-22: left 10-23, 24, 25, 28, 29, 30 = 6 > 5.
		name: "2024 国庆 six days left is on time", receipt: "2024-09-27", today: "2024-10-22",
		want: summary{Status: clock.StatusOnTime, DueOn: "2024-10-30", DaysLeft: 6, Dues: []string{"2024-10-30"}},
	},
	{
		name: "2024 国庆 five days left is due soon", receipt: "2024-09-27", today: "2024-10-23",
		want: summary{Status: clock.StatusDueSoon, DueOn: "2024-10-30", DaysLeft: 5, Dues: []string{"2024-10-30"}},
	},
	{
		name: "due date itself", receipt: "2024-09-27", today: "2024-10-30",
		want: summary{Status: clock.StatusDueSoon, DueOn: "2024-10-30", DaysLeft: 0, Dues: []string{"2024-10-30"}},
	},
	{
		// Past due: 10-31 (1), 11-01 (2), 11-04 (3).
		name: "overdue", receipt: "2024-09-27", today: "2024-11-04",
		want: summary{Status: clock.StatusOverdue, DueOn: "2024-10-30", DaysLeft: -3, Dues: []string{"2024-10-30"}},
	},
	{
		// Due Friday 2025-02-21 (see "2025 春节"); on Saturday no working day
		// has passed, but the period has run out.
		name: "overdue on the weekend after the due date", receipt: "2025-01-20", today: "2025-02-22",
		want: summary{Status: clock.StatusOverdue, DueOn: "2025-02-21", DaysLeft: -1, Dues: []string{"2025-02-21"}},
	},
	{
		// 2025 春节: 01-21…01-24 (1–4), 01-25 Sat, 01-26 Sun 调休 (5), 01-27 (6),
		// 01-28…01-31 off, 02-01/02 weekend, 02-03, 02-04 off, 02-05…02-07 (7–9),
		// 02-08 Sat 调休 (10), 02-10…02-14 (11–15), 02-17…02-21 (16–20).
		name: "2025 春节", receipt: "2025-01-20", today: "2025-01-20",
		want: summary{Status: clock.StatusOnTime, DueOn: "2025-02-21", DaysLeft: 20, Dues: []string{"2025-02-21"}},
	},
	{
		// 2023 春节: 01-20 (1), 01-21…01-27 off, 01-28 Sat 调休 (2), 01-29 Sun
		// 调休 (3), 01-30…02-03 (4–8), 02-06…02-10 (9–13), 02-13…02-17 (14–18),
		// 02-20 (19), 02-21 (20).
		name: "2023 春节", receipt: "2023-01-19", today: "2023-01-19",
		want: summary{Status: clock.StatusOnTime, DueOn: "2023-02-21", DaysLeft: 20, Dues: []string{"2023-02-21"}},
	},
	{
		// 2026 元旦 across the year: 01-01, 01-02 off, 01-03 Sat, 01-04 Sun 调休
		// (1), 01-05…01-09 (2–6), 01-12…01-16 (7–11), 01-19…01-23 (12–16),
		// 01-26…01-29 (17–20).
		name: "2026 元旦 across the year", receipt: "2025-12-31", today: "2025-12-31",
		want: summary{Status: clock.StatusOnTime, DueOn: "2026-01-29", DaysLeft: 20, Dues: []string{"2026-01-29"}},
	},
	{
		// 补正 → third-party consultation → extension → reply, 2026 春节.
		// First due: 02-06 (1), 02-09…02-13 (2–6), 02-14 Sat 调休 (7), 02-15…02-23
		// off, 02-24…02-27 (8–11), 02-28 Sat 调休 (12), 03-02…03-06 (13–17),
		// 03-09…03-11 (18–20) → 03-11.
		// 补正 on 02-13 = 6th working day (allowed). Correction 02-26 restarts:
		// 02-27 (1), 02-28 调休 (2), 03-02…03-06 (3–7), 03-09…03-13 (8–12),
		// 03-16…03-20 (13–17), 03-23…03-25 (18–20) → 03-25.
		// Consultation 03-02 → 03-09: 03-03…03-06, 03-09 = 5 days;
		// 03-25 + 5: 03-26, 03-27, 03-30, 03-31, 04-01 → 04-01.
		// Extension of 20 on 03-31: 04-02 (1), 04-03 (2), 04-06 off (清明),
		// 04-07…04-10 (3–6), 04-13…04-17 (7–11), 04-20…04-24 (12–16),
		// 04-27…04-30 (17–20) → 04-30. Reply 04-29: one day left (04-30).
		name: "2026 春节 supplement, consultation, extension, reply", receipt: "2026-02-05", today: "2026-05-06",
		events: []clock.Event{
			supplementRequested("2026-02-13", "2026-03-06"),
			ev(clock.SupplementReceived, "2026-02-26"),
			consulted(clock.ThirdPartyConsulted, "2026-03-02", "某科技有限公司"),
			consulted(clock.ThirdPartyReplied, "2026-03-09", "某科技有限公司"),
			extended("2026-03-31", 20, "2026-03-31"),
			ev(clock.Replied, "2026-04-29"),
		},
		want: summary{Status: clock.StatusClosed, DueOn: "2026-04-30", DaysLeft: 1, PausedDays: 5, ExtensionDays: 20,
			Dues: []string{"2026-03-11", "", "2026-03-25", "2026-03-25", "2026-04-01", "2026-04-30", "2026-04-30"}},
	},
	{
		// 2026 中秋 and 国庆: 09-20 Sun 调休 (1), 09-21…09-24 (2–5), 09-25 off
		// (中秋), 09-28 (6), 09-29 (7), 09-30 (8), 10-01…10-07 off, 10-08 (9),
		// 10-09 (10), 10-10 Sat 调休 (11), 10-12…10-16 (12–16), 10-19…10-22
		// (17–20) → 10-22. On 10-15 five working days are left (10-16,
		// 10-19…10-22): due soon.
		name: "2026 国庆 due soon", receipt: "2026-09-18", today: "2026-10-15",
		want: summary{Status: clock.StatusDueSoon, DueOn: "2026-10-22", DaysLeft: 5, Dues: []string{"2026-10-22"}},
	},
	{
		// Receipt 09-18 as above. 补正 on 09-29, the 7th working day (in time).
		// Correction received 10-09: 10-10 调休 (1), 10-12…10-16 (2–6),
		// 10-19…10-23 (7–11), 10-26…10-30 (12–16), 11-02…11-05 (17–20) → 11-05.
		// Third party consulted 10-12, replied 10-16: 10-13…10-16 = 4 paused;
		// 11-05 + 4: 11-06, 11-09, 11-10, 11-11 → 11-11. Extension of 10 on
		// 11-11: 11-12, 11-13, 11-16…11-20, 11-23…11-25 → 11-25. Reply on the
		// due date: on time, none left.
		name: "2026 国庆 supplement, consultation, extension, reply", receipt: "2026-09-18", today: "2026-11-26",
		events: []clock.Event{
			supplementRequested("2026-09-29", "2026-10-16"),
			ev(clock.SupplementReceived, "2026-10-09"),
			consulted(clock.ThirdPartyConsulted, "2026-10-12", "某科技有限公司"),
			consulted(clock.ThirdPartyReplied, "2026-10-16", "某科技有限公司"),
			extended("2026-11-11", 10, "2026-11-11"),
			ev(clock.Replied, "2026-11-25"),
		},
		want: summary{Status: clock.StatusClosed, DueOn: "2026-11-25", PausedDays: 4, ExtensionDays: 10,
			Dues: []string{"2026-10-22", "", "2026-11-05", "2026-11-05", "2026-11-11", "2026-11-25", "2026-11-25"}},
	},
	{
		// 2023 国庆: 09-29 off (中秋), 09-30, 10-01 weekend, 10-02…10-06 off,
		// 10-07 Sat 调休 (1), 10-08 Sun 调休 (2), 10-09…10-13 (3–7), 10-16…10-20
		// (8–12), 10-23…10-27 (13–17), 10-30 (18), 10-31 (19), 11-01 (20).
		// Co-maker consulted on 10-08 (a 调休 Sunday); paused through 10-20:
		// 10-09…10-13, 10-16…10-20 = 10; 11-01 + 10: 11-02, 11-03, 11-06…11-10,
		// 11-13, 11-14, 11-15 → 11-15. Left after 10-20: 10-23…10-27 (5),
		// 10-30, 10-31, 11-01 (8), 11-02, 11-03 (10), 11-06…11-10 (15),
		// 11-13…11-15 (18).
		name: "2023 国庆 co-maker consultation open", receipt: "2023-09-28", today: "2023-10-20",
		events: []clock.Event{consulted(clock.CoMakerConsulted, "2023-10-08", "市财政局")},
		want: summary{Status: clock.StatusPaused, DueOn: "2023-11-15", DaysLeft: 18, Paused: true, PausedDays: 10,
			Dues: []string{"2023-11-01", "2023-11-01"}},
	},
	{
		// Same, on the 15th working day of the consultation (10-27: 10-09…10-13,
		// 10-16…10-20, 10-23…10-27). The pause is still open that day: 15 days;
		// 11-01 + 15: 11-02, 11-03, 11-06…11-10, 11-13…11-17, 11-20…11-22 → 11-22.
		name: "2023 国庆 consultation on its last day", receipt: "2023-09-28", today: "2023-10-27",
		events: []clock.Event{consulted(clock.CoMakerConsulted, "2023-10-08", "市财政局")},
		want: summary{Status: clock.StatusPaused, DueOn: "2023-11-22", DaysLeft: 18, Paused: true, PausedDays: 15,
			Dues: []string{"2023-11-01", "2023-11-01"}},
	},
	{
		// The day after: the pause lapsed at 10-27 with 15 days; 11-22 stands.
		// Left after 10-30: 10-31, 11-01…11-03 (4), 11-06…11-10 (9),
		// 11-13…11-17 (14), 11-20…11-22 (17).
		name: "2023 国庆 consultation lapses after 15 working days", receipt: "2023-09-28", today: "2023-10-30",
		events: []clock.Event{consulted(clock.CoMakerConsulted, "2023-10-08", "市财政局")},
		want: summary{Status: clock.StatusOnTime, DueOn: "2023-11-22", DaysLeft: 17, PausedDays: 15,
			Dues: []string{"2023-11-01", "2023-11-01", "2023-11-22"}},
	},
	{
		// A reply after the lapse changes nothing.
		name: "late answer after the lapse", receipt: "2023-09-28", today: "2023-10-31",
		events: []clock.Event{
			consulted(clock.CoMakerConsulted, "2023-10-08", "市财政局"),
			consulted(clock.CoMakerReplied, "2023-10-31", ""),
		},
		want: summary{Status: clock.StatusOnTime, DueOn: "2023-11-22", DaysLeft: 16, PausedDays: 15,
			Dues: []string{"2023-11-01", "2023-11-01", "2023-11-22", "2023-11-22"}},
	},
	{
		// Overlapping consultations, 2024 劳动节. Due: 04-23…04-26 (1–4), 04-27
		// Sat, 04-28 Sun 调休 (5), 04-29, 04-30 (6, 7), 05-01…05-03 off,
		// 05-06…05-10 (8–12), 05-11 Sat 调休 (13), 05-13…05-17 (14–18),
		// 05-20, 05-21 (19, 20) → 05-21.
		// A (third party) 04-25 → 05-08: 04-26, 04-28, 04-29, 04-30, 05-06,
		// 05-07, 05-08 = 7; 05-21 + 7: 05-22…05-24, 05-27…05-30 → 05-30.
		// B (co-maker) 04-29 → 05-14: 04-30, 05-06…05-10, 05-11, 05-13, 05-14
		// = 9, of which 04-30, 05-06, 05-07, 05-08 are already counted by A:
		// 5 new; 05-30 + 5: 05-31, 06-03…06-06 → 06-06. (Adding 7 + 9 = 16
		// would wrongly give 06-13.) Left after 05-14: 05-15…05-17 (3),
		// 05-20…05-24 (8), 05-27…05-31 (13), 06-03…06-06 (17).
		name: "2024 劳动节 overlapping consultations count each day once", receipt: "2024-04-22", today: "2024-05-14",
		events: []clock.Event{
			consulted(clock.ThirdPartyConsulted, "2024-04-25", "某公司"),
			consulted(clock.CoMakerConsulted, "2024-04-29", "市自然资源局"),
			consulted(clock.ThirdPartyReplied, "2024-05-08", "某公司"),
			consulted(clock.CoMakerReplied, "2024-05-14", "市自然资源局"),
		},
		want: summary{Status: clock.StatusOnTime, DueOn: "2024-06-06", DaysLeft: 17, PausedDays: 12,
			Dues: []string{"2024-05-21", "2024-05-21", "2024-05-21", "2024-05-30", "2024-06-06"}},
	},
	{
		// Between the two answers (05-10): A closed (7 days), B counted through
		// 05-10; union (04-25, 05-10] = 04-26, 04-28, 04-29, 04-30, 05-06…05-10
		// = 9; 05-21 + 9: 05-22…05-24, 05-27…05-31, 06-03 → 06-03. Left after
		// 05-10: 05-11 调休 (1), 05-13…05-17 (6), 05-20…05-24 (11),
		// 05-27…05-31 (16), 06-03 (17).
		name: "2024 劳动节 one of two consultations answered", receipt: "2024-04-22", today: "2024-05-10",
		events: []clock.Event{
			consulted(clock.ThirdPartyConsulted, "2024-04-25", "某公司"),
			consulted(clock.CoMakerConsulted, "2024-04-29", "市自然资源局"),
			consulted(clock.ThirdPartyReplied, "2024-05-08", ""),
		},
		want: summary{Status: clock.StatusPaused, DueOn: "2024-06-03", DaysLeft: 17, Paused: true, PausedDays: 9,
			Dues: []string{"2024-05-21", "2024-05-21", "2024-05-21", "2024-05-30"}},
	},
	{
		// Fee, 2025 国庆. Due: 09-16…09-19 (1–4), 09-22…09-26 (5–9), 09-28 Sun
		// 调休 (10), 09-29, 09-30 (11, 12), 10-01…10-08 off, 10-09, 10-10
		// (13, 14), 10-11 Sat 调休 (15), 10-13…10-17 (16–20) → 10-17.
		// Notice 09-26; payment deadline: 09-28 (1), 09-29, 09-30 (3), 10-09,
		// 10-10, 10-11 (6), 10-13…10-17 (11), 10-20…10-24 (16), 10-27…10-30 (20).
		// Paid 10-10: 09-28, 09-29, 09-30, 10-09, 10-10 = 5; 10-17 + 5 → 10-24.
		// Left after 10-10: 10-11 (1), 10-13…10-17 (6), 10-20…10-24 (11).
		name: "2025 国庆 fee paid pauses the clock", receipt: "2025-09-15", today: "2025-10-10",
		events: []clock.Event{ev(clock.FeeNotified, "2025-09-26"), ev(clock.FeePaid, "2025-10-10")},
		want: summary{Status: clock.StatusOnTime, DueOn: "2025-10-24", DaysLeft: 11, PausedDays: 5,
			Dues: []string{"2025-10-17", "2025-10-17", "2025-10-24"}},
	},
	{
		// Same ledger with the pause switched off: 10-17 stands; left after
		// 10-10: 10-11, 10-13…10-17 = 6.
		name: "fee without pause", receipt: "2025-09-15", today: "2025-10-10",
		events:   []clock.Event{ev(clock.FeeNotified, "2025-09-26"), ev(clock.FeePaid, "2025-10-10")},
		settings: func(s *clock.Settings) { s.PauseWhileFeeUnpaid = false },
		want: summary{Status: clock.StatusOnTime, DueOn: "2025-10-17", DaysLeft: 6,
			Dues: []string{"2025-10-17", "2025-10-17", "2025-10-17"}},
	},
	{
		// Unpaid on the deadline itself (10-30): not lapsed yet. Paused through
		// 10-30 = 20 days (see the deadline above); 10-17 + 20: 10-20…10-24,
		// 10-27…10-31, 11-03…11-07, 11-10…11-14 → 11-14. Left after 10-30:
		// 10-31 (1), 11-03…11-07 (6), 11-10…11-14 (11).
		name: "fee unpaid on the last day", receipt: "2025-09-15", today: "2025-10-30",
		events: []clock.Event{ev(clock.FeeNotified, "2025-09-26")},
		want: summary{Status: clock.StatusAwaitingFee, DueOn: "2025-11-14", DaysLeft: 11, Paused: true, PausedDays: 20,
			FeeDeadline: "2025-10-30", Dues: []string{"2025-10-17", "2025-10-17"}},
	},
	{
		// 10-31: the deadline has passed; close as （六）2 from 10-31. The pause
		// runs on (21 days): 10-17 + 21 → 11-17.
		name: "fee unpaid after the deadline", receipt: "2025-09-15", today: "2025-10-31",
		events: []clock.Event{ev(clock.FeeNotified, "2025-09-26")},
		want: summary{Status: clock.StatusAwaitingFee, DueOn: "2025-11-17", DaysLeft: 11, Paused: true, PausedDays: 21,
			FeeDeadline: "2025-10-30", CloseAs: gongkai.OutcomeOtherFeeUnpaid, CloseFrom: "2025-10-31",
			Dues: []string{"2025-10-17", "2025-10-17", "2025-10-17"}},
	},
	{
		// Late payment accepted by an administrator: 09-26 → 10-31 = 21 days → 11-17.
		name: "fee paid late with override", receipt: "2025-09-15", today: "2025-10-31",
		events: []clock.Event{ev(clock.FeeNotified, "2025-09-26"), withOverride(ev(clock.FeePaid, "2025-10-31"))},
		want: summary{Status: clock.StatusOnTime, DueOn: "2025-11-17", DaysLeft: 11, PausedDays: 21,
			Dues: []string{"2025-10-17", "2025-10-17", "2025-10-17", "2025-11-17"}},
	},
	{
		// A co-maker consultation overlapping a fee notice, 2025 春节 (due 02-21
		// as above). Consultation 01-24 → 02-07: 01-26 调休, 01-27, 02-05,
		// 02-06, 02-07 = 5; 02-21 + 5: 02-24…02-28 → 02-28. Fee 01-27 → 02-10:
		// 02-05, 02-06, 02-07, 02-08 调休, 02-10 = 5, of which 02-05…02-07 are
		// already counted: 2 new; 02-28 + 2: 03-03, 03-04 → 03-04. Extension of
		// 10 on 02-28: 03-05…03-07 (3), 03-10…03-14 (8), 03-17, 03-18 → 03-18.
		// Reply 03-19: one working day late.
		name: "2025 春节 consultation and fee overlap, extension, late reply", receipt: "2025-01-20", today: "2025-03-20",
		events: []clock.Event{
			consulted(clock.CoMakerConsulted, "2025-01-24", "县教育局"),
			ev(clock.FeeNotified, "2025-01-27"),
			consulted(clock.CoMakerReplied, "2025-02-07", "县教育局"),
			ev(clock.FeePaid, "2025-02-10"),
			extended("2025-02-28", 10, "2025-02-28"),
			ev(clock.Replied, "2025-03-19"),
		},
		want: summary{Status: clock.StatusClosed, DueOn: "2025-03-18", DaysLeft: -1, PausedDays: 7, ExtensionDays: 10, Late: true,
			Dues: []string{"2025-02-21", "2025-02-21", "2025-02-21", "2025-02-28", "2025-03-04", "2025-03-18", "2025-03-18"}},
	},
	{
		// 补正 awaited: no due date.
		name: "awaiting correction", receipt: "2024-03-04", today: "2024-03-20",
		events: []clock.Event{supplementRequested("2024-03-06", "2024-03-20")},
		want: summary{Status: clock.StatusAwaitingSupplement, Paused: true, SupplementDeadline: "2024-03-20",
			Dues: []string{"2024-04-01", ""}},
	},
	{
		// First due 2024-03-04 + 20: 03-05…03-08 (4), 03-11…03-15 (9),
		// 03-18…03-22 (14), 03-25…03-29 (19), 04-01 (20). After the correction
		// deadline: close as （六）1 from 03-21.
		name: "correction deadline passed", receipt: "2024-03-04", today: "2024-03-21",
		events: []clock.Event{supplementRequested("2024-03-06", "2024-03-20")},
		want: summary{Status: clock.StatusAwaitingSupplement, Paused: true, SupplementDeadline: "2024-03-20",
			CloseAs: gongkai.OutcomeOtherNoSupplement, CloseFrom: "2024-03-21", Dues: []string{"2024-04-01", "", ""}},
	},
	{
		// Late correction accepted for a 正当理由. 2024 清明: 03-22 (1),
		// 03-25…03-29 (2–6), 04-01…04-03 (7–9), 04-04, 04-05 off, 04-06 Sat,
		// 04-07 Sun 调休 (10), 04-08…04-12 (11–15), 04-15…04-19 (16–20) → 04-19.
		name: "2024 清明 late correction with override", receipt: "2024-03-04", today: "2024-03-21",
		events: []clock.Event{supplementRequested("2024-03-06", "2024-03-20"), withOverride(ev(clock.SupplementReceived, "2024-03-21"))},
		want: summary{Status: clock.StatusOnTime, DueOn: "2024-04-19", DaysLeft: 20,
			Dues: []string{"2024-04-01", "", "", "2024-04-19"}},
	},
	{
		name: "closed for no correction", receipt: "2024-03-04", today: "2024-03-25",
		events: []clock.Event{
			supplementRequested("2024-03-06", "2024-03-20"),
			{Kind: clock.Replied, On: d("2024-03-21"), Outcome: gongkai.OutcomeOtherNoSupplement},
		},
		want: summary{Status: clock.StatusClosed, Dues: []string{"2024-04-01", "", "", ""}},
	},
	{
		// Extension recorded on the due date (10-30): 10-31 (1), 11-01 (2),
		// 11-04…11-08 (7), 11-11…11-15 (12), 11-18…11-22 (17), 11-25…11-27 (20).
		name: "extension on the due date", receipt: "2024-09-27", today: "2024-10-30",
		events: []clock.Event{extended("2024-10-30", 20, "2024-10-30")},
		want: summary{Status: clock.StatusOnTime, DueOn: "2024-11-27", DaysLeft: 20, ExtensionDays: 20,
			Dues: []string{"2024-10-30", "2024-11-27"}},
	},
	{
		// A consultation sent after the due date cannot give time back: 10-30
		// stands. Overdue by 10-31, 11-01, 11-04, 11-05.
		name: "consultation after the due date does not extend", receipt: "2024-09-27", today: "2024-11-05",
		events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-31", "")},
		want: summary{Status: clock.StatusOverdue, DueOn: "2024-10-30", DaysLeft: -4,
			Dues: []string{"2024-10-30", "2024-10-30"}},
	},
	{
		// Sent on the due date itself, answered 11-01: 10-31, 11-01 = 2 → 11-01.
		name: "consultation sent on the due date", receipt: "2024-09-27", today: "2024-11-01",
		events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-30", ""), consulted(clock.ThirdPartyReplied, "2024-11-01", "")},
		want: summary{Status: clock.StatusDueSoon, DueOn: "2024-11-01", DaysLeft: 0, PausedDays: 2,
			Dues: []string{"2024-10-30", "2024-10-30", "2024-11-01"}},
	},
}

func TestCompute(t *testing.T) {
	for _, tt := range computeTests {
		t.Run(tt.name, func(t *testing.T) {
			s := clock.DefaultSettings()
			if tt.settings != nil {
				tt.settings(&s)
			}
			st, err := clock.Compute(d(tt.receipt), tt.events, s, calendar, d(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(st)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
