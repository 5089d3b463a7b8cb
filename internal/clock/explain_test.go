package clock_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/clock"
)

// The explanation is what staff and applicants read; the dates in it are the
// hand-worked ones of TestCompute.
func TestExplanation(t *testing.T) {
	tests := []struct {
		name    string
		receipt string
		events  []clock.Event
		today   string
		want    []clock.Line
	}{
		{
			name: "supplement, consultation, extension, reply", receipt: "2026-02-05", today: "2026-05-06",
			events: []clock.Event{
				supplementRequested("2026-02-13", "2026-03-06"),
				ev(clock.SupplementReceived, "2026-02-26"),
				consulted(clock.ThirdPartyConsulted, "2026-03-02", "某科技有限公司"),
				consulted(clock.ThirdPartyReplied, "2026-03-09", "某科技有限公司"),
				extended("2026-03-31", 20, "2026-03-31"),
				ev(clock.Replied, "2026-04-29"),
			},
			want: []clock.Line{
				{Event: -1, Kind: clock.LineReceived, On: d("2026-02-05"), OldDue: d("2026-03-11"), NewDue: d("2026-03-11"),
					Text: "2026年2月5日 收到申请：答复期限为收到申请之日起20个工作日，至2026年3月11日。"},
				{Event: 0, Kind: "supplement_requested", On: d("2026-02-13"), OldDue: d("2026-03-11"),
					Text: "2026年2月13日 一次性告知申请人补正（收到申请后第6个工作日），补正事项：申请公开的政府信息名称不明确；补正期限至2026年3月6日。答复期限停止计算，自收到补正后的申请之日起重新计算。"},
				{Event: 1, Kind: "supplement_received", On: d("2026-02-26"), NewDue: d("2026-03-25"),
					Text: "2026年2月26日 收到补正后的申请：答复期限自收到补正后的申请之日起重新计算20个工作日，至2026年3月25日。"},
				{Event: 2, Kind: "third_party_consulted", On: d("2026-03-02"), OldDue: d("2026-03-25"), NewDue: d("2026-03-25"),
					// 15 working days after 03-02: 03-03…03-06 (4), 03-09…03-13 (9),
					// 03-16…03-20 (14), 03-23 (15).
					Text: "2026年3月2日 向第三方（某科技有限公司）发出征求意见书，征求意见期间不计算在答复期限内（对方答复期限为15个工作日，至2026年3月23日）。"},
				{Event: 3, Kind: "third_party_replied", On: d("2026-03-09"), OldDue: d("2026-03-25"), NewDue: d("2026-04-01"), PausedDays: 5,
					Text: "2026年3月9日 收到第三方（某科技有限公司）的意见（2026年3月2日发出征求意见书），暂停5个工作日，答复期限顺延至2026年4月1日。"},
				{Event: 4, Kind: "extended", On: d("2026-03-31"), OldDue: d("2026-04-01"), NewDue: d("2026-04-30"),
					Text: "2026年3月31日 延期20个工作日（经张三批准，2026年3月31日告知申请人），答复期限由2026年4月1日延至2026年4月30日。"},
				{Event: 5, Kind: "replied", On: d("2026-04-29"), OldDue: d("2026-04-30"), NewDue: d("2026-04-30"),
					Text: "2026年4月29日 作出答复，办理结束（答复期限为2026年4月30日，按期答复）。"},
			},
		},
		{
			name: "overlapping pauses", receipt: "2024-04-22", today: "2024-05-14",
			events: []clock.Event{
				consulted(clock.ThirdPartyConsulted, "2024-04-25", "某公司"),
				consulted(clock.CoMakerConsulted, "2024-04-29", "市自然资源局"),
				consulted(clock.ThirdPartyReplied, "2024-05-08", "某公司"),
				consulted(clock.CoMakerReplied, "2024-05-14", "市自然资源局"),
			},
			want: []clock.Line{
				{Event: -1, Kind: clock.LineReceived, On: d("2024-04-22"), OldDue: d("2024-05-21"), NewDue: d("2024-05-21"),
					Text: "2024年4月22日 收到申请：答复期限为收到申请之日起20个工作日，至2024年5月21日。"},
				// 15 after 04-25: 04-26, 04-28 调休, 04-29, 04-30 (4), 05-06…05-10
				// (9), 05-11 调休 (10), 05-13…05-17 (15).
				{Event: 0, Kind: "third_party_consulted", On: d("2024-04-25"), OldDue: d("2024-05-21"), NewDue: d("2024-05-21"),
					Text: "2024年4月25日 向第三方（某公司）发出征求意见书，征求意见期间不计算在答复期限内（对方答复期限为15个工作日，至2024年5月17日）。"},
				// 15 after 04-29: 04-30 (1), 05-06…05-10 (6), 05-11 (7),
				// 05-13…05-17 (12), 05-20…05-22 (15).
				{Event: 1, Kind: "co_maker_consulted", On: d("2024-04-29"), OldDue: d("2024-05-21"), NewDue: d("2024-05-21"),
					Text: "2024年4月29日 向共同制作机关（市自然资源局）征求意见，征求意见期间不计算在答复期限内（对方答复期限为15个工作日，至2024年5月22日）。"},
				{Event: 2, Kind: "third_party_replied", On: d("2024-05-08"), OldDue: d("2024-05-21"), NewDue: d("2024-05-30"), PausedDays: 7,
					Text: "2024年5月8日 收到第三方（某公司）的意见（2024年4月25日发出征求意见书），暂停7个工作日，答复期限顺延至2024年5月30日。"},
				{Event: 3, Kind: "co_maker_replied", On: d("2024-05-14"), OldDue: d("2024-05-30"), NewDue: d("2024-06-06"), PausedDays: 5,
					Text: "2024年5月14日 收到共同制作机关（市自然资源局）的答复（2024年4月29日发出征求意见书），共暂停9个工作日，其中4个工作日与其他暂停期间重叠、已经顺延，本次再顺延5个工作日，答复期限顺延至2024年6月6日。"},
			},
		},
		{
			name: "fee lapses", receipt: "2025-09-15", today: "2025-11-03",
			events: []clock.Event{ev(clock.FeeNotified, "2025-09-26"), {Kind: clock.Replied, On: d("2025-11-03"), Outcome: gongkai.OutcomeOtherFeeUnpaid}},
			want: []clock.Line{
				{Event: -1, Kind: clock.LineReceived, On: d("2025-09-15"), OldDue: d("2025-10-17"), NewDue: d("2025-10-17"),
					Text: "2025年9月15日 收到申请：答复期限为收到申请之日起20个工作日，至2025年10月17日。"},
				{Event: 0, Kind: "fee_notified", On: d("2025-09-26"), OldDue: d("2025-10-17"), NewDue: d("2025-10-17"),
					Text: "2025年9月26日 向申请人发出收费通知，缴费期限为通知次日起20个工作日，至2025年10月30日；缴费期间不计算在答复期限内。"},
				{Event: 0, Kind: clock.LineFeeLapsed, On: d("2025-10-30"), OldDue: d("2025-10-17"), NewDue: d("2025-10-17"),
					Text: "2025年10月30日 缴费期限届满，申请人未缴纳信息处理费，视为放弃申请，可以终止办理（办理结果：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请）。"},
				// Closing ends the fee pause on 11-03: 09-26 → 11-03 is 22
				// working days (20 to 10-30, then 10-31, 11-03); 10-17 + 22:
				// 10-20…10-24, 10-27…10-31, 11-03…11-07, 11-10…11-14, 11-17,
				// 11-18 → 11-18.
				{Event: 1, Kind: "replied", On: d("2025-11-03"), OldDue: d("2025-10-17"), NewDue: d("2025-11-18"),
					Text: "2025年11月3日 终止办理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请。"},
			},
		},
		{
			name: "third party silent", receipt: "2024-09-27", today: "2024-10-31",
			events: []clock.Event{consulted(clock.ThirdPartyConsulted, "2024-10-08", "")},
			want: []clock.Line{
				{Event: -1, Kind: clock.LineReceived, On: d("2024-09-27"), OldDue: d("2024-10-30"), NewDue: d("2024-10-30"),
					Text: "2024年9月27日 收到申请：答复期限为收到申请之日起20个工作日，至2024年10月30日。"},
				// 15 after 10-08: 10-09…10-11 (3), 10-12 调休 (4),
				// 10-14…10-18 (9), 10-21…10-25 (14), 10-28 (15).
				{Event: 0, Kind: "third_party_consulted", On: d("2024-10-08"), OldDue: d("2024-10-30"), NewDue: d("2024-10-30"),
					Text: "2024年10月8日 向第三方发出征求意见书，征求意见期间不计算在答复期限内（对方答复期限为15个工作日，至2024年10月28日）。"},
				// 10-30 + 15: 10-31, 11-01, 11-04…11-08, 11-11…11-15, 11-18,
				// 11-19, 11-20 → 11-20.
				{Event: 0, Kind: clock.LineConsultationLapsed, On: d("2024-10-28"), OldDue: d("2024-10-30"), NewDue: d("2024-11-20"), PausedDays: 15,
					Text: "2024年10月28日 第三方未在15个工作日内提出意见，由本机关依照条例第三十二条决定是否公开，征求意见暂停结束（2024年10月8日发出征求意见书），暂停15个工作日，答复期限顺延至2024年11月20日。"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := clock.Compute(d(tt.receipt), tt.events, clock.DefaultSettings(), calendar, d(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, st.Explanation); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The API returns the State as JSON; dates travel as YYYY-MM-DD and the zero
// dates of a stopped clock are left out.
func TestStateJSON(t *testing.T) {
	st, err := clock.Compute(d("2024-03-04"), []clock.Event{supplementRequested("2024-03-06", "2024-03-20")}, clock.DefaultSettings(), calendar, d("2024-03-08"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st.Explanation[1])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event":0,"kind":"supplement_requested","on":"2024-03-06","old_due":"2024-04-01","text":"2024年3月6日 一次性告知申请人补正（收到申请后第2个工作日），补正事项：申请公开的政府信息名称不明确；补正期限至2024年3月20日。答复期限停止计算，自收到补正后的申请之日起重新计算。"}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
