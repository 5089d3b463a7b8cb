package taxonomy

import (
	"fmt"
	"strings"

	"gongkai"
)

// Validity is a Document's 有效性. The 政府网站发展指引 requires amended,
// repealed and expired documents to be marked on the original (statutes §4
// [S44]); real 目录 pages show the field as 有效性 (e.g. 有效) [S42].
type Validity string

// The four values of 有效性 (issue 3, item 1). The codes are stored and sent
// in the API; never change them.
const (
	ValidityValid    Validity = gongkai.ValidityCodeValid   // 有效
	ValidityExpired  Validity = gongkai.ValidityCodeExpired // 失效: its term ran out (set by hand or by the expiry job)
	ValidityRepealed Validity = "repealed"                  // 废止: withdrawn by a later decision
	ValidityAmended  Validity = "amended"                   // 已修订: replaced by an amended version
)

var validityLabels = []struct {
	v     Validity
	label string
}{
	{ValidityValid, "有效"},
	{ValidityExpired, "失效"},
	{ValidityRepealed, "废止"},
	{ValidityAmended, "已修订"},
}

// Validities returns the four values in display order.
func Validities() []Validity {
	out := make([]Validity, len(validityLabels))
	for i, l := range validityLabels {
		out[i] = l.v
	}
	return out
}

// Valid reports whether v is one of the four values.
func (v Validity) Valid() bool { return v.Label() != "" }

// Label returns the Chinese label, or "" for an unknown value.
func (v Validity) Label() string {
	for _, l := range validityLabels {
		if l.v == v {
			return l.label
		}
	}
	return ""
}

// InForce reports whether the document still applies. Only 有效 does: an
// amended document is superseded by its new version.
func (v Validity) InForce() bool { return v == ValidityValid }

// ParseValidity accepts a code or a label; unknown values are an EINVALID
// error on the field "validity".
func ParseValidity(s string) (Validity, error) {
	s = strings.TrimSpace(s)
	for _, l := range validityLabels {
		if s == string(l.v) || s == l.label {
			return l.v, nil
		}
	}
	return "", gongkai.FieldError("validity", fmt.Sprintf("有效性“%s”不正确，应为有效、失效、废止或已修订。", s))
}

// Disclosure is a Document's 公开属性, decided when it is drafted: every 公文
// carries 主动公开, 依申请公开 or 不予公开, and a document that is not
// disclosed proactively needs a stated legal reason (国办发〔2016〕80号,
// statutes §7 [S72]). Only 主动公开 ever reaches the portal.
type Disclosure string

// The three values of 公开属性. The codes are stored and sent in the API.
const (
	DisclosureProactive Disclosure = "proactive"  // 主动公开
	DisclosureOnRequest Disclosure = "on_request" // 依申请公开
	DisclosureWithheld  Disclosure = "withheld"   // 不予公开
)

var disclosureLabels = []struct {
	d     Disclosure
	label string
}{
	{DisclosureProactive, "主动公开"},
	{DisclosureOnRequest, "依申请公开"},
	{DisclosureWithheld, "不予公开"},
}

// Disclosures returns the three values in display order.
func Disclosures() []Disclosure {
	out := make([]Disclosure, len(disclosureLabels))
	for i, l := range disclosureLabels {
		out[i] = l.d
	}
	return out
}

// Valid reports whether d is one of the three values.
func (d Disclosure) Valid() bool { return d.Label() != "" }

// Label returns the Chinese label, or "" for an unknown value.
func (d Disclosure) Label() string {
	for _, l := range disclosureLabels {
		if l.d == d {
			return l.label
		}
	}
	return ""
}

// Public reports whether a document with this attribute may be published
// on the portal.
func (d Disclosure) Public() bool { return d == DisclosureProactive }

// NeedsReason reports whether the attribute must come with a reason. 80号
// requires legal reasons for not disclosing (statutes §7 [S72]); we read
// that as covering 依申请公开 too, since it also keeps the document off the
// portal.
func (d Disclosure) NeedsReason() bool {
	return d == DisclosureOnRequest || d == DisclosureWithheld
}

// ParseDisclosure accepts a code or a label; unknown values are an EINVALID
// error on the field "disclosure".
func ParseDisclosure(s string) (Disclosure, error) {
	s = strings.TrimSpace(s)
	for _, l := range disclosureLabels {
		if s == string(l.d) || s == l.label {
			return l.d, nil
		}
	}
	return "", gongkai.FieldError("disclosure", fmt.Sprintf("公开属性“%s”不正确，应为主动公开、依申请公开或不予公开。", s))
}
