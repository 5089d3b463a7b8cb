// Package letter writes the letters of the 依申请公开 procedure: the reply
// (政府信息公开申请答复告知书, worded for each of the 21 outcomes), the 补正告知书,
// the 延期答复告知书, the 征求第三方意见书, the 征求意见函 to a co-making organ and
// the 收费通知.
//
// A template is a title and a body of lines with slots in braces, such as
// {申请人} or {收到日期}. Each line is a paragraph: a line starting with "|"
// is set flush left (the salutation), one starting with ">" is set right
// (the organ and the date), and one starting with "?" is left out when any
// of its slots is empty. Admins edit the wording per org; the slots are a
// fixed list, so no template can print what the product does not supply,
// and none supplies an ID number or a phone number: letters are sent and
// may be published, and statutes §12 forbids both there. As a second
// guard, Render masks anything in the text that is a valid 居民身份证号码 or a
// mobile number.
//
// The package is pure apart from writing to the io.Writer given.
package letter

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/docx"
	"gongkai/internal/ident"
)

// Template is a letter's wording.
type Template struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Slot is a value a template can print.
type Slot struct {
	Name string // as written in templates, without braces
	Help string
}

// Slots lists every slot, for the template editor's help text.
var Slots = []Slot{
	{"编号", "申请的查询编号"},
	{"申请人", "申请人姓名或名称"},
	{"通信地址", "申请人的通信地址"},
	{"邮政编码", "申请人的邮政编码"},
	{"机关", "受理申请的机关全称"},
	{"收到日期", "收到申请之日，如2024年3月5日"},
	{"申请内容", "所申请政府信息的名称、文号或描述"},
	{"载体形式", "申请人要求的载体形式"},
	{"获取方式", "申请人要求的获取方式"},
	{"日期", "文书的日期（办理记录的日期）"},
	{"答复日期", "答复日期"},
	{"办理结果", "办理结果（年度报告表三的项目）"},
	{"法律依据", "答复的法律依据"},
	{"理由", "答复或延期的理由说明"},
	{"提供信息", "提供的政府信息（名称、文号、索引号或网址）"},
	{"不予公开内容", "部分公开时不予公开的内容"},
	{"不掌握说明", "本机关不掌握时的说明：信息不存在，或负责公开的机关及其联系方式"},
	{"答复正文", "答复时填写的补充内容"},
	{"补正事项", "需要补正的事项"},
	{"补正期限", "补正期限"},
	{"补正通知日期", "通知补正的日期"},
	{"延期天数", "延长的工作日数"},
	{"原答复期限", "延期前的答复期限"},
	{"延期后答复期限", "延期后的答复期限"},
	{"第三方", "被征求意见的第三方或共同制作机关"},
	{"意见期限", "第三方或共同制作机关提出意见的期限（15个工作日）"},
	{"收费方式", "按件计收或按量计收"},
	{"收费数量", "计费的件数或页数"},
	{"收费明细", "分段计费明细"},
	{"收费金额", "应缴金额（元）"},
	{"收费通知日期", "发出收费通知的日期"},
	{"缴费期限", "缴费期限"},
	{"缴费方式", "缴费方式"},
	{"复议机关", "行政复议机关"},
}

var slotNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range Slots {
		m[s.Name] = true
	}
	return m
}()

var slotPattern = regexp.MustCompile(`\{([^{}]*)\}`)

// Data are the slot values of one letter.
type Data map[string]string

// Keys lists every template key: "reply.<outcome>" for the 21 outcomes,
// then the notices.
func Keys() []string {
	var keys []string
	for _, o := range gongkai.Outcomes {
		keys = append(keys, ReplyKey(o))
	}
	for _, k := range []gongkai.LetterKind{gongkai.LetterSupplement, gongkai.LetterExtension, gongkai.LetterThirdParty, gongkai.LetterCoMaker, gongkai.LetterFee} {
		keys = append(keys, string(k))
	}
	return keys
}

// ReplyKey is the template key of the reply for outcome o.
func ReplyKey(o gongkai.Outcome) string { return string(gongkai.LetterReply) + "." + string(o) }

// ValidKey reports whether key names a template.
func ValidKey(key string) bool {
	_, ok := defaults[key]
	return ok
}

// Label names a template for people: "答复告知书（予以公开）".
func Label(key string) string {
	if o, ok := strings.CutPrefix(key, string(gongkai.LetterReply)+"."); ok {
		return "答复告知书（" + gongkai.Outcome(o).Label() + "）"
	}
	switch gongkai.LetterKind(key) {
	case gongkai.LetterSupplement:
		return "补正告知书"
	case gongkai.LetterExtension:
		return "延期答复告知书"
	case gongkai.LetterThirdParty:
		return "征求第三方意见书"
	case gongkai.LetterCoMaker:
		return "征求意见函（共同制作机关）"
	case gongkai.LetterFee:
		return "收费通知"
	}
	return key
}

// Default returns the built-in wording of a template.
func Default(key string) (Template, bool) {
	t, ok := defaults[key]
	return t, ok
}

// Validate checks a template an admin wrote: a title, a body, and only
// known slots with balanced braces.
func (t *Template) Validate() error {
	var p gongkai.Problems
	t.Title = strings.TrimSpace(t.Title)
	t.Body = strings.TrimSpace(strings.ReplaceAll(t.Body, "\r\n", "\n"))
	switch {
	case t.Title == "":
		p.Add("title", "请填写文书标题。")
	case utf8.RuneCountInString(t.Title) > 60:
		p.Add("title", "文书标题不能超过60个字。")
	}
	switch {
	case t.Body == "":
		p.Add("body", "请填写文书正文。")
	case utf8.RuneCountInString(t.Body) > 20000:
		p.Add("body", "文书正文不能超过20000个字。")
	default:
		var unknown []string
		for _, m := range slotPattern.FindAllStringSubmatch(t.Body+t.Title, -1) {
			if !slotNames[m[1]] {
				unknown = append(unknown, "{"+m[1]+"}")
			}
		}
		stripped := slotPattern.ReplaceAllString(t.Body+t.Title, "")
		switch {
		case len(unknown) > 0:
			p.Add("body", "文书中有不认识的填充项："+strings.Join(unknown, "、")+"。可用的填充项见下方说明。")
		case strings.ContainsAny(stripped, "{}"):
			p.Add("body", "文书中的大括号不成对：填充项应写成 {申请人} 这样的形式。")
		}
	}
	return p.Err()
}

// Align is how a paragraph of a letter is set.
type Align string

// The three settings of a line.
const (
	AlignBody  = Align("body")  // indented two characters
	AlignFlush = Align("flush") // flush left
	AlignRight = Align("right") // right, for the organ and the date
)

// Para is one paragraph of a letter.
type Para struct {
	Text  string
	Align Align
}

// Letter is a rendered letter.
type Letter struct {
	Title string
	Paras []Para
}

// Render fills a template with data. Unknown or empty slots print as
// nothing; a "?" line with an empty slot is left out; personal
// identifiers in the result are masked.
func Render(t Template, d Data) Letter {
	fill := func(s string) (string, bool) {
		complete := true
		out := slotPattern.ReplaceAllStringFunc(s, func(m string) string {
			v := strings.TrimSpace(d[m[1:len(m)-1]])
			if v == "" {
				complete = false
			}
			return v
		})
		return Mask(out), complete
	}
	title, _ := fill(t.Title)
	l := Letter{Title: title}
	for _, line := range strings.Split(strings.ReplaceAll(t.Body, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		optional := strings.HasPrefix(line, "?") || strings.HasPrefix(line, "？")
		if optional {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "?"), "？"))
		}
		align := AlignBody
		switch {
		case strings.HasPrefix(line, "|"):
			align, line = AlignFlush, strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, ">"):
			align, line = AlignRight, strings.TrimSpace(line[1:])
		}
		text, complete := fill(line)
		if strings.TrimSpace(text) == "" || (optional && !complete) {
			continue
		}
		l.Paras = append(l.Paras, Para{Text: text, Align: align})
	}
	return l
}

var digitRun = regexp.MustCompile(`\d+[Xx]?`)

// Mask hides every valid 18-digit 居民身份证号码 and every mobile number in
// s (35*************123, 138****1234), so that no letter carries them.
func Mask(s string) string {
	return digitRun.ReplaceAllStringFunc(s, func(run string) string {
		if len(run) == 18 {
			if _, err := ident.ParseCitizenID(run); err == nil {
				return ident.MaskCitizenID(run)
			}
		}
		digits, x := run, ""
		if last := run[len(run)-1]; last == 'X' || last == 'x' {
			digits, x = run[:len(run)-1], run[len(run)-1:]
		}
		switch {
		case len(digits) == 11 && ident.IsMobile(digits):
			return ident.MaskMobile(digits) + x
		case len(digits) == 13 && strings.HasPrefix(digits, "86") && ident.IsMobile(digits[2:]):
			return "86" + ident.MaskMobile(digits[2:]) + x
		}
		return run
	})
}

// WriteDOCX writes the letter as a Word document in the layout of
// official documents (internal/docx).
func (l Letter) WriteDOCX(w io.Writer, author string) error {
	d := docx.New()
	d.SetProperties(l.Title, author)
	d.Title(l.Title)
	for _, p := range l.Paras {
		switch p.Align {
		case AlignFlush:
			d.Para(docx.Para{Text: p.Text, Style: docx.StylePlain})
		case AlignRight:
			d.Para(docx.Para{Text: p.Text, Style: docx.StylePlain, Align: docx.AlignRight})
		default:
			d.Para(docx.Para{Text: p.Text})
		}
	}
	_, err := d.WriteTo(w)
	return err
}

// Text is the letter as plain text, for tests and e-mail.
func (l Letter) Text() string {
	var b strings.Builder
	b.WriteString(l.Title)
	b.WriteString("\n")
	for _, p := range l.Paras {
		switch p.Align {
		case AlignRight:
			b.WriteString("\t\t")
		case AlignBody:
			b.WriteString("　　")
		}
		b.WriteString(p.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// Input is what a letter is built from.
type Input struct {
	App       *gongkai.Application
	Applicant *gongkai.Applicant
	// Event is the ledger event the letter is about (the 补正 notice, the
	// extension, the consultation, the fee notice); nil for the reply.
	Event *gongkai.ApplicationEvent
	// ReconsiderationBody is the 行政复议机关 of the org (see
	// ReconsiderationBody).
	ReconsiderationBody string
}

// ReconsiderationBody names the body that hears a 行政复议 against org under
// the 行政复议法 as revised in 2023 (in force 2024-01-01): for a department,
// the people's government at its level (parent); for a government, the
// government one level up. Special regimes (海关、金融、税务、国家安全 and other
// vertically managed organs) are left to the admin's wording.
func ReconsiderationBody(org, parent *gongkai.Org) string {
	switch {
	case org != nil && org.Kind == gongkai.OrgDepartment && parent != nil:
		return parent.Name
	case parent != nil:
		return parent.Name
	}
	return "上一级人民政府"
}

// Build computes the slot values for a letter.
func Build(in Input) Data {
	a := in.App
	d := Data{
		"编号":   a.TrackingNo,
		"机关":   a.OrgName,
		"收到日期": a.ReceivedOn.Chinese(),
		"申请内容": a.Request.Summary(),
		"获取方式": a.Request.Delivery.Label(),
		"载体形式": a.Request.Form.Label(),
		"复议机关": in.ReconsiderationBody,
	}
	if a.Request.Form == gongkai.FormOther && a.Request.FormOther != "" {
		d["载体形式"] = a.Request.FormOther
	}
	if p := in.Applicant; p != nil {
		d["申请人"] = p.Name
		d["通信地址"] = p.Address
		d["邮政编码"] = p.PostCode
	}
	if e := a.LastEvent(gongkai.EventSupplementRequested); e != nil {
		d["补正通知日期"], d["补正期限"], d["补正事项"] = e.Date.Chinese(), e.Deadline.Chinese(), e.Items
	}
	if e := a.LastEvent(gongkai.EventFeeNotified); e != nil {
		d["收费通知日期"] = e.Date.Chinese()
	}
	if c := a.Clock; c != nil && !c.FeeDeadline.IsZero() {
		d["缴费期限"] = c.FeeDeadline.Chinese()
	}
	if r := a.Reply; r != nil {
		d["答复日期"], d["日期"] = r.Date.Chinese(), r.Date.Chinese()
		d["办理结果"] = r.Outcome.Label()
		d["法律依据"], d["理由"], d["答复正文"] = r.Basis, strings.TrimRight(r.Reason, "。"), r.Content
		d["提供信息"] = strings.Join(r.Provided, "；")
		d["不予公开内容"] = r.Withheld
		switch r.NotHeld {
		case gongkai.NotHeldNotExist:
			d["不掌握说明"] = "经检索，本机关没有制作或者获取您所申请的政府信息，该政府信息不存在。"
		case gongkai.NotHeldOtherOrgan:
			s := "您所申请的政府信息不属于本机关负责公开。经了解，该政府信息由" + r.OtherOrgan + "负责公开"
			if r.OtherOrganContact != "" {
				s += "，联系方式：" + r.OtherOrganContact
			}
			d["不掌握说明"] = s + "，建议您向该机关咨询或者提出申请。"
		}
	}
	if e := in.Event; e != nil {
		d["日期"] = e.Date.Chinese()
		switch e.Type {
		case gongkai.EventSupplementRequested:
			d["补正通知日期"], d["补正期限"], d["补正事项"] = e.Date.Chinese(), e.Deadline.Chinese(), e.Items
		case gongkai.EventExtended:
			d["延期天数"] = fmt.Sprint(e.Days)
			d["理由"] = strings.TrimRight(e.Note, "。")
			for _, l := range extensionLine(a, e) {
				d["原答复期限"], d["延期后答复期限"] = l.OldDue.Chinese(), l.NewDue.Chinese()
			}
		case gongkai.EventThirdPartyConsulted, gongkai.EventCoMakerConsulted:
			d["第三方"] = e.Party
			d["意见期限"] = "自收到本文书之日起15个工作日内"
		case gongkai.EventFeeNotified:
			d["收费通知日期"] = e.Date.Chinese()
			if f := e.Fee; f != nil {
				d["收费方式"] = f.Method.Label()
				unit := "件"
				if f.Method == gongkai.FeePerPage {
					unit = "页"
				}
				d["收费数量"] = fmt.Sprintf("%d%s", f.Quantity, unit)
				if f.Prior > 0 {
					d["收费数量"] += fmt.Sprintf("（本自然月此前已申请%d件）", f.Prior)
				}
				var lines []string
				for _, l := range f.Lines {
					lines = append(lines, fmt.Sprintf("%s，%d%s，%d元", l.Label, l.Count, unit, l.Amount))
				}
				d["收费明细"] = strings.Join(lines, "；")
				d["收费金额"] = fmt.Sprint(f.Amount)
				d["缴费方式"] = f.Payment
			}
			if !e.Deadline.IsZero() {
				d["缴费期限"] = e.Deadline.Chinese()
			}
		}
	}
	return d
}

// extensionLine finds the explanation line of an extension event, which
// says how the due date moved.
func extensionLine(a *gongkai.Application, e *gongkai.ApplicationEvent) []gongkai.ClockLine {
	if a.Clock == nil {
		return nil
	}
	for _, l := range a.Clock.Explanation {
		if l.Kind == string(gongkai.EventExtended) && l.On == e.Date {
			return []gongkai.ClockLine{l}
		}
	}
	return nil
}

// SortedKeys returns keys in the order of Keys, for listings.
func SortedKeys(keys []string) []string {
	order := map[string]int{}
	for i, k := range Keys() {
		order[k] = i
	}
	out := append([]string(nil), keys...)
	sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}
