package gongkai_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// validators stands in for internal/ident: the root package must not
// import it. The one valid ID below has the GB 11643 check character X.
var validators = gongkai.ApplicantValidators{
	CitizenID: func(s string) (gongkai.Date, bool, error) {
		switch s {
		case "11010519491231002X":
			return gongkai.NewDate(1949, 12, 31), false, nil
		case "110105491231002":
			return gongkai.NewDate(1949, 12, 31), true, nil
		case "110105203012310021":
			return gongkai.NewDate(2030, 12, 31), false, nil
		}
		return gongkai.Date{}, false, errors.New("校验码不正确。")
	},
	CreditCode: func(s string) error {
		if s == "91369900MA00000152" {
			return nil
		}
		return errors.New("校验码不正确。")
	},
	Mobile: func(s string) bool { return len(s) == 11 && strings.HasPrefix(s, "1") },
}

var today = gongkai.NewDate(2024, 6, 3)

func goodSubmission() gongkai.ApplicationSubmission {
	return gongkai.ApplicationSubmission{OrgCode: "shili-fgw",
		Applicant: gongkai.Applicant{Kind: gongkai.ApplicantNatural, Name: "张小明", IDType: gongkai.IDCitizen, IDNumber: "11010519491231002x", Phone: "138 0013 8000"},
		Request:   gongkai.InfoRequest{Subject: "城市更新项目资金安排", Form: gongkai.FormPaper, Delivery: gongkai.DeliveryPickup}}
}

func problemFields(err error) []string {
	e := gongkai.AsError(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.Field)
	}
	return out
}

func TestSubmissionValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		offline bool
		edit    func(*gongkai.ApplicationSubmission)
		want    []string // problem fields, in order; nil: valid
	}{
		{"valid, ID normalised", false, func(*gongkai.ApplicationSubmission) {}, nil},
		{"no org", false, func(s *gongkai.ApplicationSubmission) { s.OrgCode = "" }, []string{"org"}},
		{"no name", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.Name = " " }, []string{"applicant.name"}},
		{"bad kind", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.Kind = "robot" }, []string{"applicant.kind"}},
		{"check digit", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.IDNumber = "110105194912310021" }, []string{"applicant.idNumber"}},
		{"legacy 15 digits", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.IDNumber = "110105491231002" }, []string{"applicant.idNumber"}},
		{"born in the future", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.IDNumber = "110105203012310021" }, []string{"applicant.idNumber"}},
		{"passport not checked", false, func(s *gongkai.ApplicationSubmission) {
			s.Applicant.IDType, s.Applicant.IDNumber = gongkai.IDPassport, "E1234567"
		}, nil},
		{"credit code as a person's ID", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.IDType = gongkai.IDCreditCode }, []string{"applicant.idType"}},
		{"organisation", false, func(s *gongkai.ApplicationSubmission) {
			s.Applicant = gongkai.Applicant{Kind: gongkai.ApplicantLegal, Name: "示例律师事务所", IDNumber: "91369900MA00000152", Contact: "赵律师", Email: "law@example.cn"}
		}, nil},
		{"organisation without contact, bad code", false, func(s *gongkai.ApplicationSubmission) {
			s.Applicant = gongkai.Applicant{Kind: gongkai.ApplicantCommercial, Name: "示例公司", IDNumber: "91369900MA00000153", Email: "a@example.cn"}
		}, []string{"applicant.idNumber", "applicant.contact"}},
		{"no contact at all", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.Phone = "" }, []string{"applicant.phone"}},
		{"landline accepted", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.Phone = "0791-12345678" }, nil},
		{"bad phone and email", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.Phone, s.Applicant.Email = "12", "x@" }, []string{"applicant.phone", "applicant.email"}},
		{"bad post code", false, func(s *gongkai.ApplicationSubmission) { s.Applicant.PostCode = "3699" }, []string{"applicant.postCode"}},
		{"nothing asked", false, func(s *gongkai.ApplicationSubmission) { s.Request.Subject = "" }, []string{"request.subject"}},
		{"description suffices", false, func(s *gongkai.ApplicationSubmission) {
			s.Request.Subject, s.Request.Description = "", "去年的低保名单"
		}, nil},
		{"other form unnamed", false, func(s *gongkai.ApplicationSubmission) { s.Request.Form = gongkai.FormOther }, []string{"request.formOther"}},
		{"post without address", false, func(s *gongkai.ApplicationSubmission) { s.Request.Delivery = gongkai.DeliveryPost }, []string{"applicant.address"}},
		{"email without email", false, func(s *gongkai.ApplicationSubmission) { s.Request.Delivery = gongkai.DeliveryEmail }, []string{"applicant.email"}},
		{"no form or delivery", false, func(s *gongkai.ApplicationSubmission) { s.Request.Form, s.Request.Delivery = "", "" }, []string{"request.form", "request.delivery"}},
		{"public ignores channel and date", false, func(s *gongkai.ApplicationSubmission) { s.Channel, s.ReceivedOn = "fax", today.AddDays(9) }, nil},
		{"offline valid", true, func(s *gongkai.ApplicationSubmission) { s.Channel, s.ReceivedOn = gongkai.ChannelFax, today }, nil},
		{"offline without channel", true, func(s *gongkai.ApplicationSubmission) { s.ReceivedOn = today }, []string{"channel"}},
		{"offline without date", true, func(s *gongkai.ApplicationSubmission) { s.Channel = gongkai.ChannelPostRegistered }, []string{"receivedOn"}},
		{"offline future date", true, func(s *gongkai.ApplicationSubmission) {
			s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, today.AddDays(1)
		}, []string{"receivedOn"}},
		{"offline before the 2019 条例", true, func(s *gongkai.ApplicationSubmission) {
			s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, gongkai.NewDate(2019, 5, 14)
		}, []string{"receivedOn"}},
		{"too many files", false, func(s *gongkai.ApplicationSubmission) { s.Files = make([]gongkai.Upload, 4) }, []string{"files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := goodSubmission()
			tc.edit(&s)
			err := s.Validate(tc.offline, today, validators)
			if diff := cmp.Diff(tc.want, problemFields(err)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%v", diff, err)
			}
			if err == nil && !tc.offline && (s.Channel != gongkai.ChannelOnline || !s.ReceivedOn.IsZero()) {
				t.Errorf("public submission kept channel %q / date %s", s.Channel, s.ReceivedOn)
			}
		})
	}
	s := goodSubmission()
	if err := s.Validate(false, today, validators); err != nil || s.Applicant.IDNumber != "11010519491231002X" || s.Applicant.Phone != "13800138000" {
		t.Errorf("normalisation: %q %q %v", s.Applicant.IDNumber, s.Applicant.Phone, err)
	}
}

// TestReplyValidate lists, for every outcome, the fields a reply with only
// an outcome and a date lacks.
func TestReplyValidate(t *testing.T) {
	want := map[gongkai.Outcome][]string{
		gongkai.OutcomeGranted:                 {"provided"},
		gongkai.OutcomePartiallyGranted:        {"provided", "withheld", "reason", "basis"},
		gongkai.OutcomeWithheldStateSecret:     {"basis", "reason"},
		gongkai.OutcomeWithheldProhibited:      {"basis", "reason"},
		gongkai.OutcomeWithheldThreeSecurity:   {"basis", "reason"},
		gongkai.OutcomeWithheldThirdParty:      {"basis", "reason"},
		gongkai.OutcomeWithheldInternal:        {"basis", "reason"},
		gongkai.OutcomeWithheldProcess:         {"basis", "reason"},
		gongkai.OutcomeWithheldEnforcement:     {"basis", "reason"},
		gongkai.OutcomeWithheldAdminQuery:      {"basis", "reason"},
		gongkai.OutcomeUnavailableNotHeld:      {"notHeld"},
		gongkai.OutcomeUnavailableNeedsCreate:  {"reason"},
		gongkai.OutcomeUnavailableUnclear:      {"reason"},
		gongkai.OutcomeNotProcessedPetition:    {"reason"},
		gongkai.OutcomeNotProcessedRepeated:    {"reason"},
		gongkai.OutcomeNotProcessedPublication: {"reason"},
		gongkai.OutcomeNotProcessedExcessive:   {"reason"},
		gongkai.OutcomeNotProcessedConfirm:     {"reason"},
		gongkai.OutcomeOtherNoSupplement:       nil, // the clock checks the lapsed deadline
		gongkai.OutcomeOtherFeeUnpaid:          nil,
		gongkai.OutcomeOtherOther:              {"reason"},
	}
	if len(want) != len(gongkai.Outcomes) {
		t.Fatalf("table covers %d outcomes, want 21", len(want))
	}
	for _, o := range gongkai.Outcomes {
		r := gongkai.Reply{Outcome: o, Date: today}
		if diff := cmp.Diff(want[o], problemFields(r.Validate())); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", o, diff)
		}
	}
	for _, tc := range []struct {
		r    gongkai.Reply
		want []string
	}{
		{gongkai.Reply{Date: today}, []string{"outcome"}},
		{gongkai.Reply{Outcome: "withheld", Date: today}, []string{"outcome"}},
		{gongkai.Reply{Outcome: gongkai.OutcomeGranted, Provided: []string{"x"}}, []string{"date"}},
		{gongkai.Reply{Outcome: gongkai.OutcomeGranted, Date: today, Provided: []string{" ", ""}}, []string{"provided"}},
		{gongkai.Reply{Outcome: gongkai.OutcomeUnavailableNotHeld, Date: today, NotHeld: gongkai.NotHeldOtherOrgan}, []string{"otherOrgan"}},
		{gongkai.Reply{Outcome: gongkai.OutcomeUnavailableNotHeld, Date: today, NotHeld: gongkai.NotHeldOtherOrgan, OtherOrgan: "示例市城东区民政局"}, nil},
		{gongkai.Reply{Outcome: gongkai.OutcomeUnavailableNotHeld, Date: today, NotHeld: gongkai.NotHeldNotExist}, nil},
		{gongkai.Reply{Outcome: gongkai.OutcomeWithheldThirdParty, Date: today, Basis: "《条例》第十五条", Reason: "第三方不同意"}, nil},
	} {
		if diff := cmp.Diff(tc.want, problemFields(tc.r.Validate())); diff != "" {
			t.Errorf("%+v mismatch (-want +got):\n%s", tc.r, diff)
		}
	}
}

func TestAppealValidate(t *testing.T) {
	received := gongkai.NewDate(2024, 3, 1)
	for _, tc := range []struct {
		a    gongkai.Appeal
		want []string
	}{
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 4, 1), Body: "示例市人民政府"}, nil},
		{gongkai.Appeal{Kind: gongkai.AppealLitigationDirect, FiledOn: gongkai.NewDate(2024, 4, 1), Body: "示例市城东区人民法院", Result: gongkai.AppealCorrected, ClosedOn: gongkai.NewDate(2024, 6, 1)}, nil},
		{gongkai.Appeal{Kind: "appeal", FiledOn: gongkai.NewDate(2024, 4, 1), Body: "x"}, []string{"kind"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 2, 1), Body: "x"}, []string{"filedOn"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: today.AddDays(1), Body: "x"}, []string{"filedOn"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 4, 1)}, []string{"body"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 4, 1), Body: "x", Result: gongkai.AppealUpheld}, []string{"closedOn"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 4, 1), Body: "x", ClosedOn: gongkai.NewDate(2024, 5, 1)}, []string{"closedOn"}},
		{gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: gongkai.NewDate(2024, 4, 1), Body: "x", Result: gongkai.AppealOther, ClosedOn: gongkai.NewDate(2024, 3, 31)}, []string{"closedOn"}},
	} {
		a := tc.a
		if diff := cmp.Diff(tc.want, problemFields(a.Validate(received, today))); diff != "" {
			t.Errorf("%+v mismatch (-want +got):\n%s", tc.a, diff)
		}
	}
}

func TestLabels(t *testing.T) {
	// Against the row labels of table 三 (statutes §2.3).
	for o, want := range map[gongkai.Outcome]string{
		gongkai.OutcomeGranted:               "予以公开",
		gongkai.OutcomeWithheldThreeSecurity: "不予公开：危及“三安全一稳定”",
		gongkai.OutcomeUnavailableUnclear:    "无法提供：补正后申请内容仍不明确",
		gongkai.OutcomeNotProcessedExcessive: "不予处理：无正当理由大量反复申请",
	} {
		if got := o.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", o, got, want)
		}
	}
	for _, o := range gongkai.Outcomes {
		if o.Label() == string(o) || !utf8.ValidString(o.Label()) {
			t.Errorf("%s has no label", o)
		}
	}
	for _, k := range gongkai.ApplicantKinds {
		if k.Label() == string(k) {
			t.Errorf("%s has no label", k)
		}
	}
	c := &gongkai.ApplicationClock{Status: gongkai.StatusOverdue, DueOn: today, DaysLeft: -2}
	if got := c.Remaining(); got != "超期2个工作日" {
		t.Errorf("Remaining = %q", got)
	}
	c.Status, c.DaysLeft = gongkai.StatusDueSoon, 0
	if got := c.Remaining(); got != "今天到期" {
		t.Errorf("Remaining = %q", got)
	}
}

func TestApplicationAccess(t *testing.T) {
	city := &gongkai.Org{ID: 1, Path: []int64{1}}
	dept := &gongkai.Org{ID: 2, Path: []int64{1, 2}}
	other := &gongkai.Org{ID: 3, Path: []int64{1, 3}}
	actor := func(org int64, roles ...gongkai.Role) *gongkai.Actor {
		a := &gongkai.Actor{UserID: 9}
		for _, r := range roles {
			a.Grants = append(a.Grants, gongkai.Grant{OrgID: org, Role: r})
		}
		return a
	}
	type access struct{ Read, Write, Personal bool }
	for _, tc := range []struct {
		name  string
		actor *gongkai.Actor
		org   *gongkai.Org
		want  access
	}{
		{"officer of the org", actor(2, gongkai.RoleOfficer), dept, access{true, true, true}},
		{"officer of another org", actor(3, gongkai.RoleOfficer), dept, access{}},
		{"officer of the parent", actor(1, gongkai.RoleOfficer), dept, access{}},
		{"supervisor above", actor(1, gongkai.RoleSupervisor), dept, access{true, false, true}},
		{"admin above", actor(1, gongkai.RoleAdmin), dept, access{true, true, false}},
		{"admin of a sibling", actor(3, gongkai.RoleAdmin), dept, access{}},
		{"editor of the org", actor(2, gongkai.RoleEditor), dept, access{}},
		{"supervisor of the org itself", actor(3, gongkai.RoleSupervisor), other, access{true, false, true}},
		{"system", gongkai.SystemActor("job"), city, access{true, true, true}},
		{"nobody", nil, dept, access{}},
	} {
		r, w, p := gongkai.ApplicationAccess(tc.actor, tc.org)
		if diff := cmp.Diff(tc.want, access{r, w, p}); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// FuzzSubmissionValidate: any input gives either no error or problems that
// each name a field with a Chinese message, and never panics.
func FuzzSubmissionValidate(f *testing.F) {
	f.Add("natural", "张小明", "citizen_id", "11010519491231002X", "13800138000", "a@b.cn", "城市更新", "paper", "post", false)
	f.Add("legal_service", "", "", "91369900MA00000152", "", "", "", "other", "email", true)
	f.Fuzz(func(t *testing.T, kind, name, idType, id, phone, email, subject, form, delivery string, offline bool) {
		s := gongkai.ApplicationSubmission{OrgCode: "x", Channel: gongkai.ChannelFax, ReceivedOn: today,
			Applicant: gongkai.Applicant{Kind: gongkai.ApplicantKind(kind), Name: name, IDType: gongkai.IDType(idType), IDNumber: id, Phone: phone, Email: email},
			Request:   gongkai.InfoRequest{Subject: subject, Form: gongkai.ProvisionForm(form), Delivery: gongkai.Delivery(delivery)}}
		err := s.Validate(offline, today, validators)
		if err == nil {
			return
		}
		e := gongkai.AsError(err)
		if e == nil || e.Code != gongkai.EINVALID || len(e.Problems) == 0 {
			t.Fatalf("error %v is not a field problem list", err)
		}
		for _, p := range e.Problems {
			if p.Field == "" || !strings.ContainsFunc(p.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Fatalf("problem %+v lacks a field or a Chinese message", p)
			}
		}
	})
}
