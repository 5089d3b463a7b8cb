package ident

import "fmt"

// ComposeCreditCode builds a valid 统一社会信用代码 from its parts: the
// 2-character 登记管理部门码 and 机构类别码 (e.g. "11" for a 机关), the 6-digit
// 行政区划码 and the 8-character body of the 组织机构代码. Both check characters
// (the 组织机构代码's and the code's own) are computed. Seed data and tests
// use it to make fictional but valid codes.
func ComposeCreditCode(prefix2, region6, orgBody8 string) (string, error) {
	if len(prefix2) != 2 || len(region6) != 6 || len(orgBody8) != 8 {
		return "", fmt.Errorf("统一社会信用代码的组成部分长度不正确（应为2、6、8位）。")
	}
	oc, err := OrgCodeCheckChar(orgBody8)
	if err != nil {
		return "", err
	}
	first17 := prefix2 + region6 + orgBody8 + string(oc)
	cc, err := CreditCodeCheckChar(first17)
	if err != nil {
		return "", err
	}
	code := first17 + string(cc)
	if err := ValidateCreditCode(code); err != nil {
		return "", err
	}
	return code, nil
}
