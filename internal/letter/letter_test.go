package letter_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/letter"
)

func d(s string) gongkai.Date {
	v, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDefaultsComplete(t *testing.T) {
	keys := letter.Keys()
	if len(keys) != 21+5 {
		t.Fatalf("%d template keys, want 26 (21 outcomes + 5 notices)", len(keys))
	}
	for _, k := range keys {
		tpl, ok := letter.Default(k)
		if !ok {
			t.Errorf("%s: no default", k)
			continue
		}
		if err := tpl.Validate(); err != nil {
			t.Errorf("%s: default does not validate: %v", k, err)
		}
		if strings.HasPrefix(k, "reply.") {
			// Every reply states the remedies (issue 4 item 5).
			for _, want := range []string{"60日内", "行政复议", "6个月内", "行政诉讼", "{复议机关}"} {
				if !strings.Contains(tpl.Body, want) {
					t.Errorf("%s: reply lacks %q", k, want)
				}
			}
		}
		if strings.Contains(letter.Label(k), k) {
			t.Errorf("%s has no Chinese label", k)
		}
	}
}

func TestRenderGranted(t *testing.T) {
	app := &gongkai.Application{TrackingNo: "YSQ20240603ABCDE", OrgName: "示例市发展和改革委员会", ReceivedOn: d("2024-06-03"),
		Request: gongkai.InfoRequest{Subject: "城市更新项目资金安排", DocNo: "示发改〔2023〕12号", Form: gongkai.FormElectronic, Delivery: gongkai.DeliveryEmail},
		Reply: &gongkai.Reply{Outcome: gongkai.OutcomeGranted, Date: d("2024-06-20"), Basis: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
			Provided: []string{"关于下达2023年城市更新项目资金的通知", "https://www.shili.example/xxgk/1.html"}}}
	in := letter.Input{App: app, Applicant: &gongkai.Applicant{Name: "张小明", Address: "示例市人民大道100号"}, ReconsiderationBody: "示例市人民政府"}
	tpl, _ := letter.Default(letter.ReplyKey(gongkai.OutcomeGranted))
	got := letter.Render(tpl, letter.Build(in)).Text()
	want := "政府信息公开申请答复告知书\n" +
		"\t\t编号：YSQ20240603ABCDE\n" +
		"张小明：\n" +
		"　　本机关于2024年6月3日收到您提出的政府信息公开申请，申请获取“城市更新项目资金安排（示发改〔2023〕12号）”。经审查，现答复如下：\n" +
		"　　您所申请的政府信息属于公开范围。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关向您提供以下政府信息：关于下达2023年城市更新项目资金的通知；https://www.shili.example/xxgk/1.html。\n" +
		"　　本机关按照您要求的电子形式，以电子邮件方式提供。\n" +
		"　　如对本答复不服，您可以自收到本告知书之日起60日内向示例市人民政府申请行政复议，也可以自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。\n" +
		"　　特此告知。\n" +
		"\t\t示例市发展和改革委员会\n" +
		"\t\t2024年6月20日\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("letter mismatch (-want +got):\n%s", diff)
	}
}

func TestRenderNotHeldAndOptionalLines(t *testing.T) {
	app := &gongkai.Application{TrackingNo: "YSQ1", OrgName: "示例市民政局", ReceivedOn: d("2024-06-03"), Request: gongkai.InfoRequest{Subject: "低保名单"},
		Reply: &gongkai.Reply{Outcome: gongkai.OutcomeUnavailableNotHeld, Date: d("2024-06-10"), NotHeld: gongkai.NotHeldOtherOrgan,
			OtherOrgan: "示例市城东区民政局", OtherOrganContact: "0791-22345678"}}
	tpl, _ := letter.Default(letter.ReplyKey(gongkai.OutcomeUnavailableNotHeld))
	got := letter.Render(tpl, letter.Build(letter.Input{App: app, Applicant: &gongkai.Applicant{Name: "李四"}, ReconsiderationBody: "示例市人民政府"})).Text()
	if !strings.Contains(got, "该政府信息由示例市城东区民政局负责公开，联系方式：0791-22345678，建议您向该机关咨询或者提出申请。") {
		t.Errorf("other organ not named:\n%s", got)
	}
	// No basis was given, so the optional "根据{法律依据}" line is left
	// out rather than printed with a hole; so is the empty {答复正文}.
	if strings.Contains(got, "根据的规定") || strings.Contains(got, "特此告知。\n\t\t示例市民政局") == false {
		t.Errorf("optional lines mishandled:\n%s", got)
	}
}

func TestFeeNotice(t *testing.T) {
	ev := gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: d("2024-03-05"), Deadline: d("2024-04-02"),
		Fee: &gongkai.Fee{Method: gongkai.FeePerPage, Quantity: 120, Amount: 1100, Payment: "转账至示例市财政局非税收入汇缴账户",
			Lines: []gongkai.FeeLine{{Label: "第1—30页，免费", Count: 30}, {Label: "第31—100页，每页10元", Count: 70, Rate: 10, Amount: 700}, {Label: "第101—120页，每页20元", Count: 20, Rate: 20, Amount: 400}}}}
	app := &gongkai.Application{TrackingNo: "YSQ2", OrgName: "示例市财政局", ReceivedOn: d("2024-03-01"), Request: gongkai.InfoRequest{Subject: "预算执行情况"}}
	tpl, _ := letter.Default(string(gongkai.LetterFee))
	got := letter.Render(tpl, letter.Build(letter.Input{App: app, Applicant: &gongkai.Applicant{Name: "王五"}, Event: &ev})).Text()
	for _, want := range []string{
		"收费方式：按量计收；计费数量：120页。",
		"计费明细：第1—30页，免费，30页，0元；第31—100页，每页10元，70页，700元；第101—120页，每页20元，20页，400元。",
		"应缴金额：人民币1100元。",
		"缴费方式：转账至示例市财政局非税收入汇缴账户",
		"（2024年4月2日前）缴纳",
		"\t\t2024年3月5日",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("fee notice lacks %q:\n%s", want, got)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		tpl   letter.Template
		field string
	}{
		{letter.Template{Title: "", Body: "x"}, "title"},
		{letter.Template{Title: "t", Body: "  "}, "body"},
		{letter.Template{Title: "t", Body: "{申请人}{身份证号}"}, "body"},
		{letter.Template{Title: "t", Body: "{申请人"}, "body"},
		{letter.Template{Title: "{电话}", Body: "x"}, "body"},
	} {
		err := tc.tpl.Validate()
		if e := gongkai.AsError(err); e == nil || e.Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want a problem on %s", tc.tpl, err, tc.field)
		}
	}
	ok := letter.Template{Title: " 答复 ", Body: "|{申请人}：\r\n同意。\n>{机关}"}
	if err := ok.Validate(); err != nil || ok.Title != "答复" || strings.Contains(ok.Body, "\r") {
		t.Errorf("valid template: %v %+v", err, ok)
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"身份证号11010519491231002X，电话13800138000。", "身份证号11*************02X，电话138****8000。"},
		{"+8613800138000", "+86138****8000"},
		{"固定电话0791-12345678不变", "固定电话0791-12345678不变"},
		// Not a valid ID (wrong check character) or not a mobile: unchanged.
		{"110105194912310021", "110105194912310021"},
		{"12345678901", "12345678901"},
		{"文号示发改〔2023〕12号", "文号示发改〔2023〕12号"},
	} {
		if got := letter.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Templates cannot print an ID number even when staff type one into
	// the reasons.
	app := &gongkai.Application{OrgName: "x", Reply: &gongkai.Reply{Outcome: gongkai.OutcomeOtherOther, Date: d("2024-01-02"), Reason: "申请人（身份证号11010519491231002X，手机13800138000）撤回申请"}}
	tpl, _ := letter.Default(letter.ReplyKey(gongkai.OutcomeOtherOther))
	got := letter.Render(tpl, letter.Build(letter.Input{App: app})).Text()
	if strings.Contains(got, "11010519491231002X") || strings.Contains(got, "13800138000") {
		t.Errorf("letter carries an ID or mobile number:\n%s", got)
	}
}

func TestDOCX(t *testing.T) {
	l := letter.Letter{Title: "政府信息公开申请补正告知书", Paras: []letter.Para{{"张三：", letter.AlignFlush}, {"请补正。", letter.AlignBody}, {"示例市民政局", letter.AlignRight}}}
	var buf bytes.Buffer
	if err := l.WriteDOCX(&buf, "gongkai"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(b)
		}
	}
	text := strings.Join(regexp.MustCompile(`<w:t[^>]*>([^<]*)</w:t>`).FindAllString(doc, -1), "")
	for _, want := range []string{"政府信息公开申请补正告知书", "张三：", "请补正。", "示例市民政局"} {
		if !strings.Contains(text, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if !strings.Contains(doc, `<w:jc w:val="right"/>`) {
		t.Error("the signature is not right-aligned")
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "13800138000", "86138001380001", "abc 0791-1234567"} {
		f.Add(s)
	}
	mobile := regexp.MustCompile(`\d+`)
	f.Fuzz(func(t *testing.T, s string) {
		m := letter.Mask(s)
		if letter.Mask(m) != m {
			t.Fatalf("Mask not idempotent on %q", s)
		}
		for _, run := range mobile.FindAllString(m, -1) {
			if ident.IsMobile(run) {
				t.Fatalf("mobile number %q left in %q", run, m)
			}
		}
	})
}

// TestDOCXOpensInLibreOffice converts two letters to PDF when LibreOffice is
// installed (skipped otherwise and with -short; the XML is checked by
// TestDOCX).
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil || testing.Short() {
		t.Skip("LibreOffice not installed (or -short)")
	}
	dir := t.TempDir()
	app := &gongkai.Application{TrackingNo: "YSQ20240603ABCDE", OrgName: "示例市发展和改革委员会", ReceivedOn: d("2024-06-03"),
		Request: gongkai.InfoRequest{Subject: "城市更新项目资金安排"},
		Reply:   &gongkai.Reply{Outcome: gongkai.OutcomeWithheldProcess, Date: d("2024-06-20"), Basis: "《中华人民共和国政府信息公开条例》第十六条第二款", Reason: "所申请信息为讨论记录"}}
	in := letter.Input{App: app, Applicant: &gongkai.Applicant{Name: "张小明"}, ReconsiderationBody: "示例市人民政府"}
	var names []string
	for _, key := range []string{letter.ReplyKey(gongkai.OutcomeWithheldProcess), string(gongkai.LetterThirdParty)} {
		tpl, _ := letter.Default(key)
		var buf bytes.Buffer
		if err := letter.Render(tpl, letter.Build(in)).WriteDOCX(&buf, "gongkai"); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, strings.ReplaceAll(key, ".", "-")+".docx")
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	args := append([]string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", filepath.Join(dir, "out")}, names...)
	if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, n := range names {
		pdf := filepath.Join(dir, "out", strings.TrimSuffix(filepath.Base(n), ".docx")+".pdf")
		if st, err := os.Stat(pdf); err != nil || st.Size() < 1000 {
			t.Errorf("no PDF for %s: %v", filepath.Base(n), err)
		}
	}
}
