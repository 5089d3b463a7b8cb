package gongkai_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func day(y int, m time.Month, d int) gongkai.Date { return gongkai.NewDate(y, m, d) }

// TestCheckTerm: a term cannot end before the document is signed or takes
// effect; the field named is validUntil.
func TestCheckTerm(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		signed, effective, validUntil gongkai.Date
		want                          string // the validUntil message, "" for none
	}{
		{"nothing set", gongkai.Date{}, gongkai.Date{}, gongkai.Date{}, ""},
		{"no term", day(2025, 1, 1), day(2025, 2, 1), gongkai.Date{}, ""},
		{"five years", day(2024, 12, 20), day(2025, 1, 1), day(2029, 12, 31), ""},
		{"one day", day(2025, 1, 1), day(2025, 1, 1), day(2025, 1, 1), ""},
		{"term without effective date", day(2025, 1, 1), gongkai.Date{}, day(2026, 1, 1), ""},
		{"term without any date", gongkai.Date{}, gongkai.Date{}, day(2026, 1, 1), ""},
		{"effective before signed is allowed", day(2025, 1, 15), day(2025, 1, 1), day(2027, 12, 31), ""},
		{"before signed", day(2025, 3, 1), gongkai.Date{}, day(2025, 2, 28), "有效期至（2025年2月28日）不能早于成文日期（2025年3月1日）。"},
		{"before effective", day(2025, 1, 1), day(2025, 6, 1), day(2025, 5, 31), "有效期至（2025年5月31日）不能早于施行日期（2025年6月1日）。"},
		{"before both: effective named", day(2025, 1, 1), day(2025, 6, 1), day(2024, 12, 31), "有效期至（2024年12月31日）不能早于施行日期（2025年6月1日）。"},
		{"effective before signed, term between", day(2025, 3, 1), day(2025, 1, 1), day(2025, 2, 1), "有效期至（2025年2月1日）不能早于成文日期（2025年3月1日）。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := gongkai.CheckTerm(tc.signed, tc.effective, tc.validUntil)
			if got := p.For("validUntil"); got != tc.want {
				t.Errorf("validUntil problem = %q, want %q", got, tc.want)
			}
			if len(p) > 1 || (len(p) == 1 && p[0].Field != "validUntil") {
				t.Errorf("problems = %+v, want at most one on validUntil", p)
			}
		})
	}
}

// TestApplyTerm: 有效期至 is inclusive; a document still 有效 lapses the
// day after, and that day is its ValidityOn. 废止, 已修订 and a 失效 set by
// hand are left alone.
func TestApplyTerm(t *testing.T) {
	until := day(2029, 12, 31)
	for _, tc := range []struct {
		name       string
		validity   string
		validityOn gongkai.Date
		validUntil gongkai.Date
		today      gongkai.Date
		changed    bool
		wantV      string
		wantOn     gongkai.Date
	}{
		{"no term", "valid", gongkai.Date{}, gongkai.Date{}, day(2040, 1, 1), false, "valid", gongkai.Date{}},
		{"before the last day", "valid", gongkai.Date{}, until, day(2029, 12, 30), false, "valid", gongkai.Date{}},
		{"on the last day: still valid", "valid", gongkai.Date{}, until, until, false, "valid", gongkai.Date{}},
		{"the day after", "valid", gongkai.Date{}, until, day(2030, 1, 1), true, "expired", day(2030, 1, 1)},
		{"long after: dated the day after the term", "valid", gongkai.Date{}, until, day(2031, 6, 1), true, "expired", day(2030, 1, 1)},
		{"empty validity counts as valid", "", gongkai.Date{}, until, day(2030, 1, 1), true, "expired", day(2030, 1, 1)},
		{"repealed wins", "repealed", day(2028, 3, 1), until, day(2030, 1, 1), false, "repealed", day(2028, 3, 1)},
		{"amended wins", "amended", day(2028, 3, 1), until, day(2030, 1, 1), false, "amended", day(2028, 3, 1)},
		{"expired by hand keeps its date", "expired", day(2029, 6, 1), until, day(2030, 1, 1), false, "expired", day(2029, 6, 1)},
		{"already lapsed: idempotent", "expired", day(2030, 1, 1), until, day(2030, 1, 5), false, "expired", day(2030, 1, 1)},
		{"leap day", "valid", gongkai.Date{}, day(2028, 2, 28), day(2028, 2, 29), true, "expired", day(2028, 2, 29)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &gongkai.Document{Validity: tc.validity, ValidityOn: tc.validityOn, ValidUntil: tc.validUntil}
			changed := d.ApplyTerm(tc.today)
			got := struct {
				Changed bool
				V       string
				On      gongkai.Date
			}{changed, d.Validity, d.ValidityOn}
			want := struct {
				Changed bool
				V       string
				On      gongkai.Date
			}{tc.changed, tc.wantV, tc.wantOn}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTermLapsed(t *testing.T) {
	if _, ok := gongkai.TermLapsed(gongkai.Date{}, day(2030, 1, 1)); ok {
		t.Error("a document without a term lapsed")
	}
	if on, ok := gongkai.TermLapsed(day(2025, 12, 31), day(2026, 1, 1)); !ok || on != day(2026, 1, 1) {
		t.Errorf("TermLapsed = %v, %v; want 2026-01-01, true", on, ok)
	}
}

// The input's term fields reach the update; "" clears, absent leaves alone.
func TestDocumentInputTerm(t *testing.T) {
	var in gongkai.DocumentInput
	if err := json.Unmarshal([]byte(`{"effectiveOn":"2025-01-01","validUntil":""}`), &in); err != nil {
		t.Fatal(err)
	}
	u, err := in.Update(nil)
	if err != nil {
		t.Fatal(err)
	}
	if u.EffectiveOn == nil || *u.EffectiveOn != day(2025, 1, 1) || u.ValidUntil == nil || !u.ValidUntil.IsZero() {
		t.Errorf("update = %v, %v; want 2025-01-01 and a cleared 有效期至", u.EffectiveOn, u.ValidUntil)
	}
	in = gongkai.DocumentInput{}
	if u, _ := in.Update(nil); u.EffectiveOn != nil || u.ValidUntil != nil {
		t.Error("absent term fields were set")
	}
}
