package check

import (
	"fmt"
	"net/url"
	"strings"

	"gongkai"
	"gongkai/internal/extract"
	"gongkai/internal/ident"
)

// Attachment is a file attached to a document.
type Attachment struct {
	Name string
	Data []byte
}

// Field is a metadata field of a document checked as text (内容概述,
// 发布机构 …); findings carry Source "field:<Name>".
type Field struct {
	Name  string
	Value string
}

// Input is everything about a document that the review checks.
type Input struct {
	Title string
	// BodyHTML is the body as edited; Body is used instead when BodyHTML
	// is empty.
	BodyHTML string
	Body     string
	// DocNo is the 发文字号 metadata field.
	DocNo       string
	SignedOn    gongkai.Date
	PublishedOn gongkai.Date
	// RequiredDisclosure and DisclosureReason: see Options.
	RequiredDisclosure bool
	DisclosureReason   string
	Fields             []Field
	Attachments        []Attachment
}

// CheckDocument checks a document's title, 发文字号, metadata fields, body
// and attachments in one call and returns all findings, in that order of
// parts, each finding's Source naming its part. An attachment whose text
// cannot be read gives an attachment.unreadable warning, so a reviewer
// knows it was not checked.
func (c *Checker) CheckDocument(doc Input) []Finding {
	base := Options{RequiredDisclosure: doc.RequiredDisclosure, DisclosureReason: doc.DisclosureReason}
	var out []Finding
	part := func(text, source string) {
		o := base
		o.Source = source
		out = append(out, c.Check(text, o)...)
	}
	if doc.Title != "" {
		part(doc.Title, "title")
	}
	if doc.DocNo != "" && (c.on(RuleDocNoFormat) || c.on(RuleDocNoDigits)) {
		if f, ok := c.docNoField(doc.DocNo); ok {
			out = append(out, f)
		}
	}
	for _, f := range doc.Fields {
		if strings.TrimSpace(f.Value) != "" {
			part(f.Value, "field:"+f.Name)
		}
	}
	body := doc.Body
	if doc.BodyHTML != "" {
		if text, err := extract.HTMLText(doc.BodyHTML); err == nil {
			body = text
		} else {
			body = doc.BodyHTML
		}
	}
	o := base
	o.Title, o.SignedOn, o.PublishedOn = doc.Title, doc.SignedOn, doc.PublishedOn
	out = append(out, c.Check(body, o)...)
	if doc.BodyHTML != "" && c.on(RuleThirdParty) {
		out = append(out, c.checkLinks(doc.BodyHTML)...)
	}
	for _, a := range doc.Attachments {
		source := "attachment:" + a.Name
		text, err := extract.Text(a.Name, a.Data)
		if err != nil {
			if c.on(RuleAttachment) {
				out = append(out, Finding{
					Rule: RuleAttachment, Severity: SeverityWarn, Source: source,
					Excerpt: a.Name, Message: gongkai.ErrorMessage(err) + "请人工检查该附件。",
					Reason: "附件内容同样属于公开内容，须经检查",
				})
			}
			continue
		}
		part(text, source)
	}
	return out
}

// docNoField checks the 发文字号 metadata field.
func (c *Checker) docNoField(s string) (Finding, bool) {
	s = strings.TrimSpace(s)
	if ident.ValidateDocNumber(s) == nil { // a 发文字号, or the 令 number of a 规章
		return Finding{}, false
	}
	f := Finding{Rule: RuleDocNoFormat, Severity: SeverityBlock, Source: "docNo", End: len(s), Line: 1, Col: 1, Excerpt: s, Context: s, Reason: docNoReason}
	sugg, faults, ok := ident.SuggestDocNo(s)
	switch {
	case ok && len(faults) == 1 && faults[0] == widthFault:
		f.Rule, f.Severity = RuleDocNoDigits, SeverityWarn
		fallthrough
	case ok:
		f.Suggestion = sugg
		f.Message = fmt.Sprintf("发文字号“%s”不规范：%s。应写作“%s”。", s, strings.Join(faults, "；"), sugg)
	default:
		_, err := ident.ParseDocNo(s)
		f.Message = err.Error()
	}
	if !c.on(f.Rule) {
		return Finding{}, false
	}
	return f, true
}

// checkLinks reports links and embedded resources of the body that point
// to hosts that are neither government domains nor allow-listed: the text
// of a link does not show where it leads.
func (c *Checker) checkLinks(bodyHTML string) []Finding {
	var out []Finding
	for _, l := range extract.HTMLLinks(bodyHTML) {
		u, err := url.Parse(strings.TrimSpace(l.URL))
		if err != nil || u.Hostname() == "" {
			continue
		}
		host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
		if c.domainAllowed(host) {
			continue
		}
		out = append(out, Finding{
			Rule: RuleThirdParty, Severity: SeverityBlock, Source: "link",
			Excerpt: l.URL, Context: strings.TrimSpace(l.Text),
			Message: fmt.Sprintf("正文链接指向非政府网站“%s”，请核实并删除；确需保留的，可由管理员将该域名加入本站白名单。", host),
			Reason:  "政府网站不得发布或链接与政务无关的商业内容（国办秘函〔2019〕19号单项否决指标）",
		})
	}
	return out
}
