package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/internal/ident"
)

const docNoReason = "GB/T 9704-2012《党政机关公文格式》7.2.5：发文字号由发文机关代字、年份、发文顺序号组成，年份、发文顺序号用阿拉伯数字标注；年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，不编虚位（即1不编为01），在阿拉伯数字后加“号”字"

// widthFault is ident's message for full-width digits, which this package
// reports under format.docno_digits rather than docno.format.
const widthFault = "发文字号中的数字应使用半角阿拉伯数字"

// checkDocNos reports 发文字号 written in a form other than GB/T 9704's
// (ident.FindDocNos finds them and names the faults), and 文号 whose year or
// number is written in Chinese numerals.
func (c *Checker) checkDocNos(col *collector, st *textState) {
	text := col.text
	if c.on(RuleDocNoFormat) || c.on(RuleDocNoDigits) || c.on(RuleYear) {
		st.docNos = findDocNos(text, st.docCandidates)
	}
	for _, m := range st.docNos {
		if st.wantYears {
			st.years = append(st.years, yearMention{year: m.DocNo.Year, start: m.Start, end: m.End})
		}
		if len(m.Faults) == 0 {
			continue
		}
		rule, sev := RuleDocNoFormat, SeverityBlock
		if len(m.Faults) == 1 && m.Faults[0] == widthFault {
			rule, sev = RuleDocNoDigits, SeverityWarn
		}
		col.add(rule, sev, m.Start, m.End,
			fmt.Sprintf("发文字号“%s”不规范：%s。应写作“%s”。", m.Raw, strings.Join(m.Faults, "；"), m.Canonical),
			m.Canonical, docNoReason)
	}
	if c.on(RuleDocNoDigits) {
		c.chineseDocNos(col, st)
	}
}

// yearOpen are the brackets a 文号 year may sit in, correct or not.
const yearOpen = "〔[［(（【﹝〖"

// isYearOpen reports whether r may open the year of a 文号 (ident accepts
// these brackets).
func isYearOpen(r rune) bool { return strings.ContainsRune("〔[［(（【﹝〖〘⦗", r) }

// findDocNos runs ident.FindDocNos on short windows around the candidate
// years found while reading numbers (and around full-width digits), not on
// the whole text: reading every character of 100 MB costs more than all the
// other rules together. A window reaches 14 characters back, beyond the 12
// that ident takes as the longest 代字, and to the end of a 文号, never past
// a line break, so FindDocNos sees what it would see in the whole text.
func findDocNos(text string, candidates []int) []ident.DocNoMatch {
	for i := 0; ; {
		k := strings.Index(text[i:], "\xef\xbc")
		if k < 0 || i+k+2 >= len(text) {
			break
		}
		i += k + 2
		if d := text[i]; d >= 0x90 && d <= 0x99 {
			candidates = append(candidates, i-2)
		}
	}
	slices.Sort(candidates)
	// Windows around the candidates, merged where they touch.
	var windows [][2]int
	for _, p := range candidates {
		a := p
		for n := 0; n < 16 && a > 0; n++ {
			r, size := utf8.DecodeLastRuneInString(text[:a])
			if r == '\n' {
				break
			}
			a -= size
		}
		b := p
		for n := 0; n < 24 && b < len(text); n++ {
			r, size := utf8.DecodeRuneInString(text[b:])
			if r == '\n' {
				break
			}
			b += size
		}
		if k := len(windows) - 1; k >= 0 && a <= windows[k][1] {
			windows[k][1] = max(windows[k][1], b)
			continue
		}
		windows = append(windows, [2]int{a, b})
	}
	var out []ident.DocNoMatch
	for _, w := range windows {
		for _, m := range ident.FindDocNos(text[w[0]:w[1]]) {
			m.Start += w[0]
			m.End += w[0]
			out = append(out, m)
		}
	}
	return out
}

// chineseDocNos finds 文号 with the year or the number in Chinese numerals:
// 示政发〔二〇二三〕5号, 示政发〔2023〕十二号.
func (c *Checker) chineseDocNos(col *collector, st *textState) {
	text := col.text
	for i := 0; i < len(text); {
		k := strings.IndexAny(text[i:], yearOpen)
		if k < 0 {
			return
		}
		open := i + k
		_, n := utf8.DecodeRuneInString(text[open:])
		i = open + n
		if !unicode.Is(unicode.Han, runeBefore(text, open)) {
			continue
		}
		// Year: four digits, Arabic or Chinese.
		j, year, chineseYear := i, 0, false
		for d := 0; d < 4; d++ {
			yr, size := utf8.DecodeRuneInString(text[j:])
			v, isChinese := chineseDigit(yr)
			switch {
			case yr >= '0' && yr <= '9':
				v = int(yr - '0')
			case isChinese:
				chineseYear = true
			default:
				j = -1
			}
			if j < 0 {
				break
			}
			year = year*10 + v
			j += size
		}
		if j < 0 || j >= len(text) || !strings.ContainsRune("〕]］)）】﹞〗", runeAt(text, j)) {
			continue
		}
		j += utf8.RuneLen(runeAt(text, j))
		// Number: Arabic digits or Chinese numerals, then 号.
		seq, seqEnd, chineseSeq := 0, j, false
		if v, e, ok := readDigits(text, j, 6); ok {
			seq, seqEnd = v, e
		} else if v, e, ok := chineseNumber(text, j); ok {
			seq, seqEnd, chineseSeq = v, e, true
		}
		if seqEnd == j || runeAt(text, seqEnd) != '号' || !chineseYear && !chineseSeq {
			continue
		}
		end := seqEnd + len("号")
		if slices.ContainsFunc(st.docNos, func(m ident.DocNoMatch) bool { return m.Start < end && open < m.End }) {
			continue
		}
		want := "〔" + strconv.Itoa(year) + "〕" + strconv.Itoa(seq) + "号"
		if st.wantYears {
			st.years = append(st.years, yearMention{year: year, start: open, end: end})
		}
		col.add(RuleDocNoDigits, SeverityWarn, open, end,
			fmt.Sprintf("发文字号的年份和顺序号应使用阿拉伯数字，“%s”应写作“%s”。", text[open:end], want), want, docNoReason)
		i = end
	}
}

// forwardGenres are 文种 words of documents that plan ahead: a 2021年…实施方案
// issued in 2022 is a slip, while a 2021年工作总结 issued in 2022 is normal.
var forwardGenres = []string{"方案", "计划", "要点", "安排", "规划"}

// checkYears compares the years of the title with the body's, and the year
// in the name of a cited document with the year of its 发文字号.
func (c *Checker) checkYears(col *collector, st *textState, opts Options) {
	if !c.on(RuleYear) {
		return
	}
	text := col.text
	// A cited document: 《…2021年…实施方案》（示政发〔2023〕5号）.
	for _, m := range st.docNos {
		name, nameStart, ok := citedName(text, m.Start)
		if !ok {
			continue
		}
		y1, y2, ys, ye, ok := nameYears(name)
		if !ok {
			continue
		}
		z := m.DocNo.Year
		forward := false
		for _, g := range forwardGenres {
			forward = forward || strings.Contains(name, g)
		}
		bad := z < y1-1 || z > y2+1 || (y1 == y2 && forward && z > y2) || (y1 != y2 && z > y2)
		if !bad {
			continue
		}
		col.add(RuleYear, SeverityWarn, nameStart+ys, nameStart+ye,
			fmt.Sprintf("文件名称中的年份“%s”与其发文字号“%s”的年份（%d年）不一致，请核对文件名称或文号。", name[ys:ye], m.Raw, z),
			"", "引用文件的名称、文号应与原文一致")
	}
	// The title against the body.
	titleYears := map[int]bool{}
	for _, y := range st.titleYears {
		titleYears[y] = true
	}
	if !st.wantYears || len(st.years) == 0 {
		return
	}
	years := slices.DeleteFunc(slices.Clone(st.years), func(y yearMention) bool { return y.dateLine })
	if len(years) == 0 {
		return
	}
	slices.SortFunc(years, func(a, b yearMention) int { return a.start - b.start })
	var seen []string
	for _, y := range years {
		if titleYears[y.year] {
			return
		}
		if s := strconv.Itoa(y.year) + "年"; !slices.Contains(seen, s) {
			seen = append(seen, s)
		}
	}
	first := years[0]
	var title []string
	for y := range titleYears {
		title = append(title, strconv.Itoa(y)+"年")
	}
	slices.Sort(title)
	col.add(RuleYear, SeverityWarn, first.start, first.end,
		fmt.Sprintf("标题中的年份为%s，正文中出现的年份（%s）均与之不同，请核对是否沿用了旧稿。", strings.Join(title, "、"), strings.Join(seen, "、")),
		"", "标题与正文的年份应一致")
}

// citedName returns the 《name》 right before a 文号 at docStart (with an
// opening bracket between them) and where the name starts.
func citedName(text string, docStart int) (string, int, bool) {
	j := docStart
	r, n := utf8.DecodeLastRuneInString(text[:j])
	if r != '（' && r != '(' {
		return "", 0, false
	}
	j -= n
	if r, n = utf8.DecodeLastRuneInString(text[:j]); r != '》' {
		return "", 0, false
	}
	closeAt := j - n
	openAt := strings.LastIndex(text[max(0, closeAt-300):closeAt], "《")
	if openAt < 0 {
		return "", 0, false
	}
	openAt += max(0, closeAt-300)
	start := openAt + len("《")
	name := text[start:closeAt]
	if strings.ContainsAny(name, "》\n") {
		return "", 0, false
	}
	return name, start, true
}

// nameYears finds the first year or year range in a document name: 2021年,
// 2021—2025年, 2021-2025年, 2021至2025年, returning the range and its span.
func nameYears(name string) (y1, y2, start, end int, ok bool) {
	for i := 0; i+4 <= len(name); i++ {
		if !allDigits(name[i:i+4]) || i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
			continue
		}
		y1 = atoi4(name[i : i+4])
		j := i + 4
		y2 = y1
		for _, sep := range []string{"—", "－", "-", "–", "至", "~", "～"} {
			if strings.HasPrefix(name[j:], sep) && j+len(sep)+4 <= len(name) && allDigits(name[j+len(sep):j+len(sep)+4]) {
				y2 = atoi4(name[j+len(sep) : j+len(sep)+4])
				j += len(sep) + 4
				break
			}
		}
		if !strings.HasPrefix(name[j:], "年") || y1 < 1900 || y1 > 2099 || y2 < y1 {
			i = j - 1
			continue
		}
		return y1, y2, i, j + len("年"), true
	}
	return 0, 0, 0, 0, false
}

// yearsIn lists the years written as YYYY年 or 二〇二三年 in s.
func yearsIn(s string) []int {
	var out []int
	for i := 0; i+4 <= len(s); i++ {
		if allDigits(s[i:i+4]) && strings.HasPrefix(s[i+4:], "年") && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			out = append(out, atoi4(s[i:i+4]))
		}
	}
	st := textState{wantYears: true}
	c := &Checker{enabled: map[string]bool{}}
	c.checkChineseDates(&collector{text: s}, &st)
	for _, y := range st.years {
		out = append(out, y.year)
	}
	return out
}
