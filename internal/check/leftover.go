package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// placeholderTrigger marks the bytes that can start a placeholder: ASCII
// * X x ( [ T F, and the lead bytes of × (C3), ＊Ｘｘ（［ (EF), ○ (E2) and
// 〇【 (E3). Everything else is skipped a byte at a time.
var placeholderTrigger = func() (t [256]bool) {
	for _, b := range []byte("*Xx([TF\xc3\xef\xe2\xe3") {
		t[b] = true
	}
	return t
}()

// placeholderWords are the words that make a bracketed note an editor's
// placeholder: 【此处插入图表】, [待补充], （请填写单位名称）.
var placeholderWords = []string{
	"此处", "待补充", "待填", "待完善", "待核实", "请填写", "请输入", "请补充", "请插入",
	"插入图片", "插入表格", "占位", "示例文字", "填写内容",
}

const placeholderReason = "模板中的占位符未替换即发布，属于内容差错"

func isMaskStar(r rune) bool { return r == '*' || r == '＊' }
func isMaskX(r rune) bool    { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }
func isASCIIDigit(r rune) bool {
	return r >= '0' && r <= '9'
}
func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isChineseNumeral(r rune) bool {
	return strings.ContainsRune("〇○零一二三四五六七八九十百千万两", r)
}

// dateUnit reports whether r is 年, 月, 日 or 号, which make a lone mask
// character a placeholder (×月×日, 〔2023〕*号).
func dateUnit(r rune) bool { return r == '年' || r == '月' || r == '日' || r == '号' }

// checkPlaceholders finds placeholders left in from templates: runs of
// * X × 〇 standing for a number or a name (**号, 20XX年, ××市, ○○局),
// bracketed editor's notes (【此处…】, [待补充]) and TODO/TBD/FIXME.
// Already-masked data is not a placeholder: 138****1234 and
// 35*************123 have digits around the stars, and 王某某 is how
// anonymised names are meant to be written.
func checkPlaceholders(col *collector) {
	text := col.text
	for i := 0; i < len(text); {
		if !placeholderTrigger[text[i]] {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		end := 0
		switch {
		case isMaskStar(r):
			end = starRun(text, i)
		case isMaskX(r):
			end = xRun(text, i)
		case r == '×':
			end = timesRun(text, i)
		case r == '○' || r == '〇':
			end = circleRun(text, i)
		case r == '【' || r == '[' || r == '［' || r == '（' || r == '(':
			end = bracketNote(text, i, r)
		case r == 'T' || r == 'F':
			end = todoWord(text, i)
		}
		if end > i {
			col.add(RulePlaceholder, SeverityBlock, i, end,
				fmt.Sprintf("“%s”是未替换的占位符，请填写实际内容或删除。", text[i:end]), "", placeholderReason)
			i = end
			continue
		}
		i += n
	}
}

// runOf returns the end of the run of runes satisfying in that starts at i.
func runOf(text string, i int, in func(rune) bool) (end, count int) {
	end = i
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if !in(r) {
			break
		}
		end += n
		count++
	}
	return end, count
}

func runeBefore(text string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

func runeAt(text string, i int) rune {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// starRun: stars are a placeholder before 年月日号 or after 第; stars next
// to digits are a masked number, and stars after a name (张**) a masked name.
func starRun(text string, i int) int {
	end, _ := runOf(text, i, isMaskStar)
	before, after := runeBefore(text, i), runeAt(text, end)
	if isASCIIDigit(before) || isASCIIDigit(after) {
		return 0
	}
	if dateUnit(after) || before == '第' {
		return end
	}
	return 0
}

// xRun: two or more X (or one before 年月日号) that are not part of an ASCII
// word (xxgk, XXL, Xbox) or of a code with other letters (a masked
// 统一社会信用代码 such as 91350100MA2XXXXX0X).
func xRun(text string, i int) int {
	end, count := runOf(text, i, isMaskX)
	before, after := runeBefore(text, i), runeAt(text, end)
	if isASCIILetter(before) || isASCIILetter(after) {
		return 0
	}
	a, b := i, end
	for a > 0 && isASCIIAlnum(rune(text[a-1])) {
		a--
	}
	for b < len(text) && isASCIIAlnum(rune(text[b])) {
		b++
	}
	for _, c := range []byte(text[a:b]) {
		if isASCIILetter(rune(c)) && c != 'X' && c != 'x' {
			return 0
		}
	}
	if count >= 2 || dateUnit(after) && !isASCIIDigit(before) {
		return end
	}
	return 0
}

// timesRun: ×× (or ×月) not between digits, where × is multiplication.
func timesRun(text string, i int) int {
	end, count := runOf(text, i, func(r rune) bool { return r == '×' })
	before, after := runeBefore(text, i), runeAt(text, end)
	if isASCIIDigit(before) || isASCIIDigit(after) {
		return 0
	}
	if count >= 2 || dateUnit(after) {
		return end
	}
	return 0
}

// circleRun: ○○ or 〇〇 standing alone (○○市), not inside a number written
// in Chinese numerals (二〇〇八年).
func circleRun(text string, i int) int {
	end, count := runOf(text, i, func(r rune) bool { return r == '○' || r == '〇' })
	before, after := runeBefore(text, i), runeAt(text, end)
	if count < 2 || isChineseNumeral(before) || isChineseNumeral(after) || isASCIIDigit(before) || isASCIIDigit(after) {
		return 0
	}
	return end
}

// maxNoteRunes bounds the length of a bracketed editor's note.
const maxNoteRunes = 40

var closeOf = map[rune]rune{'【': '】', '[': ']', '［': '］', '（': '）', '(': ')'}

func bracketNote(text string, i int, open rune) int {
	closing := closeOf[open]
	j := i + utf8.RuneLen(open)
	for n := 0; n < maxNoteRunes && j < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == '\n' || r == open {
			return 0
		}
		if r == closing {
			note := text[i+utf8.RuneLen(open) : j]
			for _, w := range placeholderWords {
				if strings.Contains(note, w) {
					return j + size
				}
			}
			return 0
		}
		j += size
	}
	return 0
}

func todoWord(text string, i int) int {
	for _, w := range []string{"TODO", "TBD", "FIXME"} {
		if strings.HasPrefix(text[i:], w) {
			end := i + len(w)
			if !isASCIILetter(runeBefore(text, i)) && !isASCIILetter(runeAt(text, end)) {
				return end
			}
		}
	}
	return 0
}

// topLevelDomains are the endings that make a bare name.name a web address
// in running text; a name with http:// or www. needs none of them. Endings
// that are also English or pinyin words (wang, ren, link, ltd, site …) are
// left out: "Mr.Wang" and "Co.Ltd" are not addresses.
var topLevelDomains = map[string]bool{
	"com": true, "cn": true, "net": true, "org": true, "info": true, "biz": true,
	"top": true, "xyz": true, "vip": true, "cc": true, "tv": true, "hk": true,
	"tw": true, "mo": true, "edu": true, "gov": true, "io": true, "asia": true,
}

func isHostByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.'
}

func isURLByte(b byte) bool {
	return b > ' ' && b < 0x7f && !strings.ContainsRune("\"'<>()[]{}|\\^`", rune(b))
}

// checkURLs reports web addresses whose host is neither a government domain
// (gov.cn and its subdomains) nor on the site's allow-list. E-mail addresses
// are left alone: contact addresses at commercial mail providers are normal
// in notices.
func (c *Checker) checkURLs(col *collector) {
	text := col.text
	for i := 0; i < len(text); {
		k := strings.IndexByte(text[i:], '.')
		if k < 0 {
			return
		}
		dot := i + k
		i = dot + 1
		if dot == 0 || dot+1 >= len(text) || !isHostByte(text[dot-1]) || !isASCIILetter(rune(text[dot+1])) {
			continue
		}
		start := dot
		for start > 0 && isHostByte(text[start-1]) {
			start--
		}
		end := dot
		for end < len(text) && isHostByte(text[end]) {
			end++
		}
		host := strings.Trim(text[start:end], ".-")
		start = strings.Index(text[start:end], host) + start
		end = start + len(host)
		if start > 0 && text[start-1] == '@' {
			i = end
			continue
		}
		scheme := false
		if s := strings.ToLower(text[max(0, start-8):start]); strings.HasSuffix(s, "http://") || strings.HasSuffix(s, "https://") {
			scheme = true
			start -= len("http://")
			if strings.HasSuffix(s, "https://") {
				start--
			}
		}
		lower := strings.ToLower(host)
		tld := lower[strings.LastIndexByte(lower, '.')+1:]
		if !scheme && !strings.HasPrefix(lower, "www.") && !topLevelDomains[tld] {
			i = end
			continue
		}
		if !strings.Contains(lower, ".") || isDottedNumber(lower) && !scheme {
			i = end
			continue
		}
		// Take the path too, for the excerpt, without trailing punctuation.
		if end < len(text) && strings.IndexByte("/:?#", text[end]) >= 0 {
			for end < len(text) && isURLByte(text[end]) {
				end++
			}
			for end > start && strings.IndexByte(".,;:!?", text[end-1]) >= 0 {
				end--
			}
		}
		i = end
		if c.domainAllowed(lower) {
			continue
		}
		col.add(RuleThirdParty, SeverityBlock, start, end,
			fmt.Sprintf("出现非政府网站网址“%s”，可能是从第三方网站复制时残留的内容，请核实并删除；确需保留的，可由管理员将该域名加入本站白名单。", text[start:end]),
			"", "政府网站不得发布或链接与政务无关的商业内容（国办秘函〔2019〕19号单项否决指标）")
	}
}

func isDottedNumber(s string) bool {
	for _, r := range s {
		if r != '.' && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// domainAllowed reports whether host (lower case) is gov.cn, a subdomain of
// it, or a site allow-listed domain or one of its subdomains.
func (c *Checker) domainAllowed(host string) bool {
	if host == "gov.cn" || strings.HasSuffix(host, ".gov.cn") {
		return true
	}
	for _, d := range c.allowDomain {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
