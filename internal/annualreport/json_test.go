package annualreport_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/annualreport"
)

func TestDecode2019(t *testing.T) {
	r := mustDecodeFile(t, "report-2019.json")
	if r.Format != annualreport.Format2019 || r.Year != 2019 || r.Org.Kind != annualreport.OrgGovernment {
		t.Fatalf("decoded %s/%d/%s", r.Format, r.Year, r.Org.Kind)
	}
	// Values typed in testdata/report-2019.json.
	tests := []struct {
		ref  annualreport.CellRef
		want annualreport.Value
	}{
		{annualreport.CellRef{Section: "二", Heading: "第二十条第（五）项", Row: "行政许可", Column: "本年增/减"}, annualreport.Num(-2)},
		{annualreport.CellRef{Section: "二", Heading: "第二十条第（九）项", Row: "政府集中采购", Column: "采购总金额"}, annualreport.Num(25100000)},
		{annualreport.CellRef{Section: "三", Row: "（六）其他处理", Column: "自然人", Groups: []string{"申请人情况"}}, annualreport.Num(1)},
		{annualreport.CellRef{Section: "四", Row: "", Column: "总计", Groups: []string{"行政诉讼", "未经复议直接起诉"}}, annualreport.Num(1)},
	}
	for _, tt := range tests {
		got, ok := r.Lookup(tt.ref)
		if !ok || got != tt.want {
			t.Errorf("%s = %v (found %v), want %v", tt.ref, got, ok, tt.want)
		}
	}
	// A 2021 label does not exist in a 2019 report.
	if _, ok := r.Lookup(annualreport.CellRef{Section: "三", Row: "3.其他", Column: "自然人", Groups: []string{"申请人情况"}}); ok {
		t.Error("Lookup found a 2021 row in a 2019 report")
	}
	// The 2019 tables follow the same 勾稽 rules and hold; such a report is
	// history and can never be published again.
	var blocking []string
	for _, p := range r.Check(nil) {
		if p.Blocking() {
			blocking = append(blocking, p.Message)
		}
	}
	if diff := cmp.Diff([]string{"该报告采用2019年试行格式，只能作为历史数据对照，不能按现行格式发布。"}, blocking); diff != "" {
		t.Errorf("Check of a consistent 2019 report mismatch (-want +got):\n%s", diff)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"golden-2024.json", "published-2023.json", "report-2019.json"} {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			r := mustDecodeFile(t, name)
			if diff := cmp.Diff(genericJSON(t, want), genericJSON(t, encode(t, r))); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(genericJSON(t, want), genericJSON(t, b)); diff != "" {
				t.Errorf("MarshalJSON mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// mutate loads a testdata report as generic JSON, applies change and
// returns the bytes.
func mutate(t *testing.T, name string, change func(m map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m := genericJSON(t, b).(map[string]any)
	change(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func table(m map[string]any, i int) map[string]any {
	return m["tables"].([]any)[i].(map[string]any)
}

func row(m map[string]any, ti, ri int) map[string]any {
	return table(m, ti)["rows"].([]any)[ri].(map[string]any)
}

func TestDecodeBadInput(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(m map[string]any)
		field  string
		msg    string
	}{
		{"unknown row label", "golden-2024.json", func(m map[string]any) { row(m, 4, 6)["label"] = "1.属于国家机密" },
			"tables[4].rows[6].label", "表三第7行的标签“1.属于国家机密”不是2021年格式中的标签，应为“1.属于国家秘密”。"},
		{"straight quotes", "golden-2024.json", func(m map[string]any) { row(m, 4, 8)["label"] = `3.危及"三安全一稳定"` },
			"tables[4].rows[8].label", `表三第9行的标签“3.危及"三安全一稳定"”不是2021年格式中的标签，应为“3.危及“三安全一稳定””。`},
		{"2019 label in a 2021 report", "golden-2024.json", func(m map[string]any) { row(m, 0, 1)["label"] = "规范性文件" },
			"tables[0].rows[1].label", "表二“第二十条第（一）项”第2行的标签“规范性文件”是2019年格式的标签，不是2021年格式的，应为“行政规范性文件”。"},
		{"rows swapped", "golden-2024.json", func(m map[string]any) {
			rows := table(m, 4)["rows"].([]any)
			rows[0], rows[1] = rows[1], rows[0]
		}, "tables[4].rows[0].label", "表三第1行的标签“二、上年结转政府信息公开申请数量”位置不对，应为“一、本年新收政府信息公开申请数量”。"},
		{"unknown column label", "golden-2024.json", func(m map[string]any) {
			table(m, 4)["columns"].([]any)[2].(map[string]any)["label"] = "科研院所"
		}, "tables[4].columns[2]", "表三第3列的标签“申请人情况／法人或其他组织／科研院所”与2021年格式不符，应为“申请人情况／法人或其他组织／科研机构”。"},
		{"wrong corner", "golden-2024.json", func(m map[string]any) { table(m, 4)["corner"] = "勾稽关系" },
			"tables[4].corner", "表三左上角单元格的文字“勾稽关系”与格式不符，应为“（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）”。"},
		{"negative count", "golden-2024.json", func(m map[string]any) { row(m, 4, 0)["values"].([]any)[0] = json.Number("-5") },
			"tables[4].rows[0].values[0]", "表三“一、本年新收政府信息公开申请数量”行“申请人情况／自然人”列不能为负数（现为-5）。"},
		{"negative amount", "golden-2024.json", func(m map[string]any) { row(m, 3, 0)["values"].([]any)[0] = json.Number("-0.01") },
			"tables[3].rows[0].values[0]", "表二“第二十条第（八）项”“行政事业性收费”行“本年收费金额（单位：万元）”列不能为负数（现为-0.01）。"},
		{"three decimals", "golden-2024.json", func(m map[string]any) { row(m, 3, 0)["values"].([]any)[0] = json.Number("12.505") },
			"tables[3].rows[0].values[0]", "表二“第二十条第（八）项”“行政事业性收费”行“本年收费金额（单位：万元）”列：金额最多保留2位小数。"},
		{"fractional count", "golden-2024.json", func(m map[string]any) { row(m, 1, 0)["values"].([]any)[0] = json.Number("1.5") },
			"tables[1].rows[0].values[0]", "表二“第二十条第（五）项”“行政许可”行“本年处理决定数量”列：数量应为整数。"},
		{"exponent", "golden-2024.json", func(m map[string]any) { row(m, 1, 0)["values"].([]any)[0] = json.Number("1e3") },
			"tables[1].rows[0].values[0]", "表二“第二十条第（五）项”“行政许可”行“本年处理决定数量”列：数量“1e3”请写成不带指数的普通数字。"},
		{"text instead of number", "golden-2024.json", func(m map[string]any) { row(m, 1, 0)["values"].([]any)[0] = "120" },
			"tables[1].rows[0].values[0]", "表二“第二十条第（五）项”“行政许可”行“本年处理决定数量”列应为数字或 null。"},
		{"number on a group row", "golden-2024.json", func(m map[string]any) { row(m, 4, 2)["values"].([]any)[0] = json.Number("1") },
			"tables[4].rows[2].values", "表三“三、本年度办理结果”是分组行，不填数字，values 应全部为 null。"},
		{"short row", "golden-2024.json", func(m map[string]any) { row(m, 4, 0)["values"] = []any{json.Number("1")} },
			"tables[4].rows[0].values", "表三“一、本年新收政府信息公开申请数量”行应有7个数值，实际为1个。"},
		{"missing table", "golden-2024.json", func(m map[string]any) { m["tables"] = m["tables"].([]any)[:5] },
			"tables", "2021年格式的报告应有6个表格（表二的4个部分及表三、表四），实际为5个。"},
		{"future year", "golden-2024.json", func(m map[string]any) { m["year"] = json.Number("2026") },
			"year", "2026年尚未到来，不能导入该年度的年度报告。"},
		{"current year", "golden-2024.json", func(m map[string]any) { m["year"] = json.Number("2025") },
			"year", "2025年尚未结束，不能导入该年度的正式年度报告。"},
		{"unknown format", "golden-2024.json", func(m map[string]any) { m["format"] = "2017" },
			"format", "未知的报告格式“2017”，应为“2021”（国办公开办函〔2021〕30号）或“2019”（国办公开办函〔2019〕60号）。"},
		{"schema version", "golden-2024.json", func(m map[string]any) { m["schema_version"] = json.Number("2") },
			"schema_version", "不支持的 schema_version：2（应为 1）。"},
		{"unknown field", "golden-2024.json", func(m map[string]any) { m["publisher"] = "x" },
			"publisher", "未知字段“publisher”，年度报告 JSON 中没有这个字段。"},
		{"wrong heading", "golden-2024.json", func(m map[string]any) {
			m["sections"].([]any)[4].(map[string]any)["heading"] = "五、政府信息公开工作存在的主要问题及改进情况"
		}, "sections[4].heading", "第5部分的标题“五、政府信息公开工作存在的主要问题及改进情况”与格式不符，应为“五、存在的主要问题及改进情况”。"},
		{"text in a table section", "golden-2024.json", func(m map[string]any) { m["sections"].([]any)[1].(map[string]any)["text"] = "x" },
			"sections[1].text", "“二、主动公开政府信息情况”部分由表格组成，不应有 text 字段。"},
		{"bad org kind", "golden-2024.json", func(m map[string]any) { m["org"].(map[string]any)["kind"] = "bureau" },
			"org.kind", "机关类别“bureau”无效，应为“government”（人民政府）或“department”（政府部门）。"},
		{"2021 sub-row in a 2019 report", "report-2019.json", func(m map[string]any) { row(m, 5, 24)["label"] = "3.其他" },
			"tables[5].rows[24].label", "表三第25行的标签“3.其他”是2021年格式的标签，不是2019年格式的，应为“（六）其他处理”。"},
		{"2019 decrease in a non-signed column", "report-2019.json", func(m map[string]any) { row(m, 1, 0)["values"].([]any)[2] = json.Number("-1") },
			"tables[1].rows[0].values[2]", "表二“第二十条第（五）项”“行政许可”行“处理决定数量”列不能为负数（现为-1）。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mutate(t, tt.file, tt.change)
			r, err := annualreport.Decode(bytes.NewReader(b), d("2025-01-20"))
			if err == nil {
				t.Fatalf("Decode succeeded (%s %d), want an error", r.Format, r.Year)
			}
			e := gongkai.AsError(err)
			if e == nil || e.Code != gongkai.EINVALID {
				t.Fatalf("error = %v, want EINVALID", err)
			}
			if e.Field != tt.field || e.Message != tt.msg {
				t.Errorf("error =\n  %s: %s\nwant\n  %s: %s", e.Field, e.Message, tt.field, tt.msg)
			}
		})
	}
}

func TestDecodeNotJSON(t *testing.T) {
	for _, in := range []string{"", "{", "[]", `{"year": "2024"}`, `{} {}`, "\xff"} {
		_, err := annualreport.Decode(strings.NewReader(in), d("2025-01-20"))
		if gongkai.ErrorCode(err) != gongkai.EINVALID || strings.Contains(gongkai.ErrorMessage(err), "系统内部错误") {
			t.Errorf("Decode(%q) = %v, want an EINVALID error with a message", in, err)
		}
	}
}

// A null cell is accepted on import (old reports left zeros blank) and
// flagged by Check, since a published table has no empty cells.
func TestDecodeNullCell(t *testing.T) {
	b := mutate(t, "golden-2024.json", func(m map[string]any) { row(m, 1, 0)["values"].([]any)[0] = nil })
	r, err := annualreport.Decode(bytes.NewReader(b), d("2025-01-20"))
	if err != nil {
		t.Fatal(err)
	}
	if v := r.Tables[1].Rows[0].Values[0]; v.Valid {
		t.Errorf("null cell decoded as %v", v)
	}
	if !annualreport.Blocking(r.Check(nil)) {
		t.Error("an empty cell must block publication")
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"golden-2024.json", "report-2019.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"schema_version":1,"format":"2021"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := annualreport.Decode(bytes.NewReader(b), d("2025-01-20"))
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Fatalf("Decode error %v is not EINVALID", err)
			}
			return
		}
		// Whatever decodes, encodes and decodes to the same report, and can
		// be checked and rendered without panicking.
		var buf bytes.Buffer
		if err := annualreport.Encode(&buf, r); err != nil {
			t.Fatal(err)
		}
		back, err := annualreport.Decode(&buf, d("2025-01-20"))
		if err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if diff := cmp.Diff(r, back); diff != "" {
			t.Fatalf("round trip mismatch (-want +got):\n%s", diff)
		}
		r.Check(nil)
		if _, err := r.HTML(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want annualreport.Amount
		msg  string
	}{
		{"12.34", 1234, ""},
		{"12.3", 1230, ""},
		{"12", 1200, ""},
		{"0", 0, ""},
		{"0.05", 5, ""},
		{" 1,234.50 ", 123450, ""},
		{"１２．５", 1250, ""},
		{"007.10", 710, ""},
		{"", 0, "请填写金额。"},
		{"-1", 0, "金额不能为负数。"},
		{"－1", 0, "金额不能为负数。"},
		{"12.345", 0, "金额最多保留2位小数。"},
		{"1e3", 0, "金额“1e3”不是有效的数字。"},
		{"12.", 0, "金额“12.”不是有效的数字。"},
		{".5", 0, "金额“.5”不是有效的数字。"},
		{"十二", 0, "金额“十二”不是有效的数字。"},
		{"99999999999999", 0, "金额过大。"},
	}
	for _, tt := range tests {
		got, err := annualreport.ParseAmount(tt.in)
		msg := ""
		if err != nil {
			msg = gongkai.ErrorMessage(err)
		}
		if got != tt.want || msg != tt.msg {
			t.Errorf("ParseAmount(%q) = %d, %q; want %d, %q", tt.in, got, msg, tt.want, tt.msg)
		}
	}
	if got, want := annualreport.Amount(1250).String(), "12.50"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := annualreport.Amount(45050).Yuan(), "450.50元"; got != want {
		t.Errorf("Yuan = %q, want %q", got, want)
	}
	n, err := annualreport.ParseCount("１２０")
	if n != 120 || err != nil {
		t.Errorf("ParseCount(１２０) = %d, %v", n, err)
	}
	if _, err := annualreport.ParseCount("1.5"); gongkai.ErrorMessage(err) != "数量应为整数。" {
		t.Errorf("ParseCount(1.5) error = %v", err)
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.34", "0", "１２．５", "1,000", "-1", "1e9", "99999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := annualreport.ParseAmount(s)
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if a < 0 {
			t.Fatalf("ParseAmount(%q) = %d < 0", s, a)
		}
		back, err := annualreport.ParseAmount(a.String())
		if err != nil || back != a {
			t.Fatalf("ParseAmount(%q) = %v, but its String %q parses to %v, %v", s, a, a.String(), back, err)
		}
	})
}
