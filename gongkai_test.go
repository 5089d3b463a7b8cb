package gongkai_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want gongkai.Date
		ok   bool
	}{
		{"2024-02-29", gongkai.Date{Year: 2024, Month: 2, Day: 29}, true},
		{"2023-02-29", gongkai.Date{}, false}, // not a leap year
		{"2023-13-01", gongkai.Date{}, false},
		{"2023-1-01", gongkai.Date{}, false},
		{"2023/01/01", gongkai.Date{}, false},
		{"", gongkai.Date{}, false},
		{"0000-01-01", gongkai.Date{}, false},
	} {
		got, err := gongkai.ParseDate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "9999-12-31", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := gongkai.ParseDate(s)
		if err != nil {
			return
		}
		if !d.Valid() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which does not round-trip", s, d)
		}
	})
}

func TestDateArithmetic(t *testing.T) {
	d := gongkai.NewDate(2024, 12, 31)
	if got := d.AddDays(1); got != (gongkai.Date{Year: 2025, Month: 1, Day: 1}) {
		t.Errorf("AddDays = %v", got)
	}
	if d.Weekday() != time.Tuesday {
		t.Errorf("2024-12-31 weekday = %v, want Tuesday", d.Weekday())
	}
	if got := d.DaysUntil(gongkai.NewDate(2025, 3, 1)); got != 60 {
		t.Errorf("DaysUntil = %d, want 60", got)
	}
	if d.Chinese() != "2024年12月31日" {
		t.Errorf("Chinese = %q", d.Chinese())
	}
	// 2024-12-31 16:30 UTC is already 1 January in Shanghai.
	if got := gongkai.DateOf(time.Date(2024, 12, 31, 16, 30, 0, 0, time.UTC)); got != gongkai.NewDate(2025, 1, 1) {
		t.Errorf("DateOf = %v, want 2025-01-01", got)
	}
}

func TestDateJSONAndSQL(t *testing.T) {
	type doc struct {
		SignedOn gongkai.Date `json:"signedOn"`
	}
	b, _ := json.Marshal(doc{gongkai.NewDate(2024, 3, 5)})
	if string(b) != `{"signedOn":"2024-03-05"}` {
		t.Errorf("marshal = %s", b)
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"signedOn":"2024-02-30"}`), &d); err == nil {
		t.Error("unmarshal accepted 2024-02-30")
	}
	var s gongkai.Date
	for _, src := range []any{"2024-03-05", []byte("2024-03-05"), time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "2024-03-05T00:00:00Z"} {
		if err := s.Scan(src); err != nil || s != gongkai.NewDate(2024, 3, 5) {
			t.Errorf("Scan(%v) = %v, %v", src, s, err)
		}
	}
	if v, _ := (gongkai.Date{}).Value(); v != nil {
		t.Errorf("zero Date stored as %v, want NULL", v)
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", gongkai.FieldError("creditCode", "校验码不正确。"))
	if gongkai.ErrorCode(err) != gongkai.EINVALID || gongkai.ErrorMessage(err) != "校验码不正确。" {
		t.Errorf("code %q message %q", gongkai.ErrorCode(err), gongkai.ErrorMessage(err))
	}
	plain := errors.New("pq: relation does not exist")
	if gongkai.ErrorCode(plain) != gongkai.EINTERNAL || gongkai.ErrorMessage(plain) == plain.Error() {
		t.Error("an internal error leaked its text")
	}
	var p gongkai.Problems
	if p.Err() != nil {
		t.Error("empty Problems is an error")
	}
	p.Add("a", "甲")
	p.Add("b", "乙")
	e := gongkai.AsError(p.Err())
	if e.Field != "a" || len(e.Problems) != 2 || p.For("b") != "乙" {
		t.Errorf("Problems.Err = %+v", e)
	}
}

func TestOrgValidate(t *testing.T) {
	city := &gongkai.Org{ID: 1, Kind: gongkai.OrgGovernment, Level: gongkai.LevelCity, Path: []int64{1}}
	dept := &gongkai.Org{ID: 2, Kind: gongkai.OrgDepartment, Level: gongkai.LevelCity, Path: []int64{1, 2}}
	ok := func(string) error { return nil }
	v := gongkai.OrgValidators{CreditCode: ok, OrgCode: ok, RegionCode: ok}
	for _, tc := range []struct {
		name   string
		org    gongkai.Org
		parent *gongkai.Org
		fields []string
	}{
		{"department", gongkai.Org{Code: "x-jyj", Name: "某局", Kind: gongkai.OrgDepartment, CreditCode: "c", RegionCode: "369900"}, city, nil},
		{"department without parent", gongkai.Org{Code: "x-jyj", Name: "某局", Kind: gongkai.OrgDepartment, CreditCode: "c", RegionCode: "369900"}, nil, []string{"parent", "level"}},
		{"government under a department", gongkai.Org{Code: "xz", Name: "某政府", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "c", RegionCode: "369900"}, dept, []string{"parent"}},
		{"county under city", gongkai.Org{Code: "xq", Name: "某区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "c", RegionCode: "369902"}, city, nil},
		{"province under city", gongkai.Org{Code: "xs", Name: "某省", Kind: gongkai.OrgGovernment, Level: gongkai.LevelProvince, CreditCode: "c", RegionCode: "360000"}, city, []string{"level"}},
		{"no identifiers", gongkai.Org{Code: "xq", Name: "某区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty}, city, []string{"creditCode", "regionCode"}},
		// 11369900KL0000010Q: characters 9–17 are KL0000010.
		{"matching credit and org codes", gongkai.Org{Code: "xq", Name: "某区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "11369900KL0000010Q", OrgCode: "KL0000010", RegionCode: "369902"}, city, nil},
		{"credit and org codes disagree", gongkai.Org{Code: "xq", Name: "某区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "11369900KL0000010Q", OrgCode: "MB0000094", RegionCode: "369902"}, city, []string{"orgCode"}},
		{"control characters", gongkai.Org{Code: "xq", Name: "某区\t人民政府", ShortName: "某\n区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "c", RegionCode: "369902"}, city, []string{"name", "shortName"}},
		{"bad code", gongkai.Org{Code: "X Q", Name: "某区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, CreditCode: "c", RegionCode: "1"}, city, []string{"code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.org
			err := o.Validate(tc.parent, v)
			var got []string
			if e := gongkai.AsError(err); e != nil {
				for _, p := range e.Problems {
					got = append(got, p.Field)
				}
			}
			if diff := cmp.Diff(tc.fields, got); diff != "" {
				t.Errorf("problem fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActorPermissions(t *testing.T) {
	city := &gongkai.Org{ID: 1, Path: []int64{1}}
	dept := &gongkai.Org{ID: 2, Path: []int64{1, 2}}
	county := &gongkai.Org{ID: 3, Path: []int64{1, 3}}
	a := &gongkai.Actor{Grants: []gongkai.Grant{{OrgID: 3, Role: gongkai.RoleAdmin}, {OrgID: 2, Role: gongkai.RoleEditor}}}
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"admin of own org", a.CanAdminister(county), true},
		{"admin of sibling", a.CanAdminister(dept), false},
		{"admin of parent", a.CanAdminister(city), false},
		{"editor exact", a.HasRole(gongkai.RoleEditor, 2), true},
		{"editor elsewhere", a.HasRole(gongkai.RoleEditor, 3), false},
		{"editor does not supervise", a.CanSupervise(dept), false},
		{"admin supervises own subtree", a.CanSupervise(county), true},
		{"system", gongkai.SystemActor("cli").CanAdminister(city), true},
		{"nil actor", (*gongkai.Actor)(nil).CanSupervise(city), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestSiteValidate(t *testing.T) {
	s := gongkai.Site{Code: "www", Name: "门户", Hosts: []string{"WWW.Example.gov.cn.", "localhost:8080", "bad host"}, Footer: gongkai.SiteFooter{SiteIDCode: "369900000"}}
	e := gongkai.AsError(s.Validate())
	var fields []string
	for _, p := range e.Problems {
		fields = append(fields, p.Field)
	}
	if diff := cmp.Diff([]string{"hosts", "siteIdCode"}, fields); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if s.Hosts[0] != "www.example.gov.cn" {
		t.Errorf("host not normalised: %q", s.Hosts[0])
	}
}

func TestOutcomes(t *testing.T) {
	if len(gongkai.Outcomes) != 21 {
		t.Fatalf("%d outcomes, want the 21 leaf rows of table 三", len(gongkai.Outcomes))
	}
	seen := map[gongkai.Outcome]bool{}
	for _, o := range gongkai.Outcomes {
		if seen[o] || !o.Valid() {
			t.Errorf("outcome %q duplicated or invalid", o)
		}
		seen[o] = true
	}
	if gongkai.Outcome("granted ").Valid() {
		t.Error("a near-miss code is valid")
	}
}

// FuzzDocumentInput: any JSON either fails to decode or turns into an
// update without panicking; references by 索引号 reach the resolver.
func FuzzDocumentInput(f *testing.F) {
	for _, s := range []string{`{"title":"x","interprets":[1,"A/2","3"],"publishAt":"2024-01-02T03:04:05Z"}`, `{"amends":[{}]}`, `{"publishAt":""}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var in gongkai.DocumentInput
		if json.Unmarshal([]byte(s), &in) != nil {
			return
		}
		u, err := in.Update(func(no string) (int64, error) {
			if no == "" {
				t.Fatal("resolver called with an empty 索引号")
			}
			return 7, nil
		})
		if err == nil && in.Title != nil && (u.Title == nil || *u.Title != *in.Title) {
			t.Fatal("title lost")
		}
	})
}

// Jobs and the CLI appear to staff by a Chinese description, while the
// audit trail keeps the machine name that says which job it was.
func TestSystemActorNames(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"job:recheck", "系统（发布后复查）"},
		{"job:publish", "系统（定时发布）"},
		{"job:expire", "系统（有效期届满失效）"},
		{"cli", "系统（命令行）"},
		{"other", "other"},
	} {
		a := gongkai.SystemActor(tc.name)
		if a.Name != tc.want || a.Username != tc.name || !a.System {
			t.Errorf("SystemActor(%q) = %+v, want Name %q", tc.name, a, tc.want)
		}
	}
}
