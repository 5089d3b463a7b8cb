package export_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/internal/export"
)

func d(s string) gongkai.Date {
	v, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestWriteLedger(t *testing.T) {
	closed := &gongkai.Application{TrackingNo: "YSQ20240927AAAAA", ReceivedOn: d("2024-09-27"), Channel: gongkai.ChannelOnline, ApplicantKind: gongkai.ApplicantNatural,
		Request: gongkai.InfoRequest{Subject: "城市更新项目资金安排", DocNo: "示发改〔2023〕12号"}, OrgName: "示例市发展和改革委员会",
		State: gongkai.StateClosed, ClosedOn: d("2024-11-20"), Outcome: gongkai.OutcomePartiallyGranted, Late: true,
		Events: []gongkai.ApplicationEvent{
			{Type: gongkai.EventSupplementRequested, Date: d("2024-10-08")},
			{Type: gongkai.EventSupplementReceived, Date: d("2024-10-21")},
			{Type: gongkai.EventThirdPartyConsulted, Date: d("2024-10-22")},
			{Type: gongkai.EventThirdPartyReplied, Date: d("2024-10-30")},
			{Type: gongkai.EventExtended, Date: d("2024-11-01"), Days: 10},
			{Type: gongkai.EventFeeNotified, Date: d("2024-11-04"), Fee: &gongkai.Fee{Amount: 1100}},
			{Type: gongkai.EventReplied, Date: d("2024-11-20")},
		}}
	closed.Clock = &gongkai.ApplicationClock{Status: gongkai.StatusClosed}
	open := &gongkai.Application{TrackingNo: "YSQ20241101BBBBB", ReceivedOn: d("2024-11-01"), Channel: gongkai.ChannelPostRegistered, ApplicantKind: gongkai.ApplicantLegal,
		Request: gongkai.InfoRequest{Description: "2024年行政处罚决定书"}, OrgName: "示例市公安局", State: gongkai.StateOpen,
		Clock: &gongkai.ApplicationClock{Status: gongkai.StatusOnTime, DueOn: d("2024-11-29")}}
	pending := &gongkai.Application{TrackingNo: "YSQ20241130CCCCC", SubmittedAt: time.Date(2024, 11, 29, 17, 0, 0, 0, time.UTC), Channel: gongkai.ChannelOnline,
		ApplicantKind: gongkai.ApplicantResearch, Request: gongkai.InfoRequest{Subject: "空气质量监测数据"}, OrgName: "示例市生态环境局", State: gongkai.StateUnconfirmed}

	var buf bytes.Buffer
	if err := export.WriteLedger(&buf, "示例市依申请公开工作台账（2024年）", []*gongkai.Application{closed, open, pending}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("依申请公开台账")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"示例市依申请公开工作台账（2024年）"},
		{"编号", "收到日期", "渠道", "申请人类型", "申请内容", "承办单位", "补正/延期/征求意见", "答复日期", "办理结果", "是否按期"},
		{"YSQ20240927AAAAA", "2024-09-27", "网上申请", "自然人", "城市更新项目资金安排（示发改〔2023〕12号）", "示例市发展和改革委员会",
			"补正（2024-10-08通知，2024-10-21收到）；延期10个工作日；收费1100元；征求第三方意见1次", "2024-11-20", "部分公开", "逾期"},
		{"YSQ20241101BBBBB", "2024-11-01", "邮寄（挂号）", "法律服务机构", "2024年行政处罚决定书", "示例市公安局", "无", "", "", "办理中，期限2024-11-29"},
		// Submitted 2024-11-29 17:00 UTC = 11-30 01:00 in Shanghai.
		{"YSQ20241130CCCCC", "待确认（2024-11-30提交）", "网上申请", "科研机构", "空气质量监测数据", "示例市生态环境局", "无", "", "", "待确认"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("ledger mismatch (-want +got):\n%s", diff)
	}
}
