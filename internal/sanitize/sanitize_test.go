package sanitize

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

type rm = []Removal

func unsafe(what string, n int) Removal { return Removal{What: what, Count: n, Unsafe: true} }
func other(what string, n int) Removal  { return Removal{What: what, Count: n} }

var bodyTests = []struct {
	name    string
	in      string
	want    string
	removed rm
}{
	// XSS vectors.
	{"img onerror", `<img src=x onerror=alert(1)>`, `<img src="x"/>`, rm{unsafe("事件属性（onerror）", 1)}},
	{"javascript link", `<p><a href="javascript:alert(1)">点击</a></p>`, `<p>点击</p>`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"javascript link, mixed case", `<a href="JaVaScRiPt:alert(1)">x</a>`, `x`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"javascript link, entity", `<a href="&#106;avascript:alert(1)">x</a>`, `x`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"javascript link, named entity colon", `<a href="javascript&colon;alert(1)">x</a>`, `x`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"javascript link, tab inside", `<a href="java&#x09;script:alert(1)">x</a>`, `x`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"javascript link, leading control", "<a href=\"\x01 javascript:alert(1)\">x</a>", `x`, rm{unsafe("不安全链接（javascript:）", 1)}},
	{"vbscript link", `<a href="vbscript:msgbox(1)">x</a>`, `x`, rm{unsafe("不安全链接（vbscript:）", 1)}},
	{"data link", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, `x`, rm{unsafe("不安全链接（data:）", 1)}},
	{"javascript image", `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`, ``, rm{unsafe("不安全的图片地址（javascript:）", 1)}},
	{"svg onload", `<p>图<svg onload=alert(1)><circle r="1"/></svg></p>`, `<p>图</p>`, rm{unsafe("<svg> 图形", 1)}},
	{"math", `<math><mi>x</mi></math>`, ``, rm{unsafe("<math> 公式", 1)}},
	{"style element is formatting", `<style>body{display:none}</style><p>正文</p>`, `<p>正文</p>`, nil},
	{"script", `<p>前<script>alert(1)</script>后</p>`, `<p>前后</p>`, rm{unsafe("<script> 脚本", 1)}},
	{"script in head", `<html><head><script src="x.js"></script></head><body><p>a</p></body></html>`, `<p>a</p>`, rm{unsafe("<script> 脚本", 1)}},
	{"split script tag", `<scr<script>ipt>alert(1)</script>`, `ipt&gt;alert(1)`, nil},
	{"iframe", `<iframe src="https://evil.example/"></iframe>正文`, `正文`, rm{unsafe("<iframe> 内嵌页面", 1)}},
	{"object and embed", `<object data="a.swf"></object><embed src="a.swf">`, ``, rm{unsafe("<object> 插件", 1), unsafe("<embed> 插件", 1)}},
	{"form", `<form action="https://evil.example/"><p>姓名<input name=n></p><button>提交</button></form>`, `<p>姓名</p>`,
		rm{unsafe("<form> 表单", 1), unsafe("表单控件", 2)}},
	{"base", `<base href="https://evil.example/"><a href="/x">x</a>`, `<a href="/x">x</a>`, rm{unsafe("<base> 元素", 1)}},
	{"event attribute on kept element", `<p onclick="steal()" onmouseover="x">a</p>`, `<p>a</p>`, rm{unsafe("事件属性（onclick）", 1), unsafe("事件属性（onmouseover）", 1)}},
	{"event attribute on unwrapped element", `<span onmouseover="x">a</span>`, `a`, rm{unsafe("事件属性（onmouseover）", 1)}},
	{"script URL in a dropped attribute", `<p style="background:url(javascript:alert(1))">a</p>`, `<p>a</p>`, rm{unsafe("脚本链接（javascript:）", 1)}},
	{"noscript mXSS", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `<img src="x"/>&#34;&gt;`, rm{unsafe("事件属性（onerror）", 1)}},
	{"escaped markup stays text", `<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`, `<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`, nil},
	{"entities", `<p>Tom &amp; Jerry&nbsp;说“你好”</p>`, "<p>Tom &amp; Jerry\u00a0说“你好”</p>", nil},
	{"misnested formatting", `<p><b>粗<i>斜</b>体</i></p>`, `<p><b>粗<i>斜</i></b><i>体</i></p>`, nil},
	{"unclosed tags", `<p>一<p>二<ul><li>三<li>四`, `<p>一</p><p>二</p><ul><li>三</li><li>四</li></ul>`, nil},

	// Links.
	{"external link gets rel", `<a href="https://www.gov.cn/" target="_blank">中国政府网</a>`, `<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>`, nil},
	{"user rel is replaced", `<a href="http://example.com/" rel="opener">x</a>`, `<a href="http://example.com/" rel="noopener noreferrer">x</a>`, nil},
	{"scheme-relative link is external", `<a href="//evil.example/x">x</a>`, `<a href="//evil.example/x" rel="noopener noreferrer">x</a>`, nil},
	{"site and anchor links", `<a href="/xxgk/zcwj/">政策</a><a href="#_Toc1">目录</a><a name="_Toc1"></a>`, `<a href="/xxgk/zcwj/">政策</a><a href="#_Toc1">目录</a>`, nil},
	{"mailto", `<a href="mailto:gkb@example.gov.cn">信箱</a>`, `<a href="mailto:gkb@example.gov.cn">信箱</a>`, nil},
	{"ftp link", `<a href="ftp://example.com/a">下载</a>`, `下载`, rm{other("不支持的链接（ftp:）", 1)}},
	{"local file links", `<a href="file:///C:/a.doc">a</a><a href="C:\Users\a\b.docx">b</a>`, `ab`, rm{other("本地文件链接（file:）", 2)}},
	{"link with a space in the host", `<a href="https://exa mple.com/">x</a>`, `x`, rm{other("无效链接", 1)}},
	{"link URL normalised", `<a href="/附件/说明 1.pdf">说明</a>`, `<a href="/%E9%99%84%E4%BB%B6/%E8%AF%B4%E6%98%8E%201.pdf">说明</a>`, nil},

	// Images.
	{"site image keeps alt and sizes", `<img src="/files/abc.png" alt="示意图" width="600px" height=400 style="x">`, `<img src="/files/abc.png" alt="示意图" height="400"/>`, nil},
	{"external image", `<p>图<img src="https://evil.example/track.gif"></p>`, `<p>图</p>`, rm{other("外部网站图片", 1)}},
	{"pasted data image", `<img src="data:image/png;base64,iVBORw0KGgo=">`, ``, rm{other("粘贴的内嵌图片", 1)}},
	{"local image", `<img src="file:///C:/Users/a/clip_image002.png"><img src="C:\tmp\a.png">`, ``, rm{other("本地图片（file:）", 2)}},
	{"video", `<video src="a.mp4" controls></video>`, ``, rm{other("音频、视频", 1)}},

	// Structure.
	{"h1 demotes every heading", `<h1>一</h1><h2>二</h2><h5>五</h5><h6>六</h6>`, `<h2>一</h2><h3>二</h3><h6>五</h6><h6>六</h6>`, nil},
	{"no h1, headings stay", `<h2>二</h2><h3>三</h3>`, `<h2>二</h2><h3>三</h3>`, nil},
	{"div lines become paragraphs", `<div>第一行</div><div>第二行<br></div><div><br></div><div>&nbsp;</div>`, `<p>第一行</p><p>第二行<br/></p>`, nil},
	{"wrapper divs are unwrapped", `<div class="WordSection1"><div>甲</div><div><p>乙</p></div></div>`, `<p>甲</p><p>乙</p>`, nil},
	{"div inside inline is unwrapped", `<b><div>粗</div></b>`, `<b>粗</b>`, nil},
	{"div in a cell", `<table><tr><td><div>格</div></td></tr></table>`, `<table><tbody><tr><td><p>格</p></td></tr></tbody></table>`, nil},
	{"lists", `<ul><li>一</li><li>二<ol start="03" type="a"><li>三</li></ol></li></ul>`, `<ul><li>一</li><li>二<ol start="3"><li>三</li></ol></li></ul>`, nil},
	{"quote and rule", `<blockquote cite="x">引文</blockquote><hr size=2>`, `<blockquote>引文</blockquote><hr/>`, nil},
	{"inline formatting", `<p>H<sub>2</sub>O，m<sup>2</sup>，<u>下划线</u><em>强调</em><strong>加粗</strong><i>斜</i><s>删</s><font color=red>红</font></p>`,
		`<p>H<sub>2</sub>O，m<sup>2</sup>，<u>下划线</u><em>强调</em><strong>加粗</strong><i>斜</i>删红</p>`, nil},
	{"table spans and scope", `<table border=1><caption>表1</caption><thead><tr><th scope="COL" width=9>项</th></tr></thead><tr><td colspan="2" style="x">a</td><td rowspan=01>b</td><td colspan="9999">c</td></tr></table>`,
		`<table><caption>表1</caption><thead><tr><th scope="col">项</th></tr></thead><tbody><tr><td colspan="2">a</td><td>b</td><td colspan="999">c</td></tr></tbody></table>`, nil},
	{"alignment becomes a class", `<p align="center">标题</p><p style="TEXT-ALIGN: right">落款</p><p style="text-align:justify">正文</p><h2 align=right>二</h2>`,
		`<p class="ta-center">标题</p><p class="ta-right">落款</p><p>正文</p><h2 class="ta-right">二</h2>`, nil},
	{"foreign classes are dropped", `<p class="MsoNormal evil">a</p><p class="ta-center">b</p>`, `<p>a</p><p class="ta-center">b</p>`, nil},
	{"blank paragraphs are dropped", "<p>&nbsp;</p><p>　</p><p><o:p></o:p></p><p><b> </b></p><p>正文</p>", `<p>正文</p>`, nil},
	{"space between inline elements stays", `<p><b>甲</b> <i>乙</i></p>`, `<p><b>甲</b> <i>乙</i></p>`, nil},
	{"Word line breaks inside Chinese", "<p>政务\r\n公开 and\r\nWord， \n续行</p>", `<p>政务公开 and Word，续行</p>`, nil},
	{"smart tags keep their text", `<p><st1:chsdate Year="2024" Month="1" Day="5" w:st="on">2024年1月5日</st1:chsdate>印发</p>`, `<p>2024年1月5日印发</p>`, nil},
	{"conditional comments", `<p><![if !supportLists]>1.<![endif]>条目<!--[if gte mso 9]><xml><w:x>Normal</w:x></xml><![endif]--></p>`, `<p>1.条目</p>`, nil},
	{"VML outside comments", `<p>图<v:shape><v:imagedata src="file:///a.png"/></v:shape></p>`, `<p>图</p>`, nil},
	{"empty", ``, ``, nil},
	{"text only", `  纯文本  `, `纯文本`, nil},
}

func TestBody(t *testing.T) {
	for _, tt := range bodyTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Body(tt.in)
			if diff := cmp.Diff(tt.want, got.HTML); diff != "" {
				t.Errorf("Body(%q).HTML mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.removed, got.Removed); diff != "" {
				t.Errorf("Body(%q).Removed mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestBodyIdempotent(t *testing.T) {
	inputs := []string{readFile(t, "word-paste.html"), readFile(t, "wps-paste.html")}
	for _, tt := range bodyTests {
		inputs = append(inputs, tt.in)
	}
	for _, in := range inputs {
		once := Body(in)
		twice := Body(once.HTML)
		if diff := cmp.Diff(once.HTML, twice.HTML); diff != "" {
			t.Errorf("Body(Body(%q)) changed (-once +twice):\n%s", in, diff)
		}
		if len(twice.Removed) != 0 {
			t.Errorf("Body(Body(%q)) removed %v", in, twice.Removed)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWordPaste(t *testing.T) {
	got := Body(readFile(t, "word-paste.html"))
	want := `<p class="ta-center">关于做好2024年政务公开工作的通知</p>` +
		`<p>各县（市、区）人民政府，市政府各部门：</p>` +
		`<h2>一、总体要求</h2>` +
		"<p>1.\u00a0\u00a0\u00a0 坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。</p>" +
		`<table><tbody><tr><td><p class="ta-center"><b>事项</b></p></td><td><p class="ta-center"><b>责任单位</b></p></td></tr>` +
		"<tr><td colspan=\"2\"><p>政务公开\u00a0专栏</p></td></tr></tbody></table>" +
		`<p>详见<a href="https://www.gov.cn/zhengce/content/2017-06/08/content_5200760.htm" rel="noopener noreferrer">《政府网站发展指引》</a>。</p>` +
		`<p class="ta-right">市人民政府办公室</p>` +
		`<p class="ta-right">2024年3月1日</p>`
	if diff := cmp.Diff(want, got.HTML); diff != "" {
		t.Errorf("Word paste mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rm{other("本地图片（file:）", 1)}, got.Removed); diff != "" {
		t.Errorf("Removed mismatch (-want +got):\n%s", diff)
	}
	wantNotice := "以下内容无法在网站上显示，未予保留：本地图片（file:）1 处。图片请上传到本站后再插入正文。"
	if diff := cmp.Diff(wantNotice, got.Notice()); diff != "" {
		t.Errorf("Notice mismatch (-want +got):\n%s", diff)
	}
}

func TestWPSPaste(t *testing.T) {
	got := Body(readFile(t, "wps-paste.html"))
	want := `<p class="ta-center"><b>市财政局</b><b>2023年部门决算公开说明</b></p>` +
		`<p>根据预算法规定，现将部门决算公开如下：</p>` +
		`<h2>（一）收入支出决算总体情况</h2>` +
		"<p>2023年度收入总计<u>1,234.56</u>万元。\u00a0</p>"
	if diff := cmp.Diff(want, got.HTML); diff != "" {
		t.Errorf("WPS paste mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rm{other("粘贴的内嵌图片", 1)}, got.Removed); diff != "" {
		t.Errorf("Removed mismatch (-want +got):\n%s", diff)
	}
}

func TestNotice(t *testing.T) {
	tests := []struct {
		r    Result
		want string
	}{
		{Result{}, ""},
		{Result{Removed: rm{unsafe("<script> 脚本", 1), unsafe("事件属性（onerror）", 1)}},
			"已移除不安全内容：<script> 脚本 1 处、事件属性（onerror）1 处。"},
		{Result{Removed: rm{unsafe("<iframe> 内嵌页面", 2), other("不支持的链接（ftp:）", 1)}},
			"已移除不安全内容：<iframe> 内嵌页面 2 处。以下内容无法在网站上显示，未予保留：不支持的链接（ftp:）1 处。"},
		{Result{Removed: rm{other("外部网站图片", 3)}},
			"以下内容无法在网站上显示，未予保留：外部网站图片 3 处。图片请上传到本站后再插入正文。"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.r.Notice()); diff != "" {
			t.Errorf("Notice mismatch (-want +got):\n%s", diff)
		}
	}
	// The example, end to end.
	r := Body(`<p>通知<script>alert(1)</script><img src="/a.png" onerror="alert(2)"></p>`)
	if diff := cmp.Diff("已移除不安全内容：<script> 脚本 1 处、事件属性（onerror）1 处。", r.Notice()); diff != "" {
		t.Errorf("Notice mismatch (-want +got):\n%s", diff)
	}
}

func TestImagePrefixes(t *testing.T) {
	s := New(Options{ImagePrefixes: []string{"https://files.example.gov.cn/attachments/"}})
	tests := []struct {
		in, want string
	}{
		{`<img src="https://files.example.gov.cn/attachments/ab/cd.png">`, `<img src="https://files.example.gov.cn/attachments/ab/cd.png"/>`},
		{`<img src="/attachments/ab.png">`, `<img src="/attachments/ab.png"/>`},
		{`<img src="https://files.example.gov.cn.evil.example/attachments/x.png">`, ``},
		{`<img src="https://files.example.gov.cn/other/x.png">`, ``},
		{`<img src="http://files.example.gov.cn/attachments/x.png">`, ``},
	}
	for _, tt := range tests {
		if got := s.Body(tt.in).HTML; got != tt.want {
			t.Errorf("Body(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`<p>第一段</p><p>第二段，<b>加粗</b>。</p>`, "第一段\n第二段，加粗。"},
		{"<p>　　各单位：\r\n现将有关事项\r\n通知如下。</p>", "各单位：现将有关事项通知如下。"},
		{`<h2>一、要求</h2><ul><li>甲</li><li>乙</li></ul>`, "一、要求\n甲\n乙"},
		{`<table><tr><th>事项</th><th>单位</th></tr><tr><td>公开</td><td>办公室</td></tr></table>`, "事项 单位\n公开 办公室"},
		{`<p>a<br>b</p>`, "a\nb"},
		{`<p>Tom &amp; Jerry&nbsp;&nbsp;说</p>`, "Tom & Jerry 说"},
		{`<style>p{}</style><script>x()</script><!-- 注释 --><p>正文</p>`, "正文"},
		{`<p>图<img src="/a.png" alt="示意图"></p>`, "图示意图"},
		{`<p>a <span>b</span>  c</p>`, "a b c"},
		{``, ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, PlainText(tt.in)); diff != "" {
			t.Errorf("PlainText(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestExcerpt(t *testing.T) {
	body := `<p>为进一步做好政务公开工作，现将有关事项通知如下。</p><p>一、总体要求</p>`
	tests := []struct {
		n    int
		want string
	}{
		{100, "为进一步做好政务公开工作，现将有关事项通知如下。 一、总体要求"},
		{31, "为进一步做好政务公开工作，现将有关事项通知如下。 一、总体要求"},
		{30, "为进一步做好政务公开工作，现将有关事项通知如下。 一、总体…"},
		{14, "为进一步做好政务公开工作…"}, // the comma before the cut is dropped
		{1, "…"},
		{0, ""},
		{-5, ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Excerpt(body, tt.n)); diff != "" {
			t.Errorf("Excerpt(%d) mismatch (-want +got):\n%s", tt.n, diff)
		}
	}
}

// allowedOut is what may appear in Body's output: element → attributes.
var allowedOut = map[string]map[string]bool{
	"h2": {"class": true}, "h3": {"class": true}, "h4": {"class": true}, "h5": {"class": true}, "h6": {"class": true},
	"p": {"class": true}, "br": {}, "hr": {}, "blockquote": {}, "ul": {}, "ol": {"start": true}, "li": {},
	"table": {}, "caption": {}, "thead": {}, "tbody": {}, "tfoot": {}, "tr": {},
	"th": {"class": true, "colspan": true, "rowspan": true, "scope": true}, "td": {"class": true, "colspan": true, "rowspan": true},
	"strong": {}, "b": {}, "em": {}, "i": {}, "u": {}, "sub": {}, "sup": {},
	"a": {"href": true, "rel": true, "title": true}, "img": {"src": true, "alt": true, "title": true, "width": true, "height": true},
	// the parser's own structure around a fragment
	"html": {}, "head": {}, "body": {},
}

// checkSafe parses out and fails on anything outside the allowlist.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("Body(%q) = %q contains <script", in, out)
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs, ok := allowedOut[n.Data]
			if !ok || n.Namespace != "" {
				t.Fatalf("Body(%q) = %q holds <%s>", in, out, n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || !attrs[a.Key] {
					t.Fatalf("Body(%q) = %q holds %s=%q on <%s>", in, out, a.Key, a.Val, n.Data)
				}
				// javascript: in text is harmless; in an attribute it is not.
				v := strings.ToLower(stripURL(a.Val))
				if strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.HasPrefix(v, "data:") {
					t.Fatalf("Body(%q) = %q holds %s=%q", in, out, a.Key, a.Val)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
}

func FuzzBody(f *testing.F) {
	for _, tt := range bodyTests {
		f.Add(tt.in)
	}
	f.Add(readFileF(f, "word-paste.html"))
	f.Add(readFileF(f, "wps-paste.html"))
	f.Fuzz(func(t *testing.T, in string) {
		r := Body(in)
		checkSafe(t, in, r.HTML)
		again := Body(r.HTML)
		if again.HTML != r.HTML {
			t.Fatalf("not idempotent:\nin    %q\nonce  %q\ntwice %q", in, r.HTML, again.HTML)
		}
		if len(again.Removed) != 0 {
			t.Fatalf("second pass over %q removed %v", r.HTML, again.Removed)
		}
		_ = PlainText(in)
		_ = Excerpt(in, 50)
	})
}

func readFileF(f *testing.F, name string) string {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	return string(b)
}

func BenchmarkBodyWordPaste(b *testing.B) {
	raw, err := os.ReadFile("testdata/word-paste.html")
	if err != nil {
		b.Fatal(err)
	}
	in := string(raw)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Body(in)
	}
}
