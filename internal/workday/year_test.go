package workday_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/workday"
)

// validFile is a small well-formed file for 2026; the refusal cases edit it.
const validFile = `{
  "year": 2026,
  "source": "国务院办公厅关于2026年部分节假日安排的通知",
  "docNo": "国办发明电〔2025〕7号",
  "issuedOn": "2025-11-04",
  "url": "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
  "holidays": [
    {"name": "元旦", "off": ["2026-01-01", "2026-01-02", "2026-01-03"], "work": ["2026-01-04"]},
    {"name": "劳动节", "off": ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"], "work": ["2026-05-09"]}
  ]
}`

func TestParseYearValid(t *testing.T) {
	y, err := workday.ParseYear([]byte(validFile))
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2026 || y.DocNo != "国办发明电〔2025〕7号" || len(y.Holidays) != 2 || y.Holidays[1].Work[0].String() != "2026-05-09" {
		t.Errorf("ParseYear = %+v", y)
	}
	// 元旦 of a year may start in the December before.
	s := strings.Replace(validFile, `"off": ["2026-01-01", "2026-01-02", "2026-01-03"], "work": ["2026-01-04"]`,
		`"off": ["2025-12-31", "2026-01-01"], "work": ["2025-12-28"]`, 1)
	if _, err := workday.ParseYear([]byte(s)); err != nil {
		t.Errorf("December of the year before: %v", err)
	}
}

func TestParseYearRefusals(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(validFile, old) {
			panic("test edit does not apply: " + old)
		}
		return strings.Replace(validFile, old, new, 1)
	}
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "  ", []string{"工作日历文件是空的。"}},
		{"not JSON", "{\n\"year\": 2026,\n oops}", []string{"工作日历文件不是有效的JSON：第3行附近有语法错误。"}},
		{"truncated", `{"year": 2026, "holidays": [`, []string{"工作日历文件不完整，JSON在结尾处被截断。"}},
		{"array", `[1, 2]`, []string{"工作日历文件应是一个JSON对象。"}},
		{"unknown field", edit(`"year": 2026,`, `"year": 2026, "comment": "x",`), []string{"工作日历文件中有无法识别的字段“comment”。"}},
		{"unknown holiday field", edit(`{"name": "元旦",`, `{"name": "元旦", "days": 3,`), []string{"工作日历文件中有无法识别的字段“days”。"}},
		{"wrong type", edit(`"year": 2026`, `"year": "2026"`), []string{"工作日历文件中字段“year”的类型不正确。"}},
		{"trailing data", validFile + "{}", []string{"工作日历文件在JSON对象之后还有多余的内容。"}},
		{"year missing", edit(`"year": 2026,`, ``), []string{"工作日历的年份应在1999年至2199年之间，当前为0。"}},
		{"bad date", edit(`"2026-05-09"`, `"2026-5-9"`), []string{"节假日“劳动节”的work中的“2026-5-9”不是有效的日期，应写作YYYY-MM-DD。"}},
		{"date does not exist", edit(`"2026-05-09"`, `"2026-02-30"`), []string{"节假日“劳动节”的work中的“2026-02-30”不是有效的日期，应写作YYYY-MM-DD。"}},
		{"bad issuedOn", edit(`"2025-11-04"`, `"2025年11月4日"`), []string{"放假通知的成文日期“2025年11月4日”不是有效的日期，应写作YYYY-MM-DD。"}},
		{"work on a weekday", edit(`"2026-05-09"`, `"2026-05-08"`), []string{"节假日“劳动节”的调休上班日2026-05-08是星期五，调休上班日应为星期六或星期日。"}},
		{"date outside the year", edit(`"2026-05-09"`, `"2027-01-02"`), []string{"节假日“劳动节”中的日期2027-01-02不属于2026年的安排：只能是2026年的日期，或2025年12月的日期。"}},
		{"date in November before", edit(`"work": ["2026-01-04"]`, `"work": ["2025-11-29"]`), []string{"节假日“元旦”中的日期2025-11-29不属于2026年的安排：只能是2026年的日期，或2025年12月的日期。"}},
		{"off not consecutive", edit(`"2026-01-02", "2026-01-03"`, `"2026-01-03", "2026-01-02"`), []string{
			"节假日“元旦”的放假日期应按先后顺序连续列出，2026-01-01之后应为2026-01-02，而不是2026-01-03。",
			"节假日“元旦”的放假日期应按先后顺序连续列出，2026-01-03之后应为2026-01-04，而不是2026-01-02。",
		}},
		{"both off and work", edit(`"work": ["2026-05-09"]`, `"work": ["2026-05-02"]`), []string{"日期2026-05-02重复出现：既是节假日“劳动节”的放假日，又是节假日“劳动节”的调休上班日。"}},
		{"work listed twice", edit(`"work": ["2026-05-09"]`, `"work": ["2026-05-09", "2026-05-09"]`), []string{"节假日“劳动节”的调休上班日2026-05-09重复出现。"}},
		{"date in two holidays", edit(`"work": ["2026-05-09"]`, `"work": ["2026-01-04"]`), []string{"日期2026-01-04重复出现：既是节假日“元旦”的调休上班日，又是节假日“劳动节”的调休上班日。"}},
		{"holiday twice", edit(`{"name": "劳动节"`, `{"name": "元旦"`), []string{"节假日“元旦”重复出现。"}},
		{"no name", edit(`{"name": "劳动节", `, `{`), []string{"第2个节假日缺少名称（name）。"}},
		{"no off", edit(`"off": ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"], `, ``), []string{"节假日“劳动节”没有列出放假日期（off）。"}},
		{"no holidays", validFile[:strings.Index(validFile, `,
  "holidays"`)] + "}", []string{"2026年的安排中没有列出任何节假日（holidays）。"}},
		{"no notice", edit(`"source": "国务院办公厅关于2026年部分节假日安排的通知",
  "docNo": "国办发明电〔2025〕7号",
  "issuedOn": "2025-11-04",`, ``), []string{"缺少放假通知的标题（source）。", "缺少放假通知的发文字号（docNo）。", "缺少放假通知的成文日期（issuedOn）。"}},
		{"docNo form", edit(`国办发明电〔2025〕7号`, `国办发明电[2025]7号`), []string{"放假通知的发文字号“国办发明电[2025]7号”格式不正确，应形如“国办发明电〔2025〕7号”。"}},
		{"issued too early", edit(`"2025-11-04"`, `"2024-11-04"`), []string{"放假通知的成文日期2024-11-04应在2025年或2026年内。"}},
		{"bad url", edit(`https://www.gov.cn`, `www.gov.cn`), []string{"放假通知的网址“www.gov.cn/zhengce/content/202511/content_7047090.htm”应以http://或https://开头。"}},
		{"bad amendment", edit(`"holidays": [`, `"amendments": [{"source": "", "docNo": "国办发明电〔2026〕1号", "issuedOn": "2026-01-20"}], "holidays": [`), []string{"缺少第1个调整通知的标题（source）。"}},
	}
	for _, tt := range tests {
		_, err := workday.ParseYear([]byte(tt.in))
		var ye *workday.YearError
		if !errors.As(err, &ye) {
			t.Errorf("%s: error %v, want a *YearError", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, ye.Problems); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestEncodeYearRoundTrip(t *testing.T) {
	c := workday.Embedded()
	for _, year := range c.Years() {
		y, _ := c.Year(year)
		b, err := workday.EncodeYear(y)
		if err != nil {
			t.Fatalf("EncodeYear(%d): %v", year, err)
		}
		back, err := workday.ParseYear(b)
		if err != nil {
			t.Fatalf("ParseYear(EncodeYear(%d)): %v\n%s", year, err, b)
		}
		if diff := cmp.Diff(y, back); diff != "" {
			t.Errorf("%d round trip mismatch (-want +got):\n%s", year, diff)
		}
	}
	if _, err := workday.EncodeYear(workday.Year{Year: 2026}); err == nil {
		t.Error("EncodeYear accepted an invalid year")
	}
}

func FuzzParseYear(f *testing.F) {
	f.Add([]byte(validFile))
	f.Add([]byte(`{"year":2019,"source":"s","docNo":"国办发明电〔2018〕15号","issuedOn":"2018-12-04","holidays":[{"name":"元旦","off":["2018-12-30","2018-12-31","2019-01-01"],"work":["2018-12-29"]}]}`))
	f.Add([]byte(`{"year": 2026, "holidays": [`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		y, err := workday.ParseYear(b)
		if err != nil {
			var ye *workday.YearError
			if !errors.As(err, &ye) || len(ye.Problems) == 0 {
				t.Fatalf("ParseYear error %v is not a *YearError with problems", err)
			}
			return
		}
		c, err := workday.New(y)
		if err != nil {
			t.Fatalf("New(ParseYear(…)): %v", err)
		}
		if _, err := c.Add(y.Holidays[0].Off[0], 1); err != nil && !errors.Is(err, workday.ErrUnknownYear) {
			t.Fatalf("Add: %v", err)
		}
		enc, err := workday.EncodeYear(y)
		if err != nil {
			t.Fatalf("EncodeYear: %v", err)
		}
		back, err := workday.ParseYear(enc)
		if err != nil {
			t.Fatalf("ParseYear(EncodeYear(y)): %v", err)
		}
		if diff := cmp.Diff(y, back); diff != "" {
			t.Fatalf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
}
