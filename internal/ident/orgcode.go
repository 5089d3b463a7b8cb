package ident

import (
	"fmt"
	"strings"
)

// orgWeights are the GB 11714-1997 weights of the eight 本体代码 characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgValue is the GB 11714 value of a 本体代码 character: digits are
// themselves, A–Z are 10–35. It returns -1 for anything else.
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// OrgCodeCheckChar returns the GB 11714-1997 check character for an 8-char
// 本体代码 (digits and upper-case letters): C9 = 11 − (Σ Ci×Wi mod 11) with
// weights 3 7 9 10 5 8 4 2, where 10 is written X and 11 is written 0.
func OrgCodeCheckChar(first8 string) (byte, error) {
	if len(first8) != 8 {
		return 0, fail(fmt.Sprintf("组织机构代码的本体代码应为8位，“%s”不符合要求。", clip(first8)))
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := orgValue(first8[i])
		if v < 0 {
			return 0, fail(badOrgChar(first8, i))
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

func badOrgChar(s string, i int) string {
	c := s[i]
	if c >= 'a' && c <= 'z' {
		return "组织机构代码中的英文字母应为大写。"
	}
	return fmt.Sprintf("组织机构代码第%d位不是有效字符，本体代码只能由数字和大写英文字母组成。", i+1)
}

// NormalizeOrgCode returns s without surrounding or inner spaces and hyphens
// (half- or full-width), in upper case: the printed form "MA2F3K7Q-X" becomes
// "MA2F3K7QX". It does not validate; call ValidateOrgCode on the result.
func NormalizeOrgCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == '－' || r == ' ' || r == '\u3000' || r == '\t':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r >= 'Ａ' && r <= 'Ｚ':
			r = r - 'Ａ' + 'A'
		case r >= 'ａ' && r <= 'ｚ':
			r = r - 'ａ' + 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidateOrgCode checks a 9-char 组织机构代码 (GB 11714-1997): eight 本体代码
// characters (digits and upper-case letters) and the check character. The
// printed form with a hyphen before the check character ("XXXXXXXX-X") is
// accepted as well.
func ValidateOrgCode(s string) error {
	if s == "" {
		return fail("未填写组织机构代码。")
	}
	if len(s) == 10 && s[8] == '-' {
		s = s[:8] + s[9:]
	}
	if len(s) != 9 {
		return fail(fmt.Sprintf("组织机构代码应为9位（8位本体代码加1位校验码），“%s”不符合要求。", clip(s)))
	}
	want, err := OrgCodeCheckChar(s[:8])
	if err != nil {
		return err
	}
	if got := s[8]; got != want {
		if got == 'x' {
			return fail("组织机构代码中的英文字母应为大写。")
		}
		if got != 'X' && (got < '0' || got > '9') {
			return fail("组织机构代码的校验码（第9位）应为数字或字母X。")
		}
		return failCheck("组织机构代码的校验码不正确，请核对后重新填写。")
	}
	return nil
}
