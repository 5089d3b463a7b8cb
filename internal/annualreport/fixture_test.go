package annualreport_test

import (
	"time"

	"gongkai"
	"gongkai/internal/annualreport"
)

// The fixture: one department, year 2024, compiled on 20 January 2025. The
// expected tables in testdata/golden-2024.json were counted by hand from the
// records below (the comment on each record says where it must land); they
// were not produced by the code under test.

func d(s string) gongkai.Date {
	v, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

var fixtureOrg = annualreport.Org{Code: "D001", Name: "示例市交通运输局", Kind: annualreport.OrgDepartment}

func fixtureInput() annualreport.Input {
	const (
		nat  = gongkai.ApplicantNatural
		com  = gongkai.ApplicantCommercial
		res  = gongkai.ApplicantResearch
		npo  = gongkai.ApplicantNonprofit
		law  = gongkai.ApplicantLegal
		othr = gongkai.ApplicantOtherOrg
	)
	z := gongkai.Date{}
	return annualreport.Input{
		Org:   fixtureOrg,
		Year:  2024,
		Today: d("2025-01-20"),
		Applications: []annualreport.Application{
			{"A1", nat, d("2023-11-20"), d("2023-12-20"), d("2023-12-10"), gongkai.OutcomeGranted},              // closed in 2023: not counted
			{"A2", nat, d("2023-12-15"), d("2024-01-16"), d("2024-01-08"), gongkai.OutcomeGranted},              // 二 + （一）, on time
			{"A3", com, d("2023-12-28"), d("2024-01-26"), d("2024-01-02"), gongkai.OutcomeWithheldThirdParty},   // 二 + （三）4, on time
			{"A4", nat, d("2024-01-01"), d("2024-01-30"), d("2024-01-20"), gongkai.OutcomePartiallyGranted},     // 一 + （二）, on time
			{"A5", nat, d("2024-03-05"), d("2024-04-02"), d("2024-04-15"), gongkai.OutcomeUnavailableNotHeld},   // 一 + （四）1, late
			{"A6", res, d("2024-06-10"), d("2024-07-08"), d("2024-07-01"), gongkai.OutcomeGranted},              // 一 + （一）, on time
			{"A7", law, d("2024-09-09"), d("2024-10-14"), d("2024-09-30"), gongkai.OutcomeNotProcessedRepeated}, // 一 + （五）2, on time
			{"A8", npo, d("2024-11-11"), d("2024-12-09"), d("2024-12-31"), gongkai.OutcomeOtherFeeUnpaid},       // 一 + （六）2, late
			{"A9", nat, d("2024-12-20"), d("2025-01-20"), z, ""},                                                // 一 + 四
			{"A10", othr, d("2024-12-31"), d("2025-01-30"), d("2025-01-10"), gongkai.OutcomeGranted},            // 一 + 四 (closed after 31 Dec)
			{"A11", nat, d("2023-06-01"), z, z, ""},                                                             // 二 + 四
			{"A12", com, d("2025-01-05"), z, z, ""},                                                             // received in 2025: not counted
			{"A13", nat, d("2024-05-05"), z, d("2024-05-06"), gongkai.OutcomeWithheldThreeSecurity},             // 一 + （三）3, deadline unknown
			{"A14", nat, d("2024-02-02"), d("2024-03-01"), d("2024-02-20"), gongkai.OutcomeOtherOther},          // 一 + （六）3, on time
		},
		Appeals: []annualreport.Appeal{
			{"P1", annualreport.AppealReconsideration, d("2023-10-10"), annualreport.ResultUpheld, d("2024-02-01")},                // 复议 结果维持
			{"P2", annualreport.AppealReconsideration, d("2024-05-01"), annualreport.ResultCorrected, d("2024-06-30")},             // 复议 结果纠正
			{"P3", annualreport.AppealReconsideration, d("2024-11-01"), annualreport.ResultPending, z},                             // 复议 尚未审结
			{"P4", annualreport.AppealLitigationDirect, d("2024-03-03"), annualreport.ResultOther, d("2025-01-10")},                // 直接起诉 尚未审结 on 31 Dec
			{"P5", annualreport.AppealLitigationAfterReconsideration, d("2024-07-07"), annualreport.ResultUpheld, d("2024-12-12")}, // 复议后起诉 结果维持
			{"P6", annualreport.AppealReconsideration, d("2023-03-03"), annualreport.ResultUpheld, d("2023-08-08")},                // decided in 2023: not counted
			{"P7", annualreport.AppealLitigationDirect, d("2025-01-02"), annualreport.ResultPending, z},                            // filed in 2025: not counted
		},
		Documents: []annualreport.Document{
			{Ref: "D1", Kind: annualreport.DocumentNormative, SignedOn: d("2024-03-01"), PublishedAt: time.Date(2024, 3, 10, 2, 0, 0, 0, time.UTC)}, // made, in force
			{Ref: "D2", Kind: annualreport.DocumentNormative, SignedOn: d("2021-05-05")},                                                            // in force
			{Ref: "D3", Kind: annualreport.DocumentNormative, SignedOn: d("2020-01-01"), RepealedOn: d("2024-06-30")},                               // repealed
			{Ref: "D4", Kind: annualreport.DocumentNormative, SignedOn: d("2024-12-30"), PublishedAt: time.Date(2025, 1, 6, 2, 0, 0, 0, time.UTC)},  // made (成文日期 counts), in force
			{Ref: "D5", Kind: annualreport.DocumentNormative, SignedOn: d("2024-02-02"), RepealedOn: d("2024-11-11")},                               // made and repealed
			// No 成文日期: 2023-12-31 17:00 UTC is 2024-01-01 01:00 in Shanghai, so made in 2024, in force.
			{Ref: "D6", Kind: annualreport.DocumentNormative, PublishedAt: time.Date(2023, 12, 31, 17, 0, 0, 0, time.UTC)},
			{Ref: "D7", Kind: annualreport.DocumentNormative, SignedOn: d("2022-02-02"), RepealedOn: d("2025-01-15")}, // in force on 31 Dec
			{Ref: "D8", Kind: annualreport.DocumentRule, SignedOn: d("2019-09-09")},                                   // 规章 in force
		},
		Figures: annualreport.Figures{
			Licensing:   ptr(int64(120)),
			Penalty:     ptr(int64(35)),
			Enforcement: ptr(int64(0)),
			Fees:        ptr(annualreport.Amount(1250)), // 12.50 万元
		},
		Texts: annualreport.Texts{
			Overview:     "2024年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。\n全年政府信息公开工作平稳有序。",
			Shortcomings: "一是依申请公开办理时效有待提高。",
			Other:        "本年度无其他需要报告的事项。",
		},
		Published:       []annualreport.ColumnCount{{Column: "政策文件", Count: 12}, {Column: "通知公告", Count: 30}, {Column: "工作动态", Count: 58}},
		Interpretations: 3,
		FeeNotices: []annualreport.FeeNotice{
			{Ref: "N1", IssuedOn: d("2024-08-01"), Amount: 30000, PaidOn: d("2024-08-10")}, // issued and paid in 2024
			{Ref: "N2", IssuedOn: d("2024-11-20"), Amount: 15050},                          // issued in 2024, unpaid
			{Ref: "N3", IssuedOn: d("2023-12-01"), Amount: 10000, PaidOn: d("2024-01-05")}, // paid in 2024 only
		},
	}
}
