package ident

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DocNo is a 发文字号: 发文机关代字 + 年份 + 发文顺序号 (《党政机关公文处理工作
// 条例》第九条). Its canonical written form, GB/T 9704-2012 §7.2.5, puts the
// full year in 六角括号 and the sequence number without leading zeros,
// followed by 号: 国办发〔2017〕47号.
type DocNo struct {
	// Prefix is the 发文机关代字, such as 国办发 or 示政办发.
	Prefix string
	// Year is the four-digit year.
	Year int
	// Seq is the 发文顺序号, 1 or more.
	Seq int
}

// String returns the canonical form, such as 示政办发〔2024〕15号, or "" for
// the zero DocNo.
func (d DocNo) String() string {
	if d == (DocNo{}) {
		return ""
	}
	return d.Prefix + "〔" + strconv.Itoa(d.Year) + "〕" + strconv.Itoa(d.Seq) + "号"
}

// Limits of a plausible 发文字号. Years outside 1900–2099 are typing mistakes
// (or, in free text, telephone area codes such as （0591）); sequence numbers
// of more than six digits are not 文号 but amounts or phone numbers.
const (
	minDocYear     = 1900
	maxDocYear     = 2099
	maxSeqDigits   = 6
	maxPrefixRunes = 20 // in a form field
	maxFindPrefix  = 12 // in running text, where the start must be guessed
)

// fault is one departure from the canonical form that can be corrected.
type fault uint8

const (
	faultSpace fault = 1 << iota
	faultWidth
	faultBracket
	faultNian
	faultDi
	faultZero
	faultHao
)

// faultText is the message for each fault, in the order they are reported.
var faultText = []struct {
	f   fault
	msg string
}{
	{faultSpace, "发文字号中不应有空格"},
	{faultWidth, "发文字号中的数字应使用半角阿拉伯数字"},
	{faultBracket, "发文字号的年份应使用六角括号“〔〕”"},
	{faultNian, "发文字号的年份应使用六角括号“〔〕”括入，不加“年”字"},
	{faultDi, "发文字号的顺序号前不加“第”字"},
	{faultZero, "发文字号的顺序号不编虚位（即1不编为01）"},
	{faultHao, "发文字号的顺序号后应加“号”字"},
}

func (fs fault) messages() []string {
	var out []string
	for _, t := range faultText {
		if fs&t.f != 0 {
			out = append(out, t.msg)
		}
	}
	return out
}

// failure says why a string could not be read as a 发文字号 at all.
type failure uint8

const (
	failNone failure = iota
	failForm
	failEmpty
	failPrefix
	failYearDigits
	failYearRange
	failSeqMissing
	failSeqZero
)

const docNoExample = "例如“国办发〔2017〕47号”"

func (f failure) message(s string) string {
	switch f {
	case failEmpty:
		return "未填写发文字号。"
	case failPrefix:
		return "发文字号应以发文机关代字开头，" + docNoExample + "中的“国办发”。"
	case failYearDigits:
		return "发文字号的年份应写全四位数字，" + docNoExample + "中的“2017”。"
	case failYearRange:
		return fmt.Sprintf("发文字号“%s”中的年份不正确，请核对后重新填写。", clip(s))
	case failSeqMissing:
		return "发文字号缺少发文顺序号，" + docNoExample + "中的“47”。"
	case failSeqZero:
		return "发文字号的发文顺序号应从1开始编排，不能为0。"
	}
	return fmt.Sprintf("“%s”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，%s。", clip(s), docNoExample)
}

// Bracket kinds that may enclose a year.
const (
	bracketNone = iota
	bracketHex  // 〔 〕 the correct 六角括号
	bracketOther
	bracketRound // ( ) （ ）: also used for years in ordinary text
)

func openBracket(r rune) int {
	switch r {
	case '〔':
		return bracketHex
	case '﹝', '[', '［', '【', '〖', '〘', '⦗':
		return bracketOther
	case '(', '（':
		return bracketRound
	}
	return bracketNone
}

func closeBracket(r rune) int {
	switch r {
	case '〕':
		return bracketHex
	case '﹞', ']', '］', '】', '〗', '〙', '⦘':
		return bracketOther
	case ')', '）':
		return bracketRound
	}
	return bracketNone
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' }

// digitValue returns the value of an ASCII or full-width digit.
func digitValue(r rune) (v int, full, ok bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), false, true
	case r >= '０' && r <= '９':
		return int(r - '０'), true, true
	}
	return 0, false, false
}

func isDigitRune(r rune) bool { _, _, ok := digitValue(r); return ok }

// isPrefixRune reports whether r may appear in a 发文机关代字: Chinese
// characters, and ASCII letters for placeholders such as "XX政发".
func isPrefixRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// skipSpaces returns the offset of the first non-space rune at or after i
// and adds faultSpace to fs when it skipped any.
func skipSpaces(s string, i int, fs *fault) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			break
		}
		*fs |= faultSpace
		i += n
	}
	return i
}

// readDigits reads a run of digits at i and returns its value (meaningful
// up to 9 digits), the offset after it, how many digits it had, and the
// value of the first digit.
func readDigits(s string, i int, fs *fault) (v, end, count, first int) {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		d, full, ok := digitValue(r)
		if !ok {
			break
		}
		if full {
			*fs |= faultWidth
		}
		if count == 0 {
			first = d
		}
		if count < 9 {
			v = v*10 + d
		}
		count++
		i += n
	}
	return v, i, count, first
}

// yearSeq is what scanYearSeq read: the part of a 发文字号 after its prefix.
type yearSeq struct {
	year, seq int
	end       int  // offset after 号, or after the last digit when 号 is missing
	hao       bool // ended with 号
	round     bool // year in round brackets: common in ordinary text too
	nian      bool // year written as 2023年: common in ordinary text too
	faults    fault
}

// scanYearSeq reads, at offset i of s, a year in any of the bracket forms or
// followed by 年, then an optional 第, the sequence number and an optional
// 号, recording every departure from the canonical form.
func scanYearSeq(s string, i int) (yearSeq, failure) {
	var ys yearSeq
	r, n := utf8.DecodeRuneInString(s[i:])
	var year, count int
	if k := openBracket(r); k != bracketNone {
		ys.round = k == bracketRound
		if k != bracketHex {
			ys.faults |= faultBracket
		}
		i = skipSpaces(s, i+n, &ys.faults)
		year, i, count, _ = readDigits(s, i, &ys.faults)
		if count != 4 {
			return ys, failYearDigits
		}
		i = skipSpaces(s, i, &ys.faults)
		if i >= len(s) {
			return ys, failForm
		}
		r, n = utf8.DecodeRuneInString(s[i:])
		k = closeBracket(r)
		if k == bracketNone {
			return ys, failForm
		}
		ys.round = ys.round || k == bracketRound
		if k != bracketHex {
			ys.faults |= faultBracket
		}
		i += n
	} else {
		year, i, count, _ = readDigits(s, i, &ys.faults)
		if count != 4 || !strings.HasPrefix(s[i:], "年") {
			return ys, failForm
		}
		ys.nian = true
		ys.faults |= faultNian
		i += len("年")
	}
	if year < minDocYear || year > maxDocYear {
		return ys, failYearRange
	}
	i = skipSpaces(s, i, &ys.faults)
	if strings.HasPrefix(s[i:], "第") {
		ys.faults |= faultDi
		i = skipSpaces(s, i+len("第"), &ys.faults)
	}
	seq, i, count, first := readDigits(s, i, &ys.faults)
	switch {
	case count == 0:
		return ys, failSeqMissing
	case count > maxSeqDigits:
		return ys, failForm
	case seq == 0:
		return ys, failSeqZero
	case first == 0:
		ys.faults |= faultZero
	}
	ys.year, ys.seq, ys.end = year, seq, i
	var spaced fault
	j := skipSpaces(s, i, &spaced)
	if strings.HasPrefix(s[j:], "号") {
		ys.hao = true
		ys.end = j + len("号")
		ys.faults |= spaced
	} else {
		ys.faults |= faultHao
	}
	return ys, failNone
}

// lenientDocNo reads the whole of s as one 发文字号, accepting every common
// wrong form, and reports what was wrong with it.
func lenientDocNo(s string) (DocNo, fault, failure) {
	if strings.TrimSpace(s) == "" {
		return DocNo{}, 0, failEmpty
	}
	var fs fault
	var prefix strings.Builder
	i, runes := 0, 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			fs |= faultSpace
		} else if isPrefixRune(r) {
			prefix.WriteRune(r)
			runes++
		} else {
			break
		}
		i += n
	}
	if runes == 0 {
		return DocNo{}, 0, failPrefix
	}
	if i == len(s) {
		// Only a prefix: no year or sequence number at all.
		return DocNo{}, 0, failForm
	}
	if runes > maxPrefixRunes || !hasHan(prefix.String()) {
		return DocNo{}, 0, failForm
	}
	ys, f := scanYearSeq(s, i)
	if f != failNone {
		return DocNo{}, 0, f
	}
	fs |= ys.faults
	if skipSpaces(s, ys.end, &fs) != len(s) {
		return DocNo{}, 0, failForm
	}
	return DocNo{Prefix: prefix.String(), Year: ys.year, Seq: ys.seq}, fs, failNone
}

// ParseDocNo parses a 发文字号 in its canonical form only: the 发文机关代字
// (Chinese characters, with ASCII letters allowed for placeholders), the
// four-digit year in 六角括号 〔〕, the sequence number without leading
// zeros, and 号, with nothing before or after. When s is a recognisable but
// wrong form, the error names every fault and offers the corrected form, e.g.
// "发文字号的年份应使用六角括号“〔〕”，建议改为：示政办发〔2023〕12号".
func ParseDocNo(s string) (DocNo, error) {
	d, fs, f := lenientDocNo(s)
	if f != failNone {
		return DocNo{}, fail(f.message(s))
	}
	if fs != 0 {
		return DocNo{}, fail(strings.Join(fs.messages(), "；") + "，建议改为：" + d.String())
	}
	return d, nil
}

// SuggestDocNo reads s leniently as a 发文字号. ok is false when s cannot be
// read as one at all. Otherwise suggestion is the canonical form and faults
// lists, as Chinese clauses, what differs from it (none when s is already
// canonical).
func SuggestDocNo(s string) (suggestion string, faults []string, ok bool) {
	d, fs, f := lenientDocNo(s)
	if f != failNone {
		return "", nil, false
	}
	return d.String(), fs.messages(), true
}

// NormalizeDocNo reads s leniently as a 发文字号, accepting the common wrong
// forms ([2023], (2023), （2023）, 【2023】, ﹝2023﹞, 2023年, leading zeros, a
// missing 号, 第, spaces, full-width digits), for searching and matching
// documents by number whatever form they were typed in.
func NormalizeDocNo(s string) (DocNo, bool) {
	d, _, f := lenientDocNo(s)
	return d, f == failNone
}
