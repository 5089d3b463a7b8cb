package ident_test

import (
	"slices"
	"testing"
	"unicode/utf8"

	"gongkai/internal/ident"
)

func FuzzParseCitizenID(f *testing.F) {
	for _, s := range []string{
		"34052419800101001X", "34052419800101001x", "370101190102039973", "350102800101123",
		"", "3405241980010100", "99052419800101001X", "34052419800230001X", "３４0524198001010010",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ident.MaskCitizenID(s)
		id, err := ident.ParseCitizenID(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseCitizenID(%q): empty error text", s)
			}
			return
		}
		if id.Legacy != (len(id.Number) == 15) || !id.Legacy && len(id.Number) != 18 {
			t.Fatalf("ParseCitizenID(%q) = %+v: wrong length for Legacy", s, id)
		}
		if !id.Birth.Valid() || id.Birth.Year < 1900 {
			t.Fatalf("ParseCitizenID(%q): bad birth %v", s, id.Birth)
		}
		if err := ident.ValidateRegionCode(id.Region); err != nil || id.Region != id.Number[:6] {
			t.Fatalf("ParseCitizenID(%q): region %q: %v", s, id.Region, err)
		}
		if !id.Legacy {
			c, err := ident.CitizenIDCheckChar(id.Number[:17])
			if err != nil || c != id.Number[17] {
				t.Fatalf("ParseCitizenID(%q) accepted a wrong check char", s)
			}
		}
		again, err := ident.ParseCitizenID(id.Number)
		if err != nil || again != id {
			t.Fatalf("re-parsing %q gave %+v, %v; want %+v", id.Number, again, err, id)
		}
	})
}

func FuzzValidateCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "911101080000000194", "91350100M000100Y44", "", "91350100m000100Y43", "91990100M000100Y43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := ident.NormalizeCreditCode(s)
		for _, c := range []string{s, norm} {
			err := ident.ValidateCreditCode(c)
			if err != nil {
				if err.Error() == "" {
					t.Fatalf("ValidateCreditCode(%q): empty error text", c)
				}
				continue
			}
			want, err := ident.CreditCodeCheckChar(c[:17])
			if err != nil || want != c[17] {
				t.Fatalf("ValidateCreditCode(%q) accepted a wrong check char", c)
			}
			if err := ident.ValidateOrgCode(c[8:17]); err != nil {
				t.Fatalf("ValidateCreditCode(%q) accepted a wrong body: %v", c, err)
			}
		}
		_ = ident.ValidateOrgCode(s)
		_ = ident.ValidateOrgCode(ident.NormalizeOrgCode(s))
		_ = ident.ValidateRegionCode(s)
	})
}

func FuzzParseDocNo(f *testing.F) {
	for _, s := range []string{
		"国办发〔2017〕47号", "示政办发[2023]012", "示政办发 ﹝ 2023 ﹞第 0012", "示政办发2023年12号",
		"示政办发〔２０２３〕１２号", "", "〔2023〕12号", "示政办发〔23〕12号", "示政办发〔2023〕0号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ident.ParseDocNo(s)
		if err == nil {
			// Strict parsing accepts only the canonical form.
			if d.String() != s {
				t.Fatalf("ParseDocNo(%q) = %v, whose canonical form %q differs", s, d, d.String())
			}
		} else if err.Error() == "" {
			t.Fatalf("ParseDocNo(%q): empty error text", s)
		}
		sugg, faults, ok := ident.SuggestDocNo(s)
		n, nok := ident.NormalizeDocNo(s)
		if ok != nok {
			t.Fatalf("SuggestDocNo and NormalizeDocNo disagree on %q", s)
		}
		if !ok {
			if err == nil {
				t.Fatalf("ParseDocNo(%q) succeeded but SuggestDocNo failed", s)
			}
			return
		}
		if sugg != n.String() {
			t.Fatalf("SuggestDocNo(%q) = %q, NormalizeDocNo gives %q", s, sugg, n.String())
		}
		if (len(faults) == 0) != (err == nil) {
			t.Fatalf("ParseDocNo(%q) error %v but faults %q", s, err, faults)
		}
		back, err := ident.ParseDocNo(sugg)
		if err != nil || back != n {
			t.Fatalf("suggestion %q for %q does not parse strictly: %v, %v", sugg, s, back, err)
		}
	})
}

func FuzzFindDocNos(f *testing.F) {
	for _, s := range []string{
		"根据《…的通知》（国办发〔2019〕54号）要求",
		"依据国办发[2019]54号文件，见示政办发（2023）12号和示政办发【2023】13号。",
		"国办发〔2019〕54号、国办发〔2020〕1号及国发〔2023〕第5号",
		"（示政办发〔2023〕12） 示政办发 〔 2023 〕013号 详见示政办发2023年12号。",
		"截至2023年12月31日，（2023）年度，项目编号【2023】12万元，（2023）京0105民初12号",
		"按示政办发〔２０２３〕１２号执行\xff\xfe〔2023〕1号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for _, m := range ident.FindDocNos(text) {
			if m.Start < prevEnd || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("FindDocNos(%q): bad offsets %d–%d after %d", text, m.Start, m.End, prevEnd)
			}
			prevEnd = m.End
			if m.Raw != text[m.Start:m.End] {
				t.Fatalf("FindDocNos(%q): Raw %q is not text[%d:%d]", text, m.Raw, m.Start, m.End)
			}
			if !utf8.RuneStart(text[m.Start]) || !utf8.ValidString(m.Raw) {
				t.Fatalf("FindDocNos(%q): match %q not on rune boundaries", text, m.Raw)
			}
			d, err := ident.ParseDocNo(m.Canonical)
			if err != nil || d != m.DocNo || m.Canonical != m.DocNo.String() {
				t.Fatalf("FindDocNos(%q): Canonical %q does not re-parse to %v: %v, %v", text, m.Canonical, m.DocNo, d, err)
			}
			// A found Raw is also accepted, with the same faults, as a whole.
			sugg, faults, ok := ident.SuggestDocNo(m.Raw)
			if !ok || sugg != m.Canonical || !slices.Equal(faults, m.Faults) {
				t.Fatalf("FindDocNos(%q): SuggestDocNo(%q) = %q, %q, %v; match says %q, %q", text, m.Raw, sugg, faults, ok, m.Canonical, m.Faults)
			}
		}
	})
}
