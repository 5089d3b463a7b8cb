// Package annualreport compiles, checks, encodes and renders the statutory
// 政府信息公开工作年度报告 (条例 Art. 49–50) in the national format of
// 国办公开办函〔2021〕30号, and reads earlier years' reports in that format and
// in the 2019 trial format (国办公开办函〔2019〕60号) for comparison.
//
// The package is pure: Compile takes plain facts (applications, appeals,
// documents, figures entered by staff) that the store provides and returns a
// Report; it reads no clock (today is passed in) and does no I/O beyond the
// writers its encoders are given. Every label of the official tables lives in
// layout.go, nowhere else.
//
// Sources: the table layouts, labels and consistency rules are those of
// ../shared/reference/statutes.md §2 (the 2021 format, verified against
// published gov.cn reports) and §2.6 (the 2019 trial format, verified against
// the 2019 report of the 上海市人民政府办公厅); the reporting deadlines are
// 条例 Art. 49 (§1.6).
package annualreport
