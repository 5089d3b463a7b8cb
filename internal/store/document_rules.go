package store

import (
	"html"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/sanitize"
	"gongkai/internal/taxonomy"
)

// The rules a document's metadata must meet. checkDocument is pure: the
// store hands it the site's columns and today's date, so the rules are
// tested with tables (document_rules_test.go).

// columnIndex finds a site's columns by slug, path or unambiguous name, as
// forms, API clients and import files name them.
type columnIndex map[string]*gongkai.Column

// newColumnIndex indexes the columns documents may be listed in: document
// lists, the 制度 column and the 年报 column (which validate keeps for
// annual reports, checkReportColumns).
func newColumnIndex(cols []*gongkai.Column) columnIndex {
	ix := columnIndex{}
	names := map[string]int{}
	for _, c := range cols {
		if !documentColumn(c) {
			continue
		}
		names[c.Name]++
	}
	for _, c := range cols {
		if !documentColumn(c) {
			continue
		}
		ix[c.Slug] = c
		ix[c.Path] = c
		ix[strings.Trim(c.Path, "/")] = c
		ix[strings.TrimPrefix(strings.Trim(c.Path, "/"), "xxgk/")] = c
		if names[c.Name] == 1 {
			ix[c.Name] = c
		}
	}
	return ix
}

// documentColumn reports whether documents may be listed in c.
func documentColumn(c *gongkai.Column) bool {
	switch taxonomy.Kind(c.Kind) {
	case taxonomy.KindList, taxonomy.KindSystem, taxonomy.KindReport:
		return true
	}
	return false
}

// requiresDocNo reports whether documents in the column are 规章 or
// 行政规范性文件, which must carry a 发文字号 and a 成文日期.
func requiresDocNo(c *gongkai.Column) bool { return c.Slug == "gz" || c.Slug == "gfxwj" }

// maxKeywords and the other limits keep catalogue fields to what a 目录
// row can show.
const (
	maxTitle    = 200
	maxSummary  = 1000
	maxKeywords = 10
	maxKeyword  = 20
	maxIssuers  = 10
	maxIssuer   = 100
	maxReason   = 500
	maxRevNote  = 500
)

// checkDocument canonicalises d's fields (codes for labels, column slugs,
// trimmed lists) and returns every problem. With complete set it also
// applies the rules for submission and publication: what the genre and
// column require, and that only 主动公开 information goes to the portal.
func checkDocument(d *gongkai.Document, cols columnIndex, today gongkai.Date, complete bool) gongkai.Problems {
	var p gongkai.Problems
	d.Title = strings.TrimSpace(d.Title)
	switch n := utf8.RuneCountInString(d.Title); {
	case n == 0:
		p.Add("title", "请填写标题。")
	case n > maxTitle:
		p.Add("title", "标题不能超过200个字。")
	}
	d.Summary = strings.TrimSpace(d.Summary)
	if utf8.RuneCountInString(d.Summary) > maxSummary {
		p.Add("summary", "内容概述不能超过1000个字。")
	}
	d.Keywords = cleanList(d.Keywords)
	if len(d.Keywords) > maxKeywords {
		p.Add("keywords", "关键词最多填写10个。")
	}
	for _, k := range d.Keywords {
		if utf8.RuneCountInString(k) > maxKeyword {
			p.Add("keywords", "关键词“"+k+"”过长，每个关键词不超过20个字。")
			break
		}
	}
	d.Issuers = cleanList(d.Issuers)
	if len(d.Issuers) > maxIssuers {
		p.Add("issuers", "发文机关最多填写10个。")
	}
	for _, s := range d.Issuers {
		if utf8.RuneCountInString(s) > maxIssuer {
			p.Add("issuers", "发文机关名称“"+s+"”过长。")
			break
		}
	}
	d.DocNo = strings.TrimSpace(d.DocNo)
	if d.DocNo != "" {
		if err := ident.ValidateDocNumber(d.DocNo); err != nil {
			p.Add("docNo", err.Error())
		}
	}
	if s := strings.TrimSpace(d.Genre); s != "" {
		if g, err := taxonomy.ParseGenre(s); err != nil {
			p.Add("genre", gongkai.ErrorMessage(err))
		} else {
			d.Genre = g.Code
		}
	} else {
		d.Genre = ""
	}
	if s := strings.TrimSpace(d.Topic); s != "" {
		if t, err := taxonomy.ParseTopic(s); err != nil {
			p.Add("topic", gongkai.ErrorMessage(err))
		} else {
			d.Topic = t.Code
		}
	} else {
		d.Topic = ""
	}
	disclosure := taxonomy.DisclosureProactive
	if s := strings.TrimSpace(d.Disclosure); s != "" {
		if v, err := taxonomy.ParseDisclosure(s); err != nil {
			p.Add("disclosure", gongkai.ErrorMessage(err))
		} else {
			disclosure = v
		}
	}
	d.Disclosure = string(disclosure)
	d.DisclosureReason = strings.TrimSpace(d.DisclosureReason)
	switch {
	case !disclosure.NeedsReason():
		d.DisclosureReason = ""
	case d.DisclosureReason == "":
		p.Add("disclosureReason", "公开属性为“"+disclosure.Label()+"”的，须写明理由和依据（如《政府信息公开条例》第十四条、第十五条或第十六条）。")
	case utf8.RuneCountInString(d.DisclosureReason) > maxReason:
		p.Add("disclosureReason", "理由不能超过500个字。")
	}
	p = append(p, checkRequiredDisclosure(d)...)
	validity := taxonomy.ValidityValid
	if s := strings.TrimSpace(d.Validity); s != "" {
		if v, err := taxonomy.ParseValidity(s); err != nil {
			p.Add("validity", gongkai.ErrorMessage(err))
		} else {
			validity = v
		}
	}
	d.Validity = string(validity)
	if validity.InForce() {
		d.ValidityOn, d.ReplacedBy = gongkai.Date{}, 0
		// A term that has run out makes the document 失效 from the day
		// after 有效期至, as the daily expiry job would.
		d.ApplyTerm(today)
	} else if d.ValidityOn.IsZero() && complete {
		p.Add("validityOn", "有效性为“"+validity.Label()+"”的，请填写"+validity.Label()+"日期。")
	}
	if d.SignedOn.After(today) {
		p.Add("signedOn", "成文日期不能晚于今天（"+today.Chinese()+"）。")
	}
	if d.FormedOn.After(today) {
		p.Add("formedOn", "形成或变更日期不能晚于今天（"+today.Chinese()+"）。")
	} else if !d.FormedOn.IsZero() && d.FormedOn.Before(d.SignedOn) {
		p.Add("formedOn", "形成或变更日期不能早于成文日期。")
	}
	if d.ValidityOn.After(today) {
		p.Add("validityOn", "有效性变更日期不能晚于今天。")
	}
	p = append(p, gongkai.CheckTerm(d.SignedOn, d.EffectiveOn, d.ValidUntil)...)
	var slugs []string
	var docNoColumn *gongkai.Column
	seen := map[string]bool{}
	for _, s := range d.Columns {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		c := cols[s]
		if c == nil {
			p.Add("columns", "栏目“"+s+"”不存在，或不能在其中发布文件。")
			continue
		}
		if !seen[c.Slug] {
			seen[c.Slug] = true
			slugs = append(slugs, c.Slug)
		}
		if requiresDocNo(c) && docNoColumn == nil {
			docNoColumn = c
		}
	}
	d.Columns = slugs
	for _, rel := range []struct {
		name string
		ids  *[]int64
	}{{"interprets", &d.Interprets}, {"repeals", &d.Repeals}, {"amends", &d.Amends}} {
		var out []int64
		seenID := map[int64]bool{}
		for _, id := range *rel.ids {
			switch {
			case id <= 0:
				p.Add(rel.name, "关联文件的编号不正确。")
			case id == d.ID && d.ID != 0:
				p.Add(rel.name, "不能关联文件自身。")
			case !seenID[id]:
				seenID[id] = true
				out = append(out, id)
			}
		}
		*rel.ids = out
	}
	d.RevisionNote = strings.TrimSpace(d.RevisionNote)
	if utf8.RuneCountInString(d.RevisionNote) > maxRevNote {
		p.Add("revisionNote", "修订说明不能超过500个字。")
	}
	if !complete {
		return p
	}
	if len(d.Attachments) == 0 && (d.Body == "" || len(d.Body) < 200 && strings.TrimSpace(sanitize.PlainText(d.Body)) == "") {
		p.Add("body", "请填写正文或上传附件。")
	}
	if d.Genre == "" && p.For("genre") == "" {
		p.Add("genre", "请选择公文种类。")
	}
	if d.Topic == "" && p.For("topic") == "" {
		p.Add("topic", "请选择主题分类。")
	}
	if len(d.Columns) == 0 && p.For("columns") == "" {
		p.Add("columns", "请至少选择一个发布栏目。")
	}
	if docNoColumn != nil {
		if d.DocNo == "" {
			p.Add("docNo", docNoColumn.Name+"须填写发文字号，格式如“示政办发〔2024〕5号”。")
		}
		if d.SignedOn.IsZero() {
			p.Add("signedOn", docNoColumn.Name+"须填写成文日期。")
		}
	} else if d.Genre != "" && d.Genre != taxonomy.GenreOther.Code && d.SignedOn.IsZero() {
		p.Add("signedOn", "公文须填写成文日期。")
	}
	if !disclosure.Public() && p.For("disclosure") == "" {
		p.Add("disclosure", "公开属性为“"+disclosure.Label()+"”的文件不在网站上主动公开，不能提交发布；如需主动公开，请将公开属性改为“主动公开”。")
	}
	if d.Version > 0 && d.RevisionNote == "" {
		p.Add("revisionNote", "修订已发布的文件时，请填写修订说明；说明将在网站的修订记录中公开。")
	}
	return p
}

// cleanList trims the items, drops empty ones and duplicates, and splits
// items typed as one comma- or 顿号-separated line.
func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' }) {
			part = strings.TrimSpace(part)
			if part != "" && !seen[part] {
				seen[part] = true
				out = append(out, part)
			}
		}
	}
	return out
}

// cleanBody sanitises a body and returns what the editor should be told.
// A body without any markup is plain text: each line becomes a paragraph.
func cleanBody(in string) (string, string) {
	if !strings.Contains(in, "<") {
		var b strings.Builder
		for _, line := range strings.Split(strings.ReplaceAll(in, "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString("<p>")
				b.WriteString(html.EscapeString(line))
				b.WriteString("</p>")
			}
		}
		return b.String(), ""
	}
	if simpleMarkup(in) {
		return in, ""
	}
	r := sanitize.Body(in)
	return r.HTML, r.Notice()
}

// simpleTags are the elements a body may carry for simpleMarkup, none with
// attributes except the sanitiser's alignment classes on blocks and cells.
var simpleTags = map[string]bool{
	"p": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "br": true, "hr": true, "blockquote": true,
	"strong": true, "b": true, "em": true, "i": true, "u": true, "sub": true, "sup": true,
	"ul": true, "ol": true, "li": true, "table": true, "caption": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
}

// simpleMarkup reports whether a body is already in the form the sanitiser
// produces for plain structured text: only allowlisted elements, properly
// nested, no attributes but class="ta-center" or "ta-right", entities well
// formed, no line breaks (which the sanitiser rewrites between Chinese
// characters). Such a body can run no code and is stored as it is, which
// spares bulk imports of clean archives the cost of a full parse. Anything
// else goes through sanitize.Body.
func simpleMarkup(s string) bool {
	var stack []string
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '\n', '\r', '>', 0:
			return false
		case '&':
			j := i + 1
			if j < len(s) && s[j] == '#' {
				j++
				for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			} else {
				for j < len(s) && j-i <= 10 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
					j++
				}
			}
			if j == i+1 || j >= len(s) || s[j] != ';' || (s[i+1] == '#' && j == i+2) {
				return false
			}
			i = j + 1
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return false
			}
			tag := s[i+1 : i+end]
			i += end + 1
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name, attr, _ := strings.Cut(tag, " ")
			if !simpleTags[name] {
				return false
			}
			if attr != "" {
				if closing || (attr != `class="ta-center"` && attr != `class="ta-right"`) {
					return false
				}
				switch name {
				case "p", "h2", "h3", "h4", "h5", "h6", "td", "th":
				default:
					return false
				}
			}
			switch {
			case name == "br" || name == "hr":
				if closing {
					return false
				}
			case closing:
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return false
				}
				stack = stack[:len(stack)-1]
			default:
				stack = append(stack, name)
			}
		default:
			i++
		}
	}
	return len(stack) == 0
}

// checkRequiredDisclosure: information published with personal data
// because the law requires it (惩戒公示 …) must say which law, since that
// reason is what turns the personal-data findings of the content checks
// into warnings.
func checkRequiredDisclosure(d *gongkai.Document) gongkai.Problems {
	var p gongkai.Problems
	d.RequiredDisclosureReason = strings.TrimSpace(d.RequiredDisclosureReason)
	switch {
	case !d.RequiredDisclosure:
		d.RequiredDisclosureReason = ""
	case d.RequiredDisclosureReason == "":
		p.Add("requiredDisclosureReason", "标注为依法公开个人信息的，须写明法律依据（如“失信被执行人名单公布”“行政处罚决定公开”）。")
	case utf8.RuneCountInString(d.RequiredDisclosureReason) > maxReason:
		p.Add("requiredDisclosureReason", "依据不能超过500个字。")
	}
	return p
}
