package clock_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/clock"
)

// Every refusal: Validate names the field of the refused event.
func TestValidateRefuses(t *testing.T) {
	// 2024-09-27 → due 10-30 (see TestCompute).
	const receipt = "2024-09-27"
	open3 := consulted(clock.ThirdPartyConsulted, "2024-10-08", "甲公司")
	tests := []struct {
		name    string
		receipt string
		events  []clock.Event
		next    clock.Event
		today   string
		field   string
		message string // a fragment of the Chinese message
	}{
		{name: "unknown kind", next: ev("withdrawn", "2024-10-08"), field: "kind"},
		{name: "no date", next: clock.Event{Kind: clock.Replied}, field: "on"},
		{name: "before receipt", next: ev(clock.Replied, "2024-09-26"), field: "on", message: "早于收到申请之日"},
		{name: "after today", next: ev(clock.Replied, "2024-10-09"), field: "on", message: "晚于今天"},
		{name: "out of order", events: []clock.Event{open3}, next: consulted(clock.ThirdPartyReplied, "2024-10-07", ""), field: "on", message: "上一条"},
		{name: "closed", events: []clock.Event{ev(clock.Replied, "2024-10-08")}, next: ev(clock.Replied, "2024-10-08"), field: "kind", message: "已于2024年10月8日办结"},
		{name: "third-party reply without consultation", next: ev(clock.ThirdPartyReplied, "2024-10-08"), field: "kind"},
		{name: "co-maker reply to a third-party consultation", events: []clock.Event{open3}, next: ev(clock.CoMakerReplied, "2024-10-08"), field: "kind"},
		{name: "reply from a party not consulted", events: []clock.Event{open3}, next: consulted(clock.ThirdPartyReplied, "2024-10-08", "乙公司"), field: "party"},
		{
			name:   "ambiguous reply",
			events: []clock.Event{open3, consulted(clock.ThirdPartyConsulted, "2024-10-08", "乙公司")},
			next:   ev(clock.ThirdPartyReplied, "2024-10-08"), field: "party", message: "有2件",
		},
		{name: "same party consulted twice", events: []clock.Event{open3}, next: open3, field: "party"},
		{name: "second extension", events: []clock.Event{extended("2024-10-08", 5, "2024-10-08")}, next: extended("2024-10-08", 5, "2024-10-08"), field: "kind", message: "只能延长一次"},
		{name: "extension over 20 days", next: extended("2024-10-08", 21, "2024-10-08"), field: "days"},
		{name: "extension of no days", next: extended("2024-10-08", 0, "2024-10-08"), field: "days"},
		{name: "extension without approver", next: clock.Event{Kind: clock.Extended, On: d("2024-10-08"), Days: 5, NotifiedOn: d("2024-10-08")}, field: "approved_by"},
		{name: "extension without notice", next: clock.Event{Kind: clock.Extended, On: d("2024-10-08"), Days: 5, ApprovedBy: "张三"}, field: "notified_on"},
		{name: "extension notified before approval", next: extended("2024-10-08", 5, "2024-10-07"), field: "notified_on"},
		{name: "extension after the due date", today: "2024-10-31", next: extended("2024-10-31", 5, "2024-10-31"), field: "on", message: "2024年10月30日届满"},
		{name: "extension notified after the due date", today: "2024-10-31", next: extended("2024-10-30", 5, "2024-10-31"), field: "notified_on"},
		{name: "supplement received without a request", next: ev(clock.SupplementReceived, "2024-10-08"), field: "kind"},
		{name: "supplement request without items", next: clock.Event{Kind: clock.SupplementRequested, On: d("2024-10-08"), Deadline: d("2024-10-18")}, field: "items"},
		{name: "supplement request without deadline", next: clock.Event{Kind: clock.SupplementRequested, On: d("2024-10-08"), Items: "x"}, field: "deadline"},
		{name: "supplement deadline not after the request", next: supplementRequested("2024-10-08", "2024-10-08"), field: "deadline"},
		{name: "second open supplement request", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-18")}, next: supplementRequested("2024-10-08", "2024-10-18"), field: "kind"},
		{name: "supplement request during a consultation", events: []clock.Event{open3}, next: supplementRequested("2024-10-08", "2024-10-18"), field: "kind"},
		{name: "supplement request after an extension", events: []clock.Event{extended("2024-10-08", 5, "2024-10-08")}, next: supplementRequested("2024-10-08", "2024-10-18"), field: "kind"},
		{
			// 2024 春节: 除夕 02-09 is a working day (1), 02-18 Sun 调休 (2),
			// 02-19…02-23 (3–7), 02-26 (8): one day too late.
			name: "2024 春节 supplement request on the 8th working day", receipt: "2024-02-08", today: "2024-02-26",
			next: supplementRequested("2024-02-26", "2024-03-08"), field: "override_reason", message: "已是第8个工作日",
		},
		{
			// 2026 春节: 02-06 (1), 02-09…02-13 (2–6), 02-14 Sat 调休 (7),
			// 02-15…02-23 off, 02-24 (8).
			name: "2026 春节 supplement request on the 8th working day", receipt: "2026-02-05", today: "2026-02-24",
			next: supplementRequested("2026-02-24", "2026-03-06"), field: "override_reason",
		},
		{
			name: "override needs a reason, not only a name", receipt: "2026-02-05", today: "2026-02-24",
			next: clock.Event{Kind: clock.SupplementRequested, On: d("2026-02-24"), Items: "x", Deadline: d("2026-03-06"), OverrideBy: "李四"}, field: "override_reason",
		},
		{
			name: "correction after its deadline", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-10")},
			next: ev(clock.SupplementReceived, "2024-10-11"), today: "2024-10-11", field: "override_reason", message: "补正期限（2024年10月10日）已过",
		},
		{name: "consultation while awaiting correction", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-18")}, next: consulted(clock.CoMakerConsulted, "2024-10-08", ""), field: "kind"},
		{name: "extension while awaiting correction", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-18")}, next: extended("2024-10-08", 5, "2024-10-08"), field: "kind"},
		{name: "fee notice while awaiting correction", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-18")}, next: ev(clock.FeeNotified, "2024-10-08"), field: "kind"},
		{name: "fee paid without a notice", next: ev(clock.FeePaid, "2024-10-08"), field: "kind"},
		{name: "second fee notice", events: []clock.Event{ev(clock.FeeNotified, "2024-10-08")}, next: ev(clock.FeeNotified, "2024-10-08"), field: "kind"},
		{
			// Notice 10-08; deadline 20 working days later: 10-09…10-11 (3),
			// 10-12 调休 (4), 10-14…10-18 (9), 10-21…10-25 (14), 10-28…11-01
			// (19), 11-04 (20). Paying on 11-05 is late.
			name: "fee paid after the deadline", events: []clock.Event{ev(clock.FeeNotified, "2024-10-08")}, today: "2024-11-05",
			next: ev(clock.FeePaid, "2024-11-05"), field: "override_reason", message: "2024年11月4日",
		},
		{
			name: "closed for no correction before the deadline", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-10")}, today: "2024-10-10",
			next: clock.Event{Kind: clock.Replied, On: d("2024-10-10"), Outcome: gongkai.OutcomeOtherNoSupplement}, field: "outcome",
		},
		{name: "closed for no correction without a request", next: clock.Event{Kind: clock.Replied, On: d("2024-10-08"), Outcome: gongkai.OutcomeOtherNoSupplement}, field: "outcome"},
		{
			name: "closed for an unpaid fee on the last day", events: []clock.Event{ev(clock.FeeNotified, "2024-10-08")}, today: "2024-11-04",
			next: clock.Event{Kind: clock.Replied, On: d("2024-11-04"), Outcome: gongkai.OutcomeOtherFeeUnpaid}, field: "outcome",
		},
		{
			// 2026: 09-20 Sun 调休 (1) … 09-25 off (中秋), 09-28 (6), 09-29 (7), 09-30 (8).
			name: "2026 中秋 补正 on the 8th working day", receipt: "2026-09-18", today: "2026-09-30",
			next: supplementRequested("2026-09-30", "2026-10-16"), field: "override_reason", message: "已是第8个工作日",
		},
		{name: "unknown outcome", next: clock.Event{Kind: clock.Replied, On: d("2024-10-08"), Outcome: "lost"}, field: "outcome"},
		// （四）3 补正后申请内容仍不明确 presupposes a correction (Art. 30).
		{name: "still unclear without a correction", next: clock.Event{Kind: clock.Replied, On: d("2024-10-08"), Outcome: gongkai.OutcomeUnavailableUnclear}, field: "outcome", message: "收到补正后的申请"},
		{
			name: "still unclear while the correction is awaited", events: []clock.Event{supplementRequested("2024-10-08", "2024-10-18")}, today: "2024-10-10",
			next: clock.Event{Kind: clock.Replied, On: d("2024-10-10"), Outcome: gongkai.OutcomeUnavailableUnclear}, field: "outcome",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, today := tt.receipt, tt.today
			if r == "" {
				r = receipt
			}
			if today == "" {
				today = "2024-10-08"
			}
			warnings, err := clock.Validate(d(r), tt.events, tt.next, clock.DefaultSettings(), calendar, d(today))
			e := gongkai.AsError(err)
			if e == nil {
				t.Fatalf("Validate = %v, %v; want a refusal of %s", warnings, err, tt.field)
			}
			if e.Code != gongkai.EINVALID || e.Field != tt.field || !strings.Contains(e.Message, tt.message) {
				t.Errorf("got %s %s %q; want %s %s containing %q", e.Code, e.Field, e.Message, gongkai.EINVALID, tt.field, tt.message)
			}
			// Compute refuses the same ledger, naming the position.
			_, err = clock.Compute(d(r), append(tt.events[:len(tt.events):len(tt.events)], tt.next), clock.DefaultSettings(), calendar, d(today))
			ce := gongkai.AsError(err)
			wantField := "events[" + strconv.Itoa(len(tt.events)) + "]." + tt.field
			if ce == nil || ce.Field != wantField || !strings.HasPrefix(ce.Message, "第"+strconv.Itoa(len(tt.events)+1)+"条办理记录：") {
				t.Errorf("Compute error = %v; want field %s", err, wantField)
			}
		})
	}
}

// Accepted events, with and without warnings. A nil want means no warning.
func TestValidateWarns(t *testing.T) {
	tests := []struct {
		name    string
		receipt string
		events  []clock.Event
		next    clock.Event
		today   string
		want    []string
	}{
		{
			// 2026-02-05: 02-06 (1), 02-09…02-11 (2–4).
			name: "supplement on the 4th working day", receipt: "2026-02-05", today: "2026-02-11",
			next: supplementRequested("2026-02-11", "2026-03-06"),
		},
		{
			name: "supplement on the 5th working day", receipt: "2026-02-05", today: "2026-02-12",
			next: supplementRequested("2026-02-12", "2026-03-06"),
			want: []string{"2026年2月12日已是收到申请后第5个工作日，补正通知最迟应在第7个工作日发出。"},
		},
		{
			// The 调休 Saturday 02-14 is the 7th working day.
			name: "2026 春节 supplement on the 7th working day, a 调休 Saturday", receipt: "2026-02-05", today: "2026-02-14",
			next: supplementRequested("2026-02-14", "2026-03-06"),
			want: []string{"2026年2月14日已是收到申请后第7个工作日，补正通知最迟应在第7个工作日发出。"},
		},
		{
			// 2024 除夕 02-09 is a working day: 02-23 is the 7th.
			name: "2024 春节 supplement on the 7th working day", receipt: "2024-02-08", today: "2024-02-23",
			next: supplementRequested("2024-02-23", "2024-03-08"),
			want: []string{"2024年2月23日已是收到申请后第7个工作日，补正通知最迟应在第7个工作日发出。"},
		},
		{
			name: "late supplement accepted with an override", receipt: "2026-02-05", today: "2026-02-24",
			next: withOverride(supplementRequested("2026-02-24", "2026-03-06")),
		},
		{
			name: "still unclear after the correction", receipt: "2024-02-26", today: "2024-03-05",
			events: []clock.Event{supplementRequested("2024-02-27", "2024-03-05"), ev(clock.SupplementReceived, "2024-03-04")},
			next:   clock.Event{Kind: clock.Replied, On: d("2024-03-05"), Outcome: gongkai.OutcomeUnavailableUnclear},
		},
		{
			// A second 补正 counts from the corrected application (03-04): 03-05 (1).
			name: "second supplement", receipt: "2024-02-26", today: "2024-03-05",
			events: []clock.Event{supplementRequested("2024-02-27", "2024-03-05"), ev(clock.SupplementReceived, "2024-03-04")},
			next:   supplementRequested("2024-03-05", "2024-03-15"),
			want:   []string{"条例第三十条要求一次性告知补正事项；再次补正仅适用于补正后申请内容仍不明确的情形。"},
		},
		{
			name: "consultation after the due date", receipt: "2024-09-27", today: "2024-10-31",
			next: consulted(clock.ThirdPartyConsulted, "2024-10-31", ""),
			want: []string{"答复期限已于2024年10月30日届满，本次征求意见不再顺延答复期限。"},
		},
		{
			name: "fee notice after the due date", receipt: "2024-09-27", today: "2024-10-31",
			next: ev(clock.FeeNotified, "2024-10-31"),
			want: []string{"收费通知应在答复期限内发出，答复期限已于2024年10月30日届满。"},
		},
		{
			name: "late reply", receipt: "2024-09-27", today: "2024-10-31",
			next: ev(clock.Replied, "2024-10-31"),
			want: []string{"已超过答复期限（2024年10月30日）。"},
		},
		{
			name: "reply with a consultation unanswered", receipt: "2024-09-27", today: "2024-10-10",
			events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-08", "")},
			next:   ev(clock.Replied, "2024-10-10"),
			want:   []string{"尚有征求意见未收到回复。"},
		},
		{
			// Consultation 10-08 lapses 10-28 (see TestExplanation).
			name: "answer after the 15 days", receipt: "2024-09-27", today: "2024-10-29",
			events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-08", "")},
			next:   ev(clock.ThirdPartyReplied, "2024-10-29"),
			want:   []string{"征求意见已于2024年10月28日满15个工作日，答复期限不再因此顺延。"},
		},
		{
			// Open consultation: the due date has not passed while paused, so an
			// extension after the unpaused due date (10-30) is still allowed.
			name: "extension during a consultation", receipt: "2024-09-27", today: "2024-11-04",
			events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-28", "")},
			next:   extended("2024-11-04", 20, "2024-11-04"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clock.Validate(d(tt.receipt), tt.events, tt.next, clock.DefaultSettings(), calendar, d(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeRejectsBadInput(t *testing.T) {
	s := clock.DefaultSettings()
	bad := s
	bad.ConsultationMaxPause = 0
	tests := []struct {
		name           string
		receipt, today gongkai.Date
		s              clock.Settings
		field          string
	}{
		{"no receipt date", gongkai.Date{}, d("2024-10-08"), s, "receipt"},
		{"today before receipt", d("2024-10-08"), d("2024-10-07"), s, "today"},
		{"bad settings", d("2024-10-08"), d("2024-10-08"), bad, "consultation_max_pause"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clock.Compute(tt.receipt, nil, tt.s, calendar, tt.today)
			if e := gongkai.AsError(err); e == nil || e.Field != tt.field {
				t.Errorf("Compute error = %v; want field %s", err, tt.field)
			}
		})
	}
	// A year the calendar does not know is an error, not a guess.
	if _, err := clock.Compute(d("2026-12-20"), nil, s, calendar, d("2026-12-20")); err == nil {
		t.Error("Compute past the calendar's last year succeeded")
	}
}
