package web_test

import (
	"net/http"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// listIDs returns the ids of a list answer, after checking its paging.
func listIDs(t *testing.T, resp *http.Response, out map[string]any) []int64 {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Fatalf("list = %d %v", resp.StatusCode, out)
	}
	var ids []int64
	for _, d := range out["documents"].([]any) {
		ids = append(ids, int64(d.(map[string]any)["id"].(float64)))
	}
	return ids
}

// TestAPIDocumentList: GET /api/v1/documents lists what the workspace
// shows the token's user, with filters, paging and refusals, on both
// databases.
func TestAPIDocumentList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		// A county department with an editor of its own.
		u := &gongkai.User{Username: "mzjeditor", Grants: []gongkai.Grant{{OrgCode: "chengdong-mzj", Role: gongkai.RoleEditor}}}
		if err := db.CreateUser(storetest.System(), u, e.fix.Password); err != nil {
			t.Fatal(err)
		}
		county := e.apiToken("mzjeditor")
		countyDoc := e.create(t, county, map[string]any{"title": "城东区低保标准调整的通知", "body": "<p>正文</p>", "columns": []string{"gfxwj"}})
		draft := e.create(t, e.editor, map[string]any{"title": "关于做好秋季防火工作的通知", "body": "<p>正文</p>"})
		pub := int64(e.publish(t, policyJSON("关于规范价格认定工作的通知"))["id"].(float64))
		draft2 := e.create(t, e.author, map[string]any{"title": "价格监测工作方案（草稿）", "body": "<p>正文</p>"})

		path := "/api/v1/documents"
		// The department's staff see their org's documents, most recently
		// changed first; not the county's.
		resp, out := e.call("GET", path, e.editor, nil)
		if got, want := listIDs(t, resp, out), []int64{draft2, pub, draft}; !cmp.Equal(got, want) {
			t.Errorf("editor's list = %v, want %v", got, want)
		}
		if out["total"] != 3.0 || out["page"] != 1.0 || out["pageSize"] != 20.0 {
			t.Errorf("paging = %v %v %v", out["total"], out["page"], out["pageSize"])
		}
		// A county editor sees only the county's; the city's supervisor
		// sees the whole city, county included.
		resp, out = e.call("GET", path, county, nil)
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{countyDoc}) {
			t.Errorf("county editor's list = %v", got)
		}
		super := e.apiToken("citysuper")
		resp, out = e.call("GET", path, super, nil)
		got := listIDs(t, resp, out)
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		if want := []int64{countyDoc, draft, pub, draft2}; !cmp.Equal(got, want) {
			t.Errorf("supervisor's list = %v, want %v", got, want)
		}
		// org: the org and its subtree, within what the caller may see.
		resp, out = e.call("GET", path+"?org=chengdong", super, nil)
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{countyDoc}) {
			t.Errorf("supervisor org=chengdong = %v", got)
		}
		resp, out = e.call("GET", path+"?org=chengdong", e.editor, nil)
		if got := listIDs(t, resp, out); len(got) != 0 || out["total"] != 0.0 {
			t.Errorf("editor org=chengdong = %v %v", got, out["total"])
		}

		// status, column (slug or path), q.
		resp, out = e.call("GET", path+"?status=published", e.editor, nil)
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{pub}) {
			t.Errorf("published = %v", got)
		}
		d := out["documents"].([]any)[0].(map[string]any)
		if d["status"] != "published" || d["indexNo"] == nil || d["url"] == nil || d["live"] != true || d["onTime"] != true || d["dueOn"] == nil || d["body"] != nil {
			t.Errorf("published item = %v", d)
		}
		resp, out = e.call("GET", path+"?status=draft", e.editor, nil)
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{draft2, draft}) {
			t.Errorf("drafts = %v", got)
		}
		for _, c := range []string{"gfxwj", "xxgk/zcwj/gfxwj", "/xxgk/zcwj/gfxwj/"} {
			resp, out = e.call("GET", path+"?column="+c, e.editor, nil)
			if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{pub}) {
				t.Errorf("column=%s = %v", c, got)
			}
		}
		resp, out = e.call("GET", path+"?q=%E4%BB%B7%E6%A0%BC", e.editor, nil) // 价格
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{draft2, pub}) {
			t.Errorf("q=价格 = %v", got)
		}
		// Paging.
		resp, out = e.call("GET", path+"?page=2&pageSize=2", e.editor, nil)
		if got := listIDs(t, resp, out); !cmp.Equal(got, []int64{draft}) || out["total"] != 3.0 || out["page"] != 2.0 || out["pageSize"] != 2.0 {
			t.Errorf("page 2 of 2 = %v %v", got, out)
		}
		resp, out = e.call("GET", path+"?page=9", e.editor, nil)
		if got := listIDs(t, resp, out); len(got) != 0 || out["total"] != 3.0 {
			t.Errorf("page beyond the end = %v %v", got, out["total"])
		}

		// Refusals name the field.
		for _, tc := range []struct{ query, field string }{
			{"status=pending", "status"},
			{"status=Published", "status"},
			{"org=nosuch", "org"},
			{"column=nosuch", "column"},
			{"page=0", "page"},
			{"page=x", "page"},
			{"pageSize=0", "pageSize"},
			{"pageSize=101", "pageSize"},
		} {
			resp, out := e.call("GET", path+"?"+tc.query, e.editor, nil)
			wantProblem(t, resp, out, 422, "invalid", tc.field)
		}
		resp, out = e.call("GET", path+"?status=x&pageSize=x", e.editor, nil)
		wantProblem(t, resp, out, 422, "invalid", "")
		if p, _ := out["problems"].([]any); len(p) != 2 {
			t.Errorf("two bad parameters = %v", out["problems"])
		}
		resp, out = e.call("GET", path, "", nil)
		wantProblem(t, resp, out, 401, "unauthorized", "")
	})
}
