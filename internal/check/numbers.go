package check

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/ident"
)

// yearMention is a year written in the text: 2023年, 二〇二三年 or the year of
// a 发文字号.
type yearMention struct {
	year       int
	start, end int
	// dateLine is set for the year of a date standing alone on its line,
	// the 成文日期 under the signature: a report on 2023 is dated 2024.
	dateLine bool
}

// textState carries what one rule learns for another during one Check.
type textState struct {
	years  []yearMention
	docNos []ident.DocNoMatch
	// wantYears is set when the title has years to compare with the body's.
	wantYears  bool
	titleYears []int
	// docCandidates are offsets of four-digit numbers that may be the year
	// of a 发文字号: in brackets, or followed by 年.
	docCandidates []int
}

const piiReason = "《2018年政务公开工作要点》：除惩戒公示、强制性信息披露外，涉及个人隐私的政府信息公开时应去标识化"

// amountUnits follow a number that is an amount, never a phone number.
const amountUnits = "元万亿千百个次人件吨米户辆台份张%‰"

// checkNumbers reads every run of ASCII digits once and hands it to the
// date and personal-data rules.
func (c *Checker) checkNumbers(col *collector, st *textState) {
	text := col.text
	for i := 0; i < len(text); {
		b := text[i]
		if b < '0' || b > '9' {
			i++
			continue
		}
		a := i
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			i++
		}
		if next := c.numberAt(col, st, a, i); next > i {
			i = next
		}
	}
}

// numberAt examines the digit run text[a:b] and returns where scanning
// should resume (b or later when a longer form was consumed).
func (c *Checker) numberAt(col *collector, st *textState, a, b int) int {
	text := col.text
	n := b - a
	before := runeBefore(text, a)
	if isASCIILetter(before) {
		// Part of a code such as ISO9001 or a model number.
		return b
	}
	after := runeAt(text, b)
	if n == 4 && (after == '年' || isYearOpen(before) || before == ' ' && isYearOpen(runeBefore(text, a-1))) {
		st.docCandidates = append(st.docCandidates, a)
	}
	switch {
	case n == 4 && after == '年':
		return c.arabicDate(col, st, a, b)
	case n == 4 && (after == '-' || after == '/' || after == '.'):
		if end := c.isoDate(col, a, b); end > b {
			return end
		}
	case n <= 2 && after == '月' && before != '年':
		return c.monthDay(col, 0, a, b, a)
	}
	if !c.on(RuleCitizenID) && !c.on(RuleMobile) && !c.on(RuleBankCard) {
		return b
	}
	switch {
	case n == 17 && (after == 'X' || after == 'x'):
		c.citizenID(col, a, b+1)
		return b + 1
	case n == 18:
		if c.citizenID(col, a, b) {
			return b
		}
		c.bankCard(col, a, b, text[a:b])
	case n == 15:
		if !c.citizenID(col, a, b) {
			c.bankCard(col, a, b, text[a:b])
		}
	case n == 11:
		c.mobile(col, a, b, text[a:b])
	case n == 13 && strings.HasPrefix(text[a:b], "86") && before == '+':
		c.mobile(col, a-1, b, text[a+2:b])
	case n == 16 || n == 17 || n == 19:
		c.bankCard(col, a, b, text[a:b])
	case n == 3 && (after == '-' || after == ' '):
		return c.groupedMobile(col, a, b)
	case n == 4 && (after == ' ' || after == '-'):
		return c.groupedCard(col, a, b)
	}
	return b
}

// citizenID reports a valid 公民身份号码 at text[a:b].
func (c *Checker) citizenID(col *collector, a, b int) bool {
	text := col.text
	if isASCIIAlnum(runeAt(text, b)) {
		return false
	}
	id, err := ident.ParseCitizenID(text[a:b])
	if err != nil {
		return false
	}
	col.add(RuleCitizenID, SeverityBlock, a, b,
		"含有完整的公民身份号码，属于个人隐私信息，公开前应去标识化处理。",
		ident.MaskCitizenID(id.Number), piiReason)
	return true
}

func (c *Checker) mobile(col *collector, a, b int, number string) {
	text := col.text
	after := runeAt(text, b)
	if isASCIIAlnum(after) || strings.ContainsRune(amountUnits, after) || !ident.IsMobile(number) {
		return
	}
	a = withCountryCode(text, a)
	col.add(RuleMobile, SeverityBlock, a, b,
		"含有完整的手机号码，属于个人隐私信息，公开前应去标识化处理。",
		ident.MaskMobile(number), piiReason)
}

// withCountryCode extends the start of a mobile number over a preceding
// +86 (or ＋86, 0086), with an optional space or hyphen between.
func withCountryCode(text string, a int) int {
	b := a
	if b > 0 && (text[b-1] == ' ' || text[b-1] == '-') {
		b--
	}
	for _, cc := range []string{"+86", "＋86", "0086"} {
		if strings.HasSuffix(text[:b], cc) {
			return b - len(cc)
		}
	}
	return a
}

// groupedMobile handles 138-1234-5678 and 138 1234 5678.
func (c *Checker) groupedMobile(col *collector, a, b int) int {
	text := col.text
	sep := text[b]
	if b+10 > len(text) || text[b+5] != sep {
		return b
	}
	p2, p3 := text[b+1:b+5], text[b+6:b+10]
	if !allDigits(p2) || !allDigits(p3) || b+10 < len(text) && text[b+10] >= '0' && text[b+10] <= '9' {
		return b
	}
	number := text[a:b] + p2 + p3
	if !ident.IsMobile(number) {
		return b
	}
	c.mobile(col, a, b+10, number)
	return b + 10
}

// groupedCard handles card numbers printed in groups of four: 6222 0212 3456 7890 123.
func (c *Checker) groupedCard(col *collector, a, b int) int {
	text := col.text
	sep := text[b]
	digits := text[a:b]
	end := b
	for len(digits) < 19 && end+1 < len(text) && text[end] == sep {
		j := end + 1
		k := j
		for k < len(text) && text[k] >= '0' && text[k] <= '9' && k-j < 4 {
			k++
		}
		if k == j {
			break
		}
		digits += text[j:k]
		end = k
		if k-j < 4 {
			break
		}
	}
	if len(digits) < 16 || end < len(text) && text[end] >= '0' && text[end] <= '9' {
		return b
	}
	if c.bankCard(col, a, end, digits) {
		return end
	}
	return b
}

// bankCard reports a card number: 16–19 digits passing the Luhn check whose
// first digit is a banking or financial issuer (ISO/IEC 7812 major industry
// identifier 3–6; 9 only as 95, used by older domestic cards). Valid
// 统一社会信用代码 are not cards.
func (c *Checker) bankCard(col *collector, a, b int, digits string) bool {
	text := col.text
	if len(digits) < 16 || len(digits) > 19 || isASCIIAlnum(runeAt(text, b)) || !ident.Luhn(digits) {
		return false
	}
	if d := digits[0]; (d < '3' || d > '6') && !strings.HasPrefix(digits, "95") {
		return false
	}
	if len(digits) == 18 && ident.ValidateCreditCode(digits) == nil {
		return false
	}
	masked := digits[:4] + strings.Repeat("*", len(digits)-8) + digits[len(digits)-4:]
	col.add(RuleBankCard, SeverityBlock, a, b,
		"含有完整的银行卡号，属于个人隐私信息，公开前应去标识化处理。", masked, piiReason)
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// readDigits reads up to max ASCII digits at i.
func readDigits(text string, i, maxDigits int) (v, end int, ok bool) {
	end = i
	for end < len(text) && end-i < maxDigits && text[end] >= '0' && text[end] <= '9' {
		v = v*10 + int(text[end]-'0')
		end++
	}
	if end == i || end < len(text) && text[end] >= '0' && text[end] <= '9' {
		return 0, i, false
	}
	return v, end, true
}

const (
	dateStyleReason = "GB/T 9704-2012《党政机关公文格式》7.3.5.3：日期用阿拉伯数字将年、月、日标全，年份应标全称，月、日不编虚位（即1不编为01）"
	dateReason      = "日期不存在，可能是笔误"
)

// arabicDate handles 2023年[3月[5日]] at text[a:b] (b is at 年).
func (c *Checker) arabicDate(col *collector, st *textState, a, b int) int {
	text := col.text
	year := atoi4(text[a:b])
	yEnd := b + len("年")
	if st.wantYears {
		st.years = append(st.years, yearMention{year: year, start: a, end: yEnd})
	}
	if _, mEnd, ok := readDigits(text, yEnd, 2); ok && runeAt(text, mEnd) == '月' {
		end := c.monthDay(col, year, yEnd, mEnd, a)
		if st.wantYears {
			st.years[len(st.years)-1].dateLine = lineIs(text, a, end)
		}
		return end
	}
	return yEnd
}

// monthDay handles M月[D日] whose month digits are text[m:mEnd]; dateStart
// is where the whole date starts (the year, if any). year is 0 when the
// date has none.
func (c *Checker) monthDay(col *collector, year, m, mEnd, dateStart int) int {
	text := col.text
	month, _, _ := readDigits(text, m, 2)
	end := mEnd + len("月")
	day, dEnd, hasDay := readDigits(text, end, 2)
	if hasDay {
		if u := runeAt(text, dEnd); u == '日' || u == '号' {
			end = dEnd + len("日")
		} else {
			hasDay = false
		}
	}
	if !hasDay && month >= 1 && month <= 12 {
		return end
	}
	if !validDay(year, month, day, hasDay) {
		if c.on(RuleDate) {
			col.add(RuleDate, SeverityWarn, dateStart, end,
				fmt.Sprintf("“%s”不是存在的日期，请核对。", text[dateStart:end]), "", dateReason)
		}
		return end
	}
	if c.on(RuleDateStyle) && year != 0 && (text[m] == '0' || hasDay && text[mEnd+len("月")] == '0') {
		want := fmt.Sprintf("%d年%d月", year, month)
		if hasDay {
			want += fmt.Sprintf("%d日", day)
		}
		col.add(RuleDateStyle, SeverityWarn, dateStart, end,
			fmt.Sprintf("日期中的月、日不编虚位，“%s”应写作“%s”。", text[dateStart:end], want), want, dateStyleReason)
	}
	return end
}

// validDay reports whether the date exists; year 0 means "some year", so
// 2月29日 is accepted.
func validDay(year, month, day int, hasDay bool) bool {
	if month < 1 || month > 12 {
		return false
	}
	if !hasDay {
		return true
	}
	y := year
	if y == 0 {
		y = 2024 // a leap year
	}
	return gongkai.Date{Year: y, Month: time.Month(month), Day: day}.Valid()
}

// isoDate handles 2023-02-30, 2023/2/30 and 2023.02.30.
func (c *Checker) isoDate(col *collector, a, b int) int {
	text := col.text
	sep := text[b]
	year := atoi4(text[a:b])
	month, mEnd, ok := readDigits(text, b+1, 2)
	if !ok || mEnd >= len(text) || text[mEnd] != sep {
		return b
	}
	day, dEnd, ok := readDigits(text, mEnd+1, 2)
	if !ok || year < 1900 || year > 2099 || isASCIIAlnum(runeAt(text, dEnd)) || dEnd < len(text) && text[dEnd] == sep {
		return b
	}
	if !validDay(year, month, day, true) && c.on(RuleDate) {
		col.add(RuleDate, SeverityWarn, a, dEnd,
			fmt.Sprintf("“%s”不是存在的日期，请核对。", text[a:dEnd]), "", dateReason)
	}
	return dEnd
}

func atoi4(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// chineseDigit returns the value of a Chinese numeral digit used in years,
// including the look-alikes that are themselves a fault (○ O 0 零).
func chineseDigit(r rune) (int, bool) {
	switch r {
	case '〇', '○', '零', 'O', 'o', '0', 'Ｏ', '０', 'О':
		return 0, true
	}
	if k := strings.IndexRune("一二三四五六七八九", r); k >= 0 {
		return k/3 + 1, true
	}
	return 0, false
}

// chineseNumber parses 一 … 三十一 at i and returns its value and end.
func chineseNumber(text string, i int) (v, end int, ok bool) {
	end = i
	tens, units, seenTen := 0, 0, false
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if r == '十' && !seenTen {
			seenTen = true
			tens = max(units, 1)
			units = 0
			end += n
			continue
		}
		d, isDigit := chineseDigit(r)
		if !isDigit || r == '0' || r == 'O' || r == 'o' || units != 0 {
			break
		}
		units = d
		end += n
	}
	if end == i {
		return 0, i, false
	}
	return tens*10 + units, end, true
}

// checkChineseDates finds dates written in Chinese numerals (二〇二三年三月五日):
// a year whose zero is written 零, ○, O or 0 instead of 〇 (GB/T 15835-2011:
// as a number in a sequence such as a year, 0 is written 〇); dates that do
// not exist; and a 成文日期 line in Chinese numerals, which GB/T 9704-2012
// asks to be written in Arabic numerals.
func (c *Checker) checkChineseDates(col *collector, st *textState) {
	text := col.text
	for i := 0; ; {
		k := strings.Index(text[i:], "年")
		if k < 0 {
			return
		}
		nian := i + k
		i = nian + len("年")
		// Exactly four year digits before 年, at least two of them Chinese.
		var digits [4]rune
		a, cnt := nian, 0
		for cnt < 4 {
			r, n := utf8.DecodeLastRuneInString(text[:a])
			if _, ok := chineseDigit(r); !ok {
				break
			}
			digits[3-cnt] = r
			a -= n
			cnt++
		}
		if _, longer := chineseDigit(runeBefore(text, a)); cnt < 4 || longer {
			continue
		}
		year, chinese, odd := 0, 0, false
		for _, r := range digits {
			v, _ := chineseDigit(r)
			year = year*10 + v
			if strings.ContainsRune("〇零一二三四五六七八九○", r) {
				chinese++
			}
			if r != '〇' && !strings.ContainsRune("一二三四五六七八九", r) {
				odd = true
			}
		}
		if chinese < 2 {
			continue
		}
		mention := &yearMention{year: year, start: a, end: nian + len("年")}
		end := nian + len("年")
		month, mEnd, hasMonth := chineseNumber(text, end)
		day, dEnd, hasDay := 0, 0, false
		if hasMonth && runeAt(text, mEnd) == '月' {
			end = mEnd + len("月")
			if day, dEnd, hasDay = chineseNumber(text, end); hasDay && runeAt(text, dEnd) == '日' {
				end = dEnd + len("日")
			} else {
				hasDay = false
			}
		} else {
			hasMonth = false
		}
		i = end
		if st.wantYears {
			mention.dateLine = lineIs(text, a, end)
			st.years = append(st.years, *mention)
		}
		if hasMonth && !validDay(year, month, day, hasDay) {
			if c.on(RuleDate) {
				col.add(RuleDate, SeverityWarn, a, end,
					fmt.Sprintf("“%s”不是存在的日期，请核对。", text[a:end]), "", dateReason)
			}
			continue
		}
		if !c.on(RuleDateStyle) {
			continue
		}
		alone := lineIs(text, a, end)
		switch {
		case alone && hasDay:
			want := fmt.Sprintf("%d年%d月%d日", year, month, day)
			col.add(RuleDateStyle, SeverityWarn, a, end,
				fmt.Sprintf("成文日期应使用阿拉伯数字，“%s”应写作“%s”。", text[a:end], want), want, dateStyleReason)
		case odd:
			fixed := fixYearZero(text[a:nian]) + text[nian:end]
			col.add(RuleDateStyle, SeverityWarn, a, end,
				fmt.Sprintf("用汉字书写年份时，“0”应写作“〇”，“%s”应写作“%s”。", text[a:end], fixed), fixed,
				"GB/T 15835-2011《出版物上数字用法》：数字用作编号（如年份）时，“0”的汉字书写形式为“〇”")
		}
	}
}

func fixYearZero(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := chineseDigit(r); ok && d == 0 {
			r = '〇'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lineIs reports whether text[a:end] is all of its line apart from spaces.
func lineIs(text string, a, end int) bool {
	before := text[:a]
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	after := text[end:]
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		after = after[:k]
	}
	return strings.TrimSpace(strings.Trim(before, "\u3000")) == "" && strings.TrimSpace(strings.Trim(after, "\u3000")) == ""
}
