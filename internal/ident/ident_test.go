package ident_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/ident"
)

// errText returns err's message, or "" for nil, so tables can hold the
// exact Chinese sentence a user will see.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Hand-computed examples (GB 11714-1997, weights 3 7 9 10 5 8 4 2; letters
// A=10 … Z=35; check = 11 − sum mod 11, 10→X, 11→0):
//
//	D2143569: D=13 → 39+14+9+40+15+40+24+18 = 199; 199 mod 11 = 1 → 10 → X
//	M000100Y: M=22, Y=34 → 66+5+68 = 139; 139 mod 11 = 7 → 4
//	00000001: 1×2 = 2 → 9
//	00000006: 6×2 = 12; 12 mod 11 = 1 → 10 → X
//	00000000: 0 → 11 → 0
func TestOrgCodeCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"D2143569", 'X'},
		{"M000100Y", '4'},
		{"00000001", '9'},
		{"00000006", 'X'},
		{"00000000", '0'},
	}
	for _, tt := range tests {
		got, err := ident.OrgCodeCheckChar(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("OrgCodeCheckChar(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "0000000", "000000001", "d2143569", "0000000-", "组织机构代"} {
		if _, err := ident.OrgCodeCheckChar(bad); err == nil {
			t.Errorf("OrgCodeCheckChar(%q) succeeded, want an error", bad)
		}
	}
}

func TestValidateOrgCode(t *testing.T) {
	tests := []struct {
		in    string
		want  string // "" = valid
		check bool   // errors.Is(err, ErrCheckChar)
	}{
		{in: "D2143569X"},
		{in: "D2143569-X"},
		{in: "M000100Y4"},
		{in: "000000019"},
		{in: "00000001-9"},
		{in: "00000006X"},
		{in: "D21435691", want: "组织机构代码的校验码不正确，请核对后重新填写。", check: true},
		{in: "D2143569-8", want: "组织机构代码的校验码不正确，请核对后重新填写。", check: true},
		{in: "D2143569x", want: "组织机构代码中的英文字母应为大写。"},
		{in: "d2143569X", want: "组织机构代码中的英文字母应为大写。"},
		{in: "D2143569Y", want: "组织机构代码的校验码（第9位）应为数字或字母X。"},
		{in: "D21435-69X", want: "组织机构代码应为9位（8位本体代码加1位校验码），“D21435-69X”不符合要求。"},
		{in: "D2143569", want: "组织机构代码应为9位（8位本体代码加1位校验码），“D2143569”不符合要求。"},
		{in: "D214 3569X", want: "组织机构代码应为9位（8位本体代码加1位校验码），“D214 3569X”不符合要求。"},
		{in: "D21#3569X", want: "组织机构代码第4位不是有效字符，本体代码只能由数字和大写英文字母组成。"},
		{in: "", want: "未填写组织机构代码。"},
	}
	for _, tt := range tests {
		err := ident.ValidateOrgCode(tt.in)
		if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
			t.Errorf("ValidateOrgCode(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		if got := errors.Is(err, ident.ErrCheckChar); got != tt.check {
			t.Errorf("ValidateOrgCode(%q): errors.Is(err, ErrCheckChar) = %v, want %v", tt.in, got, tt.check)
		}
	}
}

func TestNormalizeOrgCode(t *testing.T) {
	tests := map[string]string{
		"d2143569-x":   "D2143569X",
		" D2143569－X ": "D2143569X",
		"Ｄ２１４３５６９Ｘ":    "D2143569X",
		"D2143569X":    "D2143569X",
	}
	for in, want := range tests {
		if got := ident.NormalizeOrgCode(in); got != want {
			t.Errorf("NormalizeOrgCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// Hand-computed 统一社会信用代码 check characters (values 0–9, A=10 … Y=30
// in 0123456789ABCDEFGHJKLMNPQRTUWXY; weights 1 3 9 27 19 26 16 17 20 29
// 25 13 8 24 10 30 28; check = 31 − sum mod 31, 31→0):
//
//	91350100M000100Y4 (the example printed with GB 32100-2015): M=21, Y=30 →
//	  9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28 → 3
//	91110108000000019: 9+3+9+27+26+136+30+252 = 492; 492 mod 31 = 27 → 4
//	00000000000000000: 0 → 31 → 0
//	10000000000000000: 1 → 30 → Y
func TestCreditCodeCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"91350100M000100Y4", '3'},
		{"91110108000000019", '4'},
		{"00000000000000000", '0'},
		{"10000000000000000", 'Y'},
	}
	for _, tt := range tests {
		got, err := ident.CreditCodeCheckChar(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CreditCodeCheckChar(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "9135010M000100Y4", "91350100M000100Y43", "91350100I000100Y4", "91350100m000100Y4"} {
		if _, err := ident.CreditCodeCheckChar(bad); err == nil {
			t.Errorf("CreditCodeCheckChar(%q) succeeded, want an error", bad)
		}
	}
}

func TestValidateCreditCode(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		check bool
	}{
		{in: "91350100M000100Y43"},
		{in: "911101080000000194"},
		{in: "91350100M000100Y44", want: "统一社会信用代码的校验码（第18位）不正确，请核对后重新填写。", check: true},
		// Two digits swapped: the check character catches it.
		{in: "91351000M000100Y43", want: "统一社会信用代码的校验码（第18位）不正确，请核对后重新填写。", check: true},
		{in: "91350100m000100Y43", want: "统一社会信用代码中的英文字母应为大写。"},
		{in: "91350100MO00100Y43", want: "统一社会信用代码第10位的“O”不是有效字符，代码只能由数字和大写英文字母（不含I、O、S、V、Z）组成。"},
		{in: "91350100M000100Y4", want: "统一社会信用代码应为18位，“91350100M000100Y4”不符合要求。"},
		{in: "", want: "未填写统一社会信用代码。"},
		{in: "９1350100M000100Y4", want: "统一社会信用代码应为18位，“９1350100M000100Y4”不符合要求。"},
		// 行政区划码 990100 has no province 99.
		{in: "91990100M000100Y43", want: "统一社会信用代码第3至8位（登记管理机关行政区划码）“990100”不是有效的行政区划代码。"},
	}
	for _, tt := range tests {
		err := ident.ValidateCreditCode(tt.in)
		if diff := cmp.Diff(tt.want, errText(err)); diff != "" {
			t.Errorf("ValidateCreditCode(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		if got := errors.Is(err, ident.ErrCheckChar); got != tt.check {
			t.Errorf("ValidateCreditCode(%q): errors.Is(err, ErrCheckChar) = %v, want %v", tt.in, got, tt.check)
		}
	}
}

// A central organ's code carries 行政区划码 100000, and a code whose 主体标识码
// has a wrong GB 11714 check is refused even when the 18th character fits.
func TestValidateCreditCodeBody(t *testing.T) {
	// 11100000 + 00000001 9 (valid body, see TestOrgCodeCheckChar):
	// 1+3+0+27 (1×27) + … let the exported function give the 18th char;
	// what is tested here is the region and body rule, not the arithmetic.
	first17 := "11100000000000019"
	c, err := ident.CreditCodeCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	if err := ident.ValidateCreditCode(first17 + string(c)); err != nil {
		t.Errorf("central organ code: %v", err)
	}
	// Body 000000018 fails GB 11714 (its check is 9).
	bad17 := "11100000000000018"
	c, _ = ident.CreditCodeCheckChar(bad17)
	err = ident.ValidateCreditCode(bad17 + string(c))
	want := "统一社会信用代码第9至17位（主体标识码）的校验码不正确，请核对后重新填写。"
	if diff := cmp.Diff(want, errText(err)); diff != "" {
		t.Errorf("bad body mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ident.ErrCheckChar) {
		t.Errorf("bad body: errors.Is(err, ErrCheckChar) = false")
	}
}

func TestNormalizeCreditCode(t *testing.T) {
	if got, want := ident.NormalizeCreditCode(" 91350100m000100y43 "), "91350100M000100Y43"; got != want {
		t.Errorf("NormalizeCreditCode = %q, want %q", got, want)
	}
}

func TestValidateRegionCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"110105", ""},
		{"350102", ""},
		{"650000", ""},
		{"710000", ""},
		{"810000", ""},
		{"820000", ""},
		{"160101", "行政区划代码“160101”的前两位“16”不是有效的省级代码。"},
		{"000000", "行政区划代码“000000”的前两位“00”不是有效的省级代码。"},
		{"720000", "行政区划代码“720000”的前两位“72”不是有效的省级代码。"},
		{"100000", "行政区划代码“100000”的前两位“10”不是有效的省级代码。"},
		{"35010", "行政区划代码应为6位数字，“35010”不符合要求。"},
		{"35010a", "行政区划代码应为6位数字，“35010a”不符合要求。"},
		{"", "未填写行政区划代码。"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, errText(ident.ValidateRegionCode(tt.in))); diff != "" {
			t.Errorf("ValidateRegionCode(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Hand-computed check characters (ISO 7064 MOD 11-2, weights
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, "10X98765432"[sum mod 11]):
//
//	34052419800101001: 21+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 189 → 2 → X
//	11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167 → 2 → X
//	37010119010203997: verified in statutes §12 → 3
func TestCitizenIDCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"34052419800101001", 'X'},
		{"11010519491231002", 'X'},
		{"37010119010203997", '3'},
	}
	for _, tt := range tests {
		got, err := ident.CitizenIDCheckChar(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CitizenIDCheckChar(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "3405241980010100", "3405241980010100X", "340524198001010011"} {
		if _, err := ident.CitizenIDCheckChar(bad); err == nil {
			t.Errorf("CitizenIDCheckChar(%q) succeeded, want an error", bad)
		}
	}
}

func date(y int, m time.Month, d int) gongkai.Date { return gongkai.Date{Year: y, Month: m, Day: d} }

func TestParseCitizenID(t *testing.T) {
	tests := []struct {
		in    string
		want  ident.CitizenID
		err   string
		check bool
	}{
		{in: "34052419800101001X", want: ident.CitizenID{Number: "34052419800101001X", Region: "340524", Birth: date(1980, 1, 1), Male: true}},
		{in: "34052419800101001x", want: ident.CitizenID{Number: "34052419800101001X", Region: "340524", Birth: date(1980, 1, 1), Male: true}},
		{in: " 11010519491231002X ", want: ident.CitizenID{Number: "11010519491231002X", Region: "110105", Birth: date(1949, 12, 31), Male: false}},
		{in: "370101190102039973", want: ident.CitizenID{Number: "370101190102039973", Region: "370101", Birth: date(1901, 2, 3), Male: true}},
		{in: "350102800101123", want: ident.CitizenID{Number: "350102800101123", Region: "350102", Birth: date(1980, 1, 1), Male: true, Legacy: true}},
		{in: "350102000229124", err: "公民身份号码中的出生日期“19000229”不存在。"},
		{in: "350102960229124", want: ident.CitizenID{Number: "350102960229124", Region: "350102", Birth: date(1996, 2, 29), Male: false, Legacy: true}},
		{in: "34052419800101001Y", err: "公民身份号码的最后一位应为数字或字母X。"},
		{in: "340524198001010010", err: "公民身份号码的校验码（最后一位）不正确，请核对后重新填写。", check: true},
		{in: "34052419800101001", err: "公民身份号码应为18位（旧式号码为15位），当前为17位。"},
		{in: "３４0524198001010010", err: "公民身份号码应为18位（旧式号码为15位），当前为18位。"},
		{in: "", err: "未填写公民身份号码。"},
		{in: "3405241980010100AX", err: "公民身份号码的前17位应为数字。"},
		{in: "34052419800230001X", err: "公民身份号码中的出生日期“19800230”不存在。"},
		{in: "34052418991231001X", err: "公民身份号码中的出生日期“18991231”早于1900年1月1日，不是有效的出生日期。"},
		{in: "99052419800101001X", err: "公民身份号码的前6位（地址码）“990524”不是有效的行政区划代码。"},
		{in: "35010280010112X", err: "15位的旧式公民身份号码应全部为数字。"},
		{in: "350102801301123", err: "公民身份号码中的出生日期“19801301”不存在。"},
	}
	for _, tt := range tests {
		got, err := ident.ParseCitizenID(tt.in)
		if diff := cmp.Diff(tt.err, errText(err)); diff != "" {
			t.Errorf("ParseCitizenID(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			continue
		}
		if errors.Is(err, ident.ErrCheckChar) != tt.check {
			t.Errorf("ParseCitizenID(%q): errors.Is(err, ErrCheckChar) = %v, want %v", tt.in, !tt.check, tt.check)
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseCitizenID(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestMasks(t *testing.T) {
	tests := []struct{ got, want string }{
		{ident.MaskCitizenID("350102199001011123"), "35*************123"},
		{ident.MaskCitizenID("350102800101123"), "35**********123"},
		{ident.MaskCitizenID("12345"), "*****"},
		{ident.MaskCitizenID(""), ""},
		{ident.MaskMobile("13812341234"), "138****1234"},
		{ident.MaskMobile("1381234"), "*******"},
		{ident.MaskMobile("0591-87654321"), "059******4321"},
		{ident.MaskMobile("一二三四五六七八"), "一二三*五六七八"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestIsMobile(t *testing.T) {
	tests := map[string]bool{
		"13812341234":    true,
		"19912345678":    true,
		"14512345678":    true,
		"12812341234":    false, // no 12x mobile block
		"10012341234":    false,
		"23812341234":    false,
		"1381234123":     false,
		"138123412345":   false,
		"1381234123a":    false,
		"138 1234 1234":  false,
		"+8613812341234": false,
		"１３８１２３４１２３４":    false,
		"":               false,
	}
	for in, want := range tests {
		if got := ident.IsMobile(in); got != want {
			t.Errorf("IsMobile(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestLuhn(t *testing.T) {
	tests := map[string]bool{
		"79927398713":      true, // the textbook example
		"79927398710":      false,
		"4111111111111111": true,
		"4111111111111112": false,
		// By hand, doubling every second digit from the right:
		// 8+4+1+0+9+7+7+3+5+8+3+4+1+4+0+4+2+4+6 = 80.
		"6222021234567890128": true,
		"6222021234567890127": false,
		"00":                  true,
		"0":                   false, // too short to carry a check digit
		"":                    false,
		"4111-1111-1111-1111": false,
	}
	for in, want := range tests {
		if got := ident.Luhn(in); got != want {
			t.Errorf("Luhn(%q) = %v, want %v", in, got, want)
		}
	}
}
