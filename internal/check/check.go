// Package check finds what must not be published: personal data, malformed
// 发文字号, wrong forms of official names and common words, sensitive words,
// leftover placeholders and third-party content, and inconsistent years and
// dates. It is the rule engine behind the pre-publication checks of the 三审
// review and the `gongkai check` command.
//
// The package is pure: text (or a document's parts) in, findings out, no
// I/O and no clock. A Checker is built once from a Config and is safe for
// concurrent use.
package check

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// Severity says what a finding means for publication.
type Severity string

// Severities. A block finding must be fixed, or overridden with a written
// reason by the last reviewer, before the document is published.
const (
	SeverityBlock Severity = "block"
	SeverityWarn  Severity = "warn"
	SeverityInfo  Severity = "info"
)

// Rule ids. They are stable: stored overrides and admin settings refer to
// them.
const (
	RuleCitizenID            = "pii.citizen_id"
	RuleMobile               = "pii.mobile"
	RuleBankCard             = "pii.bank_card"
	RuleDocNoFormat          = "docno.format"
	RuleWordingOfficial      = "wording.official"
	RuleWordingCommon        = "wording.common"
	RuleDateStyle            = "format.date_style"
	RuleDocNoDigits          = "format.docno_digits"
	RuleSensitive            = "sensitive"
	RulePlaceholder          = "leftover.placeholder"
	RuleThirdParty           = "leftover.third_party"
	RuleYear                 = "consistency.year"
	RuleDate                 = "consistency.date"
	RuleSignedAfterPublished = "consistency.signed_after_published"
	RuleAttachment           = "attachment.unreadable"
)

// RuleInfo describes a rule for admin screens and `--help`.
type RuleInfo struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
}

var ruleInfos = []RuleInfo{
	{RuleCitizenID, SeverityBlock, "公民身份号码"},
	{RuleMobile, SeverityBlock, "手机号码"},
	{RuleBankCard, SeverityBlock, "银行卡号"},
	{RuleDocNoFormat, SeverityBlock, "发文字号格式"},
	{RuleWordingOfficial, SeverityBlock, "官方名称和固定表述"},
	{RuleWordingCommon, SeverityWarn, "常见错别字和不规范词形"},
	{RuleDateStyle, SeverityWarn, "日期书写格式"},
	{RuleDocNoDigits, SeverityWarn, "发文字号数字混用"},
	{RuleSensitive, SeverityBlock, "敏感词"},
	{RulePlaceholder, SeverityBlock, "未替换的占位符"},
	{RuleThirdParty, SeverityBlock, "第三方网站内容"},
	{RuleYear, SeverityWarn, "年份前后不一致"},
	{RuleDate, SeverityWarn, "不存在的日期"},
	{RuleSignedAfterPublished, SeverityWarn, "成文日期晚于发布日期"},
	{RuleAttachment, SeverityWarn, "附件无法读取"},
}

// Rules returns every rule with its default severity and Chinese title, in
// a stable order.
func Rules() []RuleInfo { return slices.Clone(ruleInfos) }

// Finding is one problem found in a text.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Start and End are byte offsets of Excerpt in the checked text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Line and Col are 1-based; Col counts characters (runes). Both are 0
	// for findings about metadata rather than text.
	Line int `json:"line"`
	Col  int `json:"col"`
	// Source is "" for the body, else "title", "docNo", "metadata",
	// "field:<name>" or "attachment:<file name>".
	Source     string `json:"source"`
	Excerpt    string `json:"excerpt"`
	Context    string `json:"context"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
	Reason     string `json:"reason"`
}

// Config configures a Checker. The zero Config checks everything with the
// shipped dictionary and no sensitive words.
type Config struct {
	// Dictionary replaces the shipped dictionary when not nil.
	Dictionary *Dictionary
	// ExtraEntries are a site's own dictionary entries, added to Dictionary.
	ExtraEntries []Entry
	// AllowTerms are a site's allow-listed terms: a wording, sensitive-word
	// or leftover finding that overlaps one of them is not reported, and a
	// dictionary entry whose wrong form is allow-listed is switched off.
	AllowTerms []string
	// SiteAllowDomains are domains that may appear in published text besides
	// gov.cn (the site's own domain, 人民网 …); subdomains are included.
	SiteAllowDomains []string
	// SensitiveWords is the admin-managed sensitive word list
	// (SampleSensitiveWords is a neutral sample for tests and demos).
	SensitiveWords []string
	// ThirdPartyNames adds names of commercial sites whose mention in a
	// document means copied content, to the shipped list.
	ThirdPartyNames []string
	// Rules limits checking to these rule ids; empty means all.
	Rules []string
}

// Options describe the text being checked.
type Options struct {
	// Source is copied into each finding ("" for the body).
	Source string
	// RequiredDisclosure marks a legally required disclosure (惩戒公示,
	// 强制性信息披露): personal-data findings become warnings and carry
	// DisclosureReason.
	RequiredDisclosure bool
	DisclosureReason   string
	// Title is the document's title, for the year consistency rule.
	Title string
	// SignedOn and PublishedOn are the 成文日期 and 发布日期, when known.
	SignedOn    gongkai.Date
	PublishedOn gongkai.Date
}

// Checker runs the rules. Build it once with New; it is safe for
// concurrent use.
type Checker struct {
	enabled     map[string]bool
	words       *wordMatcher
	sensitive   *sensitiveMatcher
	allowDomain []string
	fingerprint string
	dictVersion string
}

// New builds a Checker. Errors are *gongkai.Error naming the config field.
func New(cfg Config) (*Checker, error) {
	c := &Checker{enabled: map[string]bool{}}
	known := map[string]bool{}
	for _, r := range ruleInfos {
		known[r.ID] = true
	}
	for _, r := range cfg.Rules {
		if !known[r] {
			return nil, gongkai.FieldError("rules", fmt.Sprintf("没有名为“%s”的检查规则", r))
		}
		c.enabled[r] = true
	}
	if len(cfg.Rules) == 0 {
		for r := range known {
			c.enabled[r] = true
		}
	}
	dict := cfg.Dictionary
	if dict == nil {
		dict = DefaultDictionary()
	}
	c.dictVersion = dict.Version
	entries := slices.Concat(dict.Entries, cfg.ExtraEntries)
	for i, e := range cfg.ExtraEntries {
		if msg := validateEntry(e); msg != "" {
			return nil, gongkai.FieldError("extraEntries", fmt.Sprintf("第%d条：%s", i+1, msg))
		}
	}
	c.words = newWordMatcher(entries, cfg.AllowTerms, slices.Concat(thirdPartyNames, cfg.ThirdPartyNames))
	c.sensitive = newSensitiveMatcher(cfg.SensitiveWords)
	for _, d := range cfg.SiteAllowDomains {
		d = strings.ToLower(strings.Trim(strings.TrimSpace(d), "."))
		if d != "" {
			c.allowDomain = append(c.allowDomain, d)
		}
	}
	c.fingerprint = fingerprint(entries, cfg)
	return c, nil
}

// engineVersion changes whenever a rule changes what it reports, so that
// stored fingerprints of published documents go stale.
const engineVersion = "check/1"

func fingerprint(entries []Entry, cfg Config) string {
	h := sha256.New()
	fmt.Fprintln(h, engineVersion)
	for _, e := range entries {
		fmt.Fprintf(h, "e\x00%s\x00%s\x00%s\x00%s\n", e.Wrong, e.Right, e.Class, strings.Join(e.Except, "\x00"))
	}
	for _, list := range [][]string{cfg.AllowTerms, cfg.SiteAllowDomains, cfg.SensitiveWords, cfg.ThirdPartyNames, cfg.Rules} {
		s := slices.Sorted(slices.Values(list))
		fmt.Fprintf(h, "l\x00%s\n", strings.Join(s, "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Fingerprint identifies the rules and lists this Checker applies. Store it
// with a document's check results: when it changes (a dictionary or list was
// edited, or gongkai was upgraded) published documents should be rechecked.
func (c *Checker) Fingerprint() string { return c.fingerprint }

// DictionaryVersion returns the version of the base dictionary in use.
func (c *Checker) DictionaryVersion() string { return c.dictVersion }

// AutomatonMemory returns the bytes held by the matching automata (the
// dictionary with third-party names and allow terms, and the sensitive
// words).
func (c *Checker) AutomatonMemory() int {
	return c.words.ac.memory() + c.words.except.ac.memory() + c.words.allow.ac.memory() + c.sensitive.ac.memory()
}

func (c *Checker) on(rule string) bool { return c.enabled[rule] }

// Check checks text and returns its findings ordered by position.
func (c *Checker) Check(text string, opts Options) []Finding {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	col := &collector{text: text, source: opts.Source}
	if c.on(RuleWordingOfficial) || c.on(RuleWordingCommon) || c.on(RuleThirdParty) {
		c.words.check(col)
	}
	if c.on(RuleSensitive) {
		c.sensitive.check(col)
	}
	if c.on(RulePlaceholder) {
		checkPlaceholders(col)
	}
	if c.on(RuleThirdParty) {
		c.checkURLs(col)
	}
	st := &textState{}
	if c.on(RuleYear) && opts.Source == "" && opts.Title != "" {
		st.titleYears = yearsIn(opts.Title)
		st.wantYears = len(st.titleYears) > 0
	}
	if c.on(RuleCitizenID) || c.on(RuleMobile) || c.on(RuleBankCard) || c.on(RuleDate) || c.on(RuleDateStyle) || c.on(RuleYear) || c.on(RuleDocNoFormat) || c.on(RuleDocNoDigits) {
		c.checkNumbers(col, st)
	}
	if c.on(RuleDocNoFormat) || c.on(RuleDocNoDigits) || c.on(RuleYear) {
		c.checkDocNos(col, st)
	}
	if c.on(RuleDate) || c.on(RuleDateStyle) || c.on(RuleYear) {
		c.checkChineseDates(col, st)
	}
	c.checkYears(col, st, opts)
	if c.on(RuleSignedAfterPublished) && !opts.SignedOn.IsZero() && !opts.PublishedOn.IsZero() && opts.SignedOn.After(opts.PublishedOn) && opts.Source == "" {
		col.list = append(col.list, Finding{
			Rule: RuleSignedAfterPublished, Severity: SeverityWarn, Source: "metadata",
			Start: -1, End: -1,
			Excerpt:    "成文日期 " + opts.SignedOn.Chinese(),
			Message:    fmt.Sprintf("成文日期（%s）晚于发布日期（%s），请核对。", opts.SignedOn.Chinese(), opts.PublishedOn.Chinese()),
			Suggestion: "",
			Reason:     "政府信息应在形成之后发布，成文日期不应晚于发布日期",
		})
	}
	return col.finish(c, opts)
}

// collector gathers findings for one text.
type collector struct {
	text   string
	source string
	list   []Finding
}

func (col *collector) add(rule string, sev Severity, start, end int, msg, sugg, reason string) {
	col.list = append(col.list, Finding{
		Rule: rule, Severity: sev, Start: start, End: end,
		Excerpt: col.text[start:end], Message: msg, Suggestion: sugg, Reason: reason,
	})
}

// allowRules are the rules whose findings an allow-listed term suppresses.
var allowRules = map[string]bool{
	RuleWordingOfficial: true, RuleWordingCommon: true, RuleSensitive: true,
	RulePlaceholder: true, RuleThirdParty: true,
}

// finish filters, orders and completes the findings.
func (col *collector) finish(c *Checker, opts Options) []Finding {
	out := col.list[:0]
	for _, f := range col.list {
		if !c.on(f.Rule) {
			continue
		}
		if allowRules[f.Rule] && c.words.allowed(col.text, f.Start, f.End) {
			continue
		}
		if opts.RequiredDisclosure && strings.HasPrefix(f.Rule, "pii.") {
			f.Severity = SeverityWarn
			reason := strings.TrimSpace(opts.DisclosureReason)
			if reason == "" {
				reason = "依法需要公开"
			}
			f.Reason = "本文件标注为依法公开（" + reason + "），个人信息按规定可以公开，请确认公开范围必要、适当"
		}
		f.Source = cmp.Or(f.Source, opts.Source)
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Rule, b.Rule))
	})
	out = slices.CompactFunc(out, func(a, b Finding) bool {
		return a.Start == b.Start && a.End == b.End && a.Rule == b.Rule && a.Message == b.Message
	})
	positions(col.text, out)
	return out
}

// contextRunes is how many characters of context a finding shows on each
// side of its excerpt.
const contextRunes = 15

// positions fills Line, Col and Context of findings sorted by Start, in one
// pass over text.
func positions(text string, fs []Finding) {
	line, col, at := 1, 1, 0
	for i := range fs {
		f := &fs[i]
		if f.Start < 0 {
			f.Start, f.End = 0, 0
			continue
		}
		for at < f.Start {
			r, n := utf8.DecodeRuneInString(text[at:])
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			at += n
		}
		f.Line, f.Col = line, col
		f.Context = context(text, f.Start, f.End)
	}
}

func context(text string, start, end int) string {
	a := start
	for n := 0; n < contextRunes && a > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:a])
		if r == '\n' {
			break
		}
		a -= size
	}
	b := end
	for n := 0; n < contextRunes && b < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[b:])
		if r == '\n' {
			break
		}
		b += size
	}
	return text[a:b]
}
