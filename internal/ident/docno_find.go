package ident

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DocNoMatch is a 发文字号 found in running text.
type DocNoMatch struct {
	// Start and End are byte offsets of Raw in the text.
	Start, End int
	// Raw is the text as written, text[Start:End].
	Raw string
	// DocNo is what Raw means.
	DocNo DocNo
	// Canonical is DocNo.String(), the form GB/T 9704-2012 prescribes.
	Canonical string
	// Faults lists what differs between Raw and Canonical; it is empty when
	// Raw is already canonical.
	Faults []string
}

// cutWords are words that often stand right before a 文号 in running text
// ("根据国办发〔2019〕54号") but never end inside a 发文机关代字, so the
// prefix starts after the last of them. Single characters are limited to
// function words that no 代字 contains; 据 or 经, for example, are left
// out because of 代字 such as 浙数据发 and 经信发.
var cutWords = []string{
	"根据", "依据", "按照", "依照", "参照", "对照", "遵照", "贯彻", "落实", "执行",
	"印发", "转发", "下发", "发布", "详见", "参见", "以及", "关于", "文号", "字号",
	"废止", "修订", "修改", "撤销", "停止执行", "宣布失效",
	"的", "和", "及", "与", "或", "即", "见", "是", "了", "在", "将", "把", "按", "依",
}

// endsLikeCode reports whether r usually ends a 发文机关代字 (发, 函, 字,
// 令, 办, 规, 电 …). A year in round brackets, or written as 2023年, is
// taken for a 文号 only when the prefix ends so (or, for round brackets,
// when 号 follows): both forms are common in ordinary text.
func endsLikeCode(r rune) bool {
	return strings.ContainsRune("发函字令办规电文复批报告呈议纪便秘督任通决审综", r)
}

// endsCleanly reports whether a 文号 written without 号 may end before r:
// at the end of the text, a space, or closing punctuation. A digit,
// letter, Chinese character, decimal point or percent sign means the number
// is something else, such as 【2023】12万元 or （2023）12.5亿元.
func endsCleanly(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r) || strings.ContainsRune("）)】]」』》〉，。、；;！!？?“”\"'’", r)
}

// FindDocNos finds 发文字号 in running text, in the canonical form and in the
// common wrong forms that NormalizeDocNo accepts, and returns them in order
// with their byte offsets.
//
// A match is a prefix of 1–12 Chinese characters (or ASCII letters, with at
// least one Chinese character), then a year in brackets or followed by 年,
// then the sequence number and usually 号. Where the prefix starts has to be
// guessed: it is the run of Chinese characters before the year, cut after
// the last word that introduces a 文号 (根据, 依据, 印发, 的, 和 …), so
// "根据国办发〔2019〕54号" yields 国办发〔2019〕54号.
//
// To avoid matching dates, years and amounts, a year in round brackets
// needs 号 or a prefix ending like a 代字 (发, 函, 字 …); a year followed by
// 年 needs both; and a match without 号 must be followed by a space,
// punctuation or the end of the text. So 2023年12月, （2023）年度,
// 预算（2023）12.5亿元 and （2023）京0105民初12号 are not matched.
func FindDocNos(text string) []DocNoMatch {
	var out []DocNoMatch
	last := 0 // prefixes may not reach back into the previous match
	prevDigit := false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		isDigit := isDigitRune(r)
		if openBracket(r) != bracketNone || isDigit && !prevDigit {
			if m, ok := docNoAt(text, i, last); ok {
				out = append(out, m)
				last, i, prevDigit = m.End, m.End, false
				continue
			}
		}
		prevDigit = isDigit
		i += n
	}
	return out
}

// docNoAt tries to read a 文号 whose year starts at offset i, with its
// prefix between last and i.
func docNoAt(text string, i, last int) (DocNoMatch, bool) {
	ys, f := scanYearSeq(text, i)
	if f != failNone {
		return DocNoMatch{}, false
	}
	fs := ys.faults
	// One space is tolerated between the prefix and the year.
	j := i
	if r, n := utf8.DecodeLastRuneInString(text[last:j]); isSpace(r) {
		j -= n
		fs |= faultSpace
	}
	// Collect up to maxFindPrefix prefix runes backwards, then cut.
	var runes []rune
	start := j
	for len(runes) < maxFindPrefix && start > last {
		r, n := utf8.DecodeLastRuneInString(text[last:start])
		if !isPrefixRune(r) {
			break
		}
		runes = append(runes, r)
		start -= n
	}
	for a, b := 0, len(runes)-1; a < b; a, b = a+1, b-1 {
		runes[a], runes[b] = runes[b], runes[a]
	}
	cut := cutPoint(runes)
	if cut == len(runes) {
		return DocNoMatch{}, false
	}
	for _, r := range runes[:cut] {
		start += utf8.RuneLen(r)
	}
	prefix := string(runes[cut:])
	if !hasHan(prefix) {
		return DocNoMatch{}, false
	}
	lastRune := runes[len(runes)-1]
	switch {
	case ys.nian && !(ys.hao && endsLikeCode(lastRune)):
		return DocNoMatch{}, false
	case ys.round && !ys.hao && !endsLikeCode(lastRune):
		return DocNoMatch{}, false
	case !ys.hao && !endsCleanly(text, ys.end):
		return DocNoMatch{}, false
	}
	d := DocNo{Prefix: prefix, Year: ys.year, Seq: ys.seq}
	return DocNoMatch{
		Start:     start,
		End:       ys.end,
		Raw:       text[start:ys.end],
		DocNo:     d,
		Canonical: d.String(),
		Faults:    fs.messages(),
	}, true
}

// cutPoint returns the index in prefix after the last cut word, 0 when
// there is none; len(prefix) means the whole run was lead-in words.
func cutPoint(prefix []rune) int {
	s := string(prefix)
	cut := 0
	for _, w := range cutWords {
		if k := strings.LastIndex(s, w); k >= 0 {
			if end := utf8.RuneCountInString(s[:k+len(w)]); end > cut {
				cut = end
			}
		}
	}
	return cut
}
