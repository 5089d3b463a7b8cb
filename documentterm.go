package gongkai

// The term of a document (施行日期 and 有效期): 行政规范性文件 and other
// policies usually say when they take effect and for how long, e.g.
// “自2025年1月1日起施行，有效期5年”. These rules are pure; the store applies
// them when a document is saved or published and the expiry job
// (internal/jobs) applies them every day to what is on the portal.
//
// Decisions (docs/notes/s3-expiry.md):
//
//   - 有效期至 is inclusive: a document “有效期至2029年12月31日” is in force
//     through that day and 失效 from the next, which is its ValidityOn.
//   - Only a document that is still 有效 lapses. 废止 and 已修订, set by the
//     publication of a repealing or amending document, win over the term,
//     and a 失效 an editor set by hand keeps its own date.
//   - A 施行日期 in the future changes nothing in 有效性 (the vocabulary has
//     four values and “尚未施行” is not one of them): the document is 有效,
//     and its page shows the 施行日期, from which a reader sees it is not
//     yet applied. A label computed from today would also go stale on cached
//     pages, which change only when something is published.

// ValidityCodeValid and ValidityCodeExpired are the 有效性 codes the term
// rules need (有效 and 失效); internal/taxonomy holds the whole vocabulary
// with its labels and uses these constants.
const (
	ValidityCodeValid   = "valid"
	ValidityCodeExpired = "expired"
)

// CheckTerm returns the problems of a document's 施行日期 and 有效期至 with
// respect to its 成文日期: a term cannot end before the document was signed
// or before it takes effect. Zero dates are not set and not checked.
// (A 施行日期 before the 成文日期 is allowed: archives hold documents that
// took effect on the first day of a month in which they were signed.)
func CheckTerm(signedOn, effectiveOn, validUntil Date) Problems {
	var p Problems
	if validUntil.IsZero() {
		return nil
	}
	switch {
	case !effectiveOn.IsZero() && validUntil.Before(effectiveOn):
		p.Add("validUntil", "有效期至（"+validUntil.Chinese()+"）不能早于施行日期（"+effectiveOn.Chinese()+"）。")
	case !signedOn.IsZero() && validUntil.Before(signedOn):
		p.Add("validUntil", "有效期至（"+validUntil.Chinese()+"）不能早于成文日期（"+signedOn.Chinese()+"）。")
	}
	return p
}

// TermLapsed reports whether a document in force through validUntil is no
// longer in force on today, and the day it lapsed (失效日期): the day after
// validUntil. A zero validUntil never lapses.
func TermLapsed(validUntil, today Date) (Date, bool) {
	if validUntil.IsZero() || !today.After(validUntil) {
		return Date{}, false
	}
	return validUntil.AddDays(1), true
}

// ApplyTerm marks d 失效 when it is still 有效 and its 有效期至 has passed
// on today, with ValidityOn the day after 有效期至. It reports whether it
// changed d. Any other 有效性 is left as it is: 废止 and 已修订 win.
func (d *Document) ApplyTerm(today Date) bool {
	if d.Validity != ValidityCodeValid && d.Validity != "" {
		return false
	}
	on, lapsed := TermLapsed(d.ValidUntil, today)
	if !lapsed {
		return false
	}
	d.Validity, d.ValidityOn = ValidityCodeExpired, on
	return true
}
