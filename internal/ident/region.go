package ident

import (
	"fmt"
	"unicode/utf8"
)

// ValidateRegionCode checks a 6-digit 行政区划代码 (GB/T 2260): six ASCII
// digits whose first two are a real province-level code. It does not check
// that the prefecture and county digits name a region that exists, because
// the list changes every year and old codes stay in use on old documents.
func ValidateRegionCode(s string) error {
	if s == "" {
		return fail("未填写行政区划代码。")
	}
	if len(s) != 6 || !isDigits(s) {
		return fail(fmt.Sprintf("行政区划代码应为6位数字，“%s”不符合要求。", clip(s)))
	}
	if !provinces[int(s[0]-'0')*10+int(s[1]-'0')] {
		return fail(fmt.Sprintf("行政区划代码“%s”的前两位“%s”不是有效的省级代码。", s, s[:2]))
	}
	return nil
}

// validRegion reports whether s (6 ASCII digits) starts with a province code.
func validRegion(s string) bool {
	return len(s) == 6 && isDigits(s) && provinces[int(s[0]-'0')*10+int(s[1]-'0')]
}

// clip shortens s for quoting in a message, so that pasting a whole
// paragraph into a field does not produce a paragraph-long error.
func clip(s string) string {
	const max = 24
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
