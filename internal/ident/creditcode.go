package ident

import (
	"fmt"
	"strings"
)

// creditChars is the GB 32100-2015 character set, in value order (0–30):
// the digits and the upper-case letters except I, O, S, V and Z, which are
// left out because they are easily mistaken for 1, 0, 5, U and 2.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100-2015 weights of positions 1–17 (3^(i−1) mod 31).
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValue returns the value of c in creditChars, or -1.
func creditValue(c byte) int { return strings.IndexByte(creditChars, c) }

// centralRegion is the 行政区划码 that 统一社会信用代码 of central (national)
// organs carry, e.g. 国务院办公厅 11100000…: it is not a province code.
const centralRegion = "100000"

// CreditCodeCheckChar returns the 18th character of a 统一社会信用代码 whose
// first 17 characters are first17: with Ci the value of each character and
// Wi = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, the check value is
// 31 − (Σ Ci×Wi mod 31), and 31 is written 0.
func CreditCodeCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail(fmt.Sprintf("统一社会信用代码的前17位应为17个字符，“%s”不符合要求。", clip(first17)))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := creditValue(first17[i])
		if v < 0 {
			return 0, fail(badCreditChar(first17, i))
		}
		sum += v * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31], nil
}

func badCreditChar(s string, i int) string {
	c := s[i]
	if c >= 'a' && c <= 'z' {
		return "统一社会信用代码中的英文字母应为大写。"
	}
	if c >= 0x80 {
		return fmt.Sprintf("统一社会信用代码第%d位不是有效字符，代码只能由数字和大写英文字母（不含I、O、S、V、Z）组成。", i+1)
	}
	return fmt.Sprintf("统一社会信用代码第%d位的“%c”不是有效字符，代码只能由数字和大写英文字母（不含I、O、S、V、Z）组成。", i+1, c)
}

// NormalizeCreditCode returns s without spaces, with full-width digits and
// letters made half-width and letters made upper-case. It does not validate;
// call ValidateCreditCode on the result.
func NormalizeCreditCode(s string) string { return NormalizeOrgCode(s) }

// ValidateCreditCode checks an 18-char 统一社会信用代码 (GB 32100-2015):
//
//	position 1     登记管理部门码
//	position 2     机构类别码
//	positions 3–8  登记管理机关行政区划码 (a province-prefixed region code,
//	               or 100000 for central organs)
//	positions 9–17 主体标识码, a 组织机构代码 with its own GB 11714 check char
//	position 18    check character
//
// Positions 1 and 2 are only checked against the character set: the
// registration authorities and their organisation categories have been
// extended since 2015 (司法行政, 宗教, 工会, 农业 …), and the two check
// characters already catch typing mistakes there.
func ValidateCreditCode(s string) error {
	if s == "" {
		return fail("未填写统一社会信用代码。")
	}
	if len(s) != 18 {
		return fail(fmt.Sprintf("统一社会信用代码应为18位，“%s”不符合要求。", clip(s)))
	}
	for i := 0; i < 18; i++ {
		if creditValue(s[i]) < 0 {
			return fail(badCreditChar(s, i))
		}
	}
	if region := s[2:8]; region != centralRegion && !validRegion(region) {
		return fail(fmt.Sprintf("统一社会信用代码第3至8位（登记管理机关行政区划码）“%s”不是有效的行政区划代码。", region))
	}
	want, _ := CreditCodeCheckChar(s[:17])
	if s[17] != want {
		return failCheck("统一社会信用代码的校验码（第18位）不正确，请核对后重新填写。")
	}
	// The final check character passed, so the body is very likely what the
	// registration authority issued; a wrong 主体标识码 check now means a
	// code that was made up or computed from a mistyped body.
	if err := ValidateOrgCode(s[8:17]); err != nil {
		return failCheck("统一社会信用代码第9至17位（主体标识码）的校验码不正确，请核对后重新填写。")
	}
	return nil
}
