package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongkai/internal/search/replica"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

// newSearchEnv is a document environment with this node's search replica
// wired in, as serve does.
func newSearchEnv(t *testing.T, db *store.DB) *docEnv {
	t.Helper()
	e := newEnvWith(t, db, func(s *web.Server) {
		ctx, cancel := context.WithCancel(context.Background())
		r, err := replica.Open(ctx, db, nil, t.TempDir(), replica.Options{})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done; r.Close() })
		<-r.Ready()
		s.Search, s.SearchSettings = r, db
	})
	return &docEnv{env: e, editor: e.apiToken("depteditor"), r1: e.apiToken("deptrev1"), r2: e.apiToken("deptrev2"), r3: e.apiToken("deptrev3")}
}

// searchAPI polls the search API until ok accepts the answer (2 s, the
// publish-to-searchable target).
func (e *docEnv) searchAPI(t *testing.T, query string, ok func(out map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		resp, out := e.call("GET", "/api/v1/search?"+query, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("search %s: %d %v", query, resp.StatusCode, out)
		}
		if ok(out) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %s: not as expected after 2s: %v", query, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func total(n int) func(map[string]any) bool {
	return func(out map[string]any) bool { return int(out["total"].(float64)) == n }
}

func hits(out map[string]any) []map[string]any {
	var hs []map[string]any
	for _, h := range out["hits"].([]any) {
		hs = append(hs, h.(map[string]any))
	}
	return hs
}

// TestSearchPublishedDocuments: publish → found through the portal and the
// API; revise → the new text is found; withdraw → gone.
func TestSearchPublishedDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSearchEnv(t, db)
		doc := policyJSON("关于调整城乡居民最低生活保障标准的通知")
		doc["body"] = "<p>自2025年1月1日起，城乡居民最低生活保障标准提高到每人每月900元。</p>"
		doc["docNo"] = "示发改规〔2024〕12号"
		pub := e.publish(t, doc)
		id := int64(pub["id"].(float64))

		out := e.searchAPI(t, "q="+url.QueryEscape("低保"), total(1))
		h := hits(out)[0]
		for k, want := range map[string]any{"indexNo": pub["indexNo"], "title": "关于调整城乡居民最低生活保障标准的通知", "org": "city-fgw",
			"orgName": "示例市发展和改革委员会", "validity": "valid", "kind": "document", "docNo": "示发改规〔2024〕12号",
			"url": fmt.Sprintf("%s/xxgk/wj/%d.html", e.srv.URL, id)} {
			if h[k] != want {
				t.Errorf("hit %s = %v, want %v", k, h[k], want)
			}
		}
		if s, _ := h["snippet"].(string); !strings.Contains(s, "<mark>") || h["score"].(float64) <= 0 || h["publishedAt"] == nil {
			t.Errorf("hit %v", h)
		}
		facets := out["facets"].(map[string]any)
		org := facets["org"].([]any)[0].(map[string]any)
		if org["value"] != "city-fgw" || org["label"] != "示例市发展和改革委员会" || org["count"].(float64) != 1 {
			t.Errorf("org facet %v", org)
		}
		topic := facets["topic"].([]any)[0].(map[string]any)
		if topic["value"] != "0201" || topic["label"] != `综合政务\政务公开` {
			t.Errorf("topic facet %v", topic)
		}

		// The portal: results with marks, facets by name, the query in the box.
		status, body := e.page(t, "/search?q="+url.QueryEscape("低保"))
		if status != 200 {
			t.Fatalf("portal search %d", status)
		}
		for _, want := range []string{`value="低保"`, "找到相关信息 1 条", fmt.Sprintf(`href="/xxgk/wj/%d.html"`, id), "<mark>", "示例市发展和改革委员会",
			`aria-label="筛选检索结果"`, "示发改规〔2024〕12号"} {
			if !strings.Contains(body, want) {
				t.Errorf("results page lacks %q", want)
			}
		}
		// filter links work without JavaScript
		status, body = e.page(t, "/search?q="+url.QueryEscape("低保")+"&org=city-fgw&topic=02&validity=valid&year="+fmt.Sprint(time.Now().Year()))
		if status != 200 || !strings.Contains(body, "找到相关信息 1 条") || !strings.Contains(body, "发布机构：示例市发展和改革委员会") {
			t.Errorf("filtered page %d", status)
		}
		status, body = e.page(t, "/search?q="+url.QueryEscape("低保")+"&org=chengdong")
		if status != 200 || !strings.Contains(body, "没有找到") || !strings.Contains(body, "取消“发布机构：示例市城东区人民政府”") {
			t.Errorf("filter with no results %d: want the drop-a-filter suggestion", status)
		}
		// the notice names the filter as the page does, not by its code
		if !strings.Contains(body, "取消“发布机构：示例市城东区人民政府”可找到1条") || strings.Contains(body, "发布机构：chengdong") {
			t.Error("drop-a-filter notice does not name the org")
		}
		// said once: the page's own lists, not the API's advice above them
		if strings.Contains(body, "当前筛选条件下没有找到结果") || strings.Count(body, "没有找到") != 1 {
			t.Error("the no-results page repeats itself")
		}
		if _, out := e.call("GET", "/api/v1/search?q="+url.QueryEscape("低保")+"&org=chengdong", "", nil); !strings.Contains(fmt.Sprint(out["notices"]), "取消“发布机构：示例市城东区人民政府”可找到1条") {
			t.Errorf("API notices %v", out["notices"])
		}

		// A revision: the new text is found once published.
		if resp, out := e.call("PATCH", fmt.Sprintf("/api/v1/documents/%d", id), e.editor, map[string]any{
			"body": "<p>春节前向困难群众发放一次性生活补贴。</p>", "revisionNote": "补充春节补贴"}); resp.StatusCode != 200 {
			t.Fatalf("revise: %d %v", resp.StatusCode, out)
		}
		e.searchAPI(t, "q="+url.QueryEscape("一次性生活补贴"), total(0))
		if resp, out := e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil); resp.StatusCode != 200 {
			t.Fatalf("submit: %d %v", resp.StatusCode, out)
		}
		for _, tok := range []string{e.r1, e.r2, e.r3} {
			if resp, out := e.review(id, tok, "approve", ""); resp.StatusCode != 200 {
				t.Fatalf("approve: %d %v", resp.StatusCode, out)
			}
		}
		e.searchAPI(t, "q="+url.QueryEscape("一次性生活补贴"), total(1))

		// Withdrawn: gone from the API and the portal.
		if resp, out := e.call("POST", fmt.Sprintf("/api/v1/documents/%d/withdraw", id), e.r3, map[string]string{"mode": "withdrawn", "reason": "政策调整"}); resp.StatusCode != 200 {
			t.Fatalf("withdraw: %d %v", resp.StatusCode, out)
		}
		e.searchAPI(t, "q="+url.QueryEscape("低保"), total(0))
		if _, body := e.page(t, "/search?q="+url.QueryEscape("低保")); !strings.Contains(body, "没有找到与“低保”相关的信息") {
			t.Error("withdrawn document still on the results page")
		}
	})
}

// TestSearchBadInput: what the issue lists, through the portal and the API.
func TestSearchBadInput(t *testing.T) {
	e := newSearchEnv(t, storetest.Open(t, store.SQLite))
	doc := policyJSON(`关于“<b>营商环境</b>”评价的通知`)
	doc["body"] = `<p>优化营商环境，提升政务服务水平。</p>`
	e.publish(t, doc)
	e.searchAPI(t, "q="+url.QueryEscape("营商环境"), total(1))

	for _, tc := range []struct {
		name, query string
		status      int
		want        []string
		not         []string
	}{
		{"empty query shows the latest", "", 200, []string{"最新发布的信息，共 2 条", "营商环境", "政府信息公开指南"}, nil},
		{"1,000 characters", "q=" + strings.Repeat("营商环境", 300), 200, []string{"检索词过长，已截取前", `maxlength="1000"`}, nil},
		{"punctuation only", "q=" + url.QueryEscape("！？……“”"), 200, []string{"检索词中没有可以检索的文字"}, nil},
		{"unknown filters", "q=" + url.QueryEscape("营商环境") + "&org=nowhere&topic=zzz&genre=xx&year=abc&validity=forever&column=99999&kind=x&sort=random",
			200, []string{"未找到发布机构“nowhere”", "未找到主题分类“zzz”", "未找到公文种类“xx”", "未找到年份“abc”", "未找到有效性“forever”",
				"未找到栏目“99999”", "排序方式无法识别", "找到相关信息 1 条"}, nil},
		{"page beyond the end", "q=" + url.QueryEscape("营商环境") + "&page=99", 200, []string{"页码超出范围"}, nil},
		{"page beyond the paging cap", "q=" + url.QueryEscape("营商环境") + "&page=9999", 200, []string{"页码超出范围，共1页"}, []string{"最多显示前"}},
		{"bad page", "q=" + url.QueryEscape("营商环境") + "&page=x", 200, []string{"页码无效"}, nil},
		{"HTML and quotes", "q=" + url.QueryEscape(`<script>alert(1)</script>"营商环境`), 200,
			[]string{`value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;营商环境"`},
			[]string{"<script>alert", `"营商环境">`}},
		{"markup in a title is text", "q=" + url.QueryEscape("营商环境"), 200, []string{"&lt;b&gt;<mark>营商环境</mark>&lt;/b&gt;"}, []string{"<b>营商"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.page(t, "/search?"+tc.query)
			if status != tc.status {
				t.Fatalf("status %d", status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("page contains %q", w)
				}
			}
			resp, out := e.call("GET", "/api/v1/search?"+tc.query, "", nil)
			if resp.StatusCode != 200 || out["hits"] == nil || out["facets"] == nil || out["notices"] == nil {
				t.Errorf("API %d %v", resp.StatusCode, out)
			}
		})
	}
	// the title's markup is text, escaped in the JSON snippet and title too
	out := e.searchAPI(t, "q="+url.QueryEscape("营商环境"), total(1))
	if h := hits(out)[0]; h["title"] != `关于“<b>营商环境</b>”评价的通知` || strings.Contains(h["snippet"].(string), "<b>") {
		t.Errorf("hit %v", h)
	}
}

// TestOpenSearch: the description document and its link on every page.
func TestOpenSearch(t *testing.T) {
	e := newSearchEnv(t, storetest.Open(t, store.SQLite))
	resp, body := e.get(e.browser(), "/opensearch.xml")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/opensearchdescription+xml") {
		t.Fatalf("opensearch.xml: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`xmlns="http://a9.com/-/spec/opensearch/1.1/"`, "<InputEncoding>UTF-8</InputEncoding>",
		`template="` + e.srv.URL + `/search?q={searchTerms}&amp;page={startPage?}"`, "<ShortName>示例市人民政府门户网站</ShortName>"} {
		if !strings.Contains(body, want) {
			t.Errorf("opensearch.xml lacks %q:\n%s", want, body)
		}
	}
	for _, path := range []string{"/", "/xxgk/", "/search?q=x", "/no-such-page"} {
		_, body := e.get(e.browser(), path)
		if !strings.Contains(body, `<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"`) ||
			!strings.Contains(body, `<form class="searchbox" role="search" method="get" action="/search">`) {
			t.Errorf("%s lacks the search link or box", path)
		}
	}
}

// TestSearchUnavailable: a server without an index shows no search box and
// answers searches with 503.
func TestSearchUnavailable(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	if _, body := e.get(e.browser(), "/"); strings.Contains(body, "searchbox") || strings.Contains(body, "opensearch") {
		t.Error("search box shown without a search index")
	}
	if resp, _ := e.get(e.browser(), "/search?q=x"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/search = %d", resp.StatusCode)
	}
	resp, out := e.call("GET", "/api/v1/search?q=x", "", nil)
	wantProblem(t, resp, out, http.StatusServiceUnavailable, "unavailable", "")
}

// TestSearchSynonymsAdmin: the synonym editor, its refusals, and a saved
// list reaching search within seconds.
func TestSearchSynonymsAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSearchEnv(t, db)
		doc := policyJSON("关于发放重阳节老年人慰问金的通知")
		doc["body"] = "<p>向八十周岁以上老年人发放慰问金。</p>"
		e.publish(t, doc)
		e.searchAPI(t, "q="+url.QueryEscape("慰问金"), total(1))
		e.searchAPI(t, "q="+url.QueryEscape("过节费"), total(0))

		c := e.browser()
		token := e.login(c, "cityadmin", e.fix.Password)
		resp, body := e.get(c, "/admin/search")
		if resp.StatusCode != 200 || !strings.Contains(body, "社会保险 社保") || !strings.Contains(body, "当前使用系统默认的同义词表") || !strings.Contains(body, "索引条目") {
			t.Fatalf("admin page %d", resp.StatusCode)
		}
		resp, body = e.post(c, "/admin/search/synonyms", url.Values{"csrf_token": {token}, "synonyms": {"慰问金 过节费\n孤单\n"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第2行") || !strings.Contains(body, "孤单") {
			t.Fatalf("invalid list: %d", resp.StatusCode)
		}
		resp, _ = e.post(c, "/admin/search/synonyms", url.Values{"synonyms": {"慰问金 过节费\n"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("without CSRF: %d", resp.StatusCode)
		}
		resp, _ = e.post(c, "/admin/search/synonyms", url.Values{"csrf_token": {token}, "synonyms": {"慰问金 过节费\n"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		e.searchAPI(t, "q="+url.QueryEscape("过节费"), total(1))
		if _, body = e.get(c, "/admin/search"); !strings.Contains(body, "同义词表已保存") || !strings.Contains(body, "恢复系统默认") {
			t.Error("no confirmation after saving")
		}
		resp, _ = e.post(c, "/admin/search/synonyms", url.Values{"csrf_token": {token}, "reset": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		e.searchAPI(t, "q="+url.QueryEscape("过节费"), total(0))

		// A county admin may see the page but not change the list; an
		// editor may not see it.
		cc := e.browser()
		tok := e.login(cc, "countyadmin", e.fix.Password)
		if resp, _ := e.post(cc, "/admin/search/synonyms", url.Values{"csrf_token": {tok}, "synonyms": {"慰问金 过节费\n"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("county admin saved: %d", resp.StatusCode)
		}
		ed := e.browser()
		e.login(ed, "depteditor", e.fix.Password)
		if resp, _ := e.get(ed, "/admin/search"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor GET /admin/search = %d", resp.StatusCode)
		}
	})
}

// TestSearchAPIPageSize: a bad pageSize is corrected and the correction
// explained, like every other bad parameter of the search API.
func TestSearchAPIPageSize(t *testing.T) {
	e := newSearchEnv(t, storetest.Open(t, store.SQLite))
	for _, tc := range []struct {
		pageSize string
		want     int
		notice   string
	}{
		{"20", 20, ""},
		{"x", 10, "每页条数无效，已按每页10条显示。"},
		{"-1", 10, "每页条数无效，已按每页10条显示。"},
		{"1000", 50, "每页最多显示50条。"},
	} {
		resp, out := e.call("GET", "/api/v1/search?pageSize="+tc.pageSize, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("pageSize=%s: %d %v", tc.pageSize, resp.StatusCode, out)
		}
		notices := fmt.Sprint(out["notices"])
		if got := int(out["pageSize"].(float64)); got != tc.want || tc.notice != "" && !strings.Contains(notices, tc.notice) || tc.notice == "" && notices != "[]" {
			t.Errorf("pageSize=%s: pageSize %d, notices %s; want %d and %q", tc.pageSize, got, notices, tc.want, tc.notice)
		}
	}
}
