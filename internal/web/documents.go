package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/sanitize"
	"gongkai/internal/sniff"
	"gongkai/internal/taxonomy"
)

// documentRoutes: proactive disclosure (issue 3) — the 政府信息公开 portal
// under /xxgk/, the documents workspace, the documents API and the public
// read API.
func (s *Server) documentRoutes() {
	// Portal. Column pages are one catch-all: /xxgk/ysqgk/ is served by it
	// until the applications module registers the more specific pattern.
	s.addPortalNav("政府信息公开", "/xxgk/")
	s.addPortalNav("政策文件库", "/xxgk/zcwjk/")
	s.handle("GET /xxgk/{path...}", s.cacheable(s.portalColumn))
	s.handle("GET /xxgk/wj/{file}", s.cacheable(s.portalDocument))
	s.handle("GET /xxgk/wj/{id}/fj/{sum}", s.portalAttachment)
	s.handle("GET /xxgk/zcwjk/{$}", s.cacheable(s.portalLibrary))
	s.handle("GET /sitemap.xml", s.cacheable(s.sitemapIndex))
	s.handle("GET /sitemap/{file}", s.cacheable(s.sitemapPart))

	// Workspace.
	s.handle("GET /admin/documents", s.adminDocuments, s.staff)
	s.handle("GET /admin/documents/new", s.adminDocumentNew, s.staff)
	s.handle("POST /admin/documents", s.adminDocumentCreate, s.staff, s.checkCSRF)
	s.handle("GET /admin/documents/timeliness", s.adminTimeliness, s.staff)
	s.handle("GET /admin/documents/settings", s.adminDocumentSettings, s.staff)
	s.handle("POST /admin/documents/settings", s.adminDocumentSettingsSave, s.staff, s.checkCSRF)
	s.handle("GET /admin/documents/{id}", s.adminDocumentView, s.staff)
	s.handle("GET /admin/documents/{id}/edit", s.adminDocumentEdit, s.staff)
	s.handle("POST /admin/documents/{id}", s.adminDocumentUpdate, s.staff, s.checkCSRF)
	s.handle("GET /admin/documents/{id}/preview", s.adminDocumentPreview, s.staff)
	s.handle("POST /admin/documents/{id}/submit", s.adminDocumentSubmit, s.staff, s.checkCSRF)
	s.handle("POST /admin/documents/{id}/review", s.adminDocumentReview, s.staff, s.checkCSRF)
	s.handle("POST /admin/documents/{id}/withdraw", s.adminDocumentWithdraw, s.staff, s.checkCSRF)
	s.handle("POST /admin/documents/{id}/unschedule", s.adminDocumentUnschedule, s.staff, s.checkCSRF)
	s.handle("POST /admin/documents/{id}/attachments", s.adminAttachmentUpload, s.staff, s.allowUpload, s.checkCSRF)
	s.handle("POST /admin/documents/{id}/attachments/{sum}/delete", s.adminAttachmentDelete, s.staff, s.checkCSRF)
	s.handle("GET /admin/documents/{id}/attachments/{sum}", s.adminAttachmentDownload, s.staff)
	s.handle("GET /admin/columns", s.adminColumns, s.staff)
	s.handle("POST /admin/columns", s.adminColumnCreate, s.staff, s.checkCSRF)
	s.handle("POST /admin/columns/{id}", s.adminColumnUpdate, s.staff, s.checkCSRF)
	s.handle("POST /admin/columns/{id}/move", s.adminColumnMove, s.staff, s.checkCSRF)
	s.handle("POST /admin/columns/{id}/delete", s.adminColumnDelete, s.staff, s.checkCSRF)
	s.handle("GET /admin/guide", s.adminGuide, s.staff)
	s.handle("POST /admin/guide", s.adminGuideSave, s.staff, s.checkCSRF)
	staff := func(a *gongkai.Actor) bool { return len(a.Grants) > 0 || a.System }
	isAdmin := func(a *gongkai.Actor) bool { return a.IsAdmin() }
	s.addAdminMenu("文件管理", "/admin/documents", staff)
	s.addAdminMenu("公开时效", "/admin/documents/timeliness", staff)
	s.addAdminMenu("栏目管理", "/admin/columns", isAdmin)
	s.addAdminMenu("公开指南", "/admin/guide", isAdmin)
	s.addAdminMenu("文件设置", "/admin/documents/settings", isAdmin)

	// API.
	s.handle("GET /api/v1/documents", s.apiDocuments, s.apiAuth)
	s.handle("POST /api/v1/documents", s.apiDocumentCreate, s.apiAuth)
	s.handle("GET /api/v1/documents/{id}", s.apiDocument, s.apiAuth)
	s.handle("PATCH /api/v1/documents/{id}", s.apiDocumentUpdate, s.apiAuth)
	s.handle("POST /api/v1/documents/{id}/submit", s.apiDocumentSubmit, s.apiAuth)
	s.handle("POST /api/v1/documents/{id}/reviews", s.apiDocumentReview, s.apiAuth)
	s.handle("POST /api/v1/documents/{id}/withdraw", s.apiDocumentWithdraw, s.apiAuth)
	s.handle("POST /api/v1/documents/{id}/attachments", s.apiAttachmentUpload, s.apiAuth)
	s.handle("GET /api/v1/public/documents", s.apiPublicDocuments)
	s.handle("GET /api/v1/public/documents/{indexNo...}", s.apiPublicDocument)
}

// documentFuncs are the template functions of the document pages: labels
// for the stored codes of the vocabularies.
func documentFuncs() template.FuncMap {
	return template.FuncMap{
		"genreLabel": func(code string) string {
			if g, ok := taxonomy.GenreByCode(code); ok {
				return g.Label
			}
			return code
		},
		"topicLabel": func(code string) string {
			if t, ok := taxonomy.TopicByCode(code); ok {
				return t.String()
			}
			return code
		},
		"validityLabel":   func(code string) string { return taxonomy.Validity(code).Label() },
		"disclosureLabel": func(code string) string { return taxonomy.Disclosure(code).Label() },
		"fileSize":        sniff.FormatSize,
		"excerpt":         func(body string, n int) string { return sanitize.Excerpt(body, n) },
		// safeBody marks a body as HTML: bodies are sanitised by
		// internal/sanitize before they are stored, and only then.
		"safeBody": func(s string) template.HTML { return template.HTML(s) },
		"join":     strings.Join,
		"levelLabel": func(level, levels int) string {
			return gongkai.ReviewLevelLabel(level, levels)
		},
		"docList":         docList,
		"topicOptions":    topicOptions,
		"genreOptions":    genreOptions,
		"validityOptions": validityOptions,
		"guideFields":     func() []GuideField { return guideFields },
		"guideValue":      guideValue,
		"cnDate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return gongkai.DateOf(t).Chinese()
		},
	}
}

// The option lists of the list filters are the same on every list page
// but for the selected entry, and executing them as template actions (two
// hundred topics, each with comparisons and escaping) cost more than the
// rest of an uncached list page. They are written once per selected value
// and kept.
var optionLists sync.Map // string → template.HTML

func memoOptions(kind, selected string, build func(b *strings.Builder)) template.HTML {
	key := kind + "\x00" + selected
	if v, ok := optionLists.Load(key); ok {
		return v.(template.HTML)
	}
	var b strings.Builder
	build(&b)
	h := template.HTML(b.String())
	optionLists.Store(key, h)
	return h
}

func option(b *strings.Builder, value, label, selected string) {
	b.WriteString(`<option value="`)
	b.WriteString(template.HTMLEscapeString(value))
	b.WriteString(`"`)
	if value == selected {
		b.WriteString(" selected")
	}
	b.WriteString(">")
	b.WriteString(template.HTMLEscapeString(label))
	b.WriteString("</option>")
}

// topicOptions lists the 主题分类 grouped by top-level category; a
// top-level code selects the whole category.
func topicOptions(selected string) template.HTML {
	if _, ok := taxonomy.TopicByCode(selected); !ok {
		selected = ""
	}
	return memoOptions("topic", selected, func(b *strings.Builder) {
		option(b, "", "全部", selected)
		for _, t := range taxonomy.TopicTree() {
			b.WriteString(`<optgroup label="` + template.HTMLEscapeString(t.Top) + `">`)
			option(b, t.Code, t.Top+"（全部）", selected)
			for _, c := range t.Children {
				option(b, c.Code, c.Sub, selected)
			}
			b.WriteString("</optgroup>")
		}
	})
}

func genreOptions(selected string) template.HTML {
	if _, ok := taxonomy.GenreByCode(selected); !ok {
		selected = ""
	}
	return memoOptions("genre", selected, func(b *strings.Builder) {
		option(b, "", "全部", selected)
		for _, g := range taxonomy.Genres() {
			option(b, g.Code, g.Label, selected)
		}
	})
}

func validityOptions(selected string) template.HTML {
	if !taxonomy.Validity(selected).Valid() {
		selected = ""
	}
	return memoOptions("validity", selected, func(b *strings.Builder) {
		option(b, "", "全部", selected)
		for _, v := range taxonomy.Validities() {
			option(b, string(v), v.Label(), selected)
		}
	})
}

// docList writes a list of public documents: title, 发文字号, date and,
// unless it is 有效, the validity. It is Go rather than a template because
// it is most of what an uncached list page costs (each template action is
// a reflective call), and list pages are what a crowd opens when a major
// policy comes out.
func docList(docs []*gongkai.PublicDocument) template.HTML {
	var b strings.Builder
	b.Grow(200 * (len(docs) + 1))
	b.WriteString(`<ul class="doclist">`)
	for _, d := range docs {
		b.WriteString(`<li><a href="`)
		b.WriteString(template.HTMLEscapeString(d.URL))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(d.Title))
		b.WriteString(`</a> <span class="doc-meta">`)
		if d.DocNo != "" {
			b.WriteString("<span>")
			b.WriteString(template.HTMLEscapeString(d.DocNo))
			b.WriteString("</span>")
		}
		local := d.PublishedAt.In(gongkai.Shanghai)
		b.WriteString(`<time datetime="`)
		b.WriteString(d.PublishedAt.UTC().Format(time.RFC3339))
		b.WriteString(`">`)
		b.WriteString(local.Format("2006-01-02"))
		b.WriteString("</time>")
		// A document without a validity (an annual report, a notice) shows
		// no tag: an empty red box reads as a broken page.
		if v := taxonomy.Validity(d.Validity); v != taxonomy.ValidityValid && v.Label() != "" {
			b.WriteString(`<span class="tag">`)
			b.WriteString(template.HTMLEscapeString(v.Label()))
			b.WriteString("</span>")
		}
		b.WriteString("</span></li>")
	}
	if len(docs) == 0 {
		b.WriteString(`<li class="empty">暂无信息。</li>`)
	}
	b.WriteString("</ul>")
	return template.HTML(b.String())
}

// GuideField is an item of the 政府信息公开指南 form.
type GuideField struct {
	Name, Label string
	Long        bool
}

var guideFields = []GuideField{
	{"classification", "政府信息的分类", true}, {"arrangement", "编排体系", true}, {"access", "获取方式", true},
	{"officeName", "政府信息公开工作机构名称", false}, {"address", "办公地址", false}, {"hours", "办公时间", false},
	{"phone", "联系电话", false}, {"fax", "传真号码", false}, {"email", "互联网联系方式（电子邮箱或网址）", false},
}

func guideValue(g *gongkai.Guide, name string) string {
	switch name {
	case "classification":
		return g.Classification
	case "arrangement":
		return g.Arrangement
	case "access":
		return g.Access
	case "officeName":
		return g.OfficeName
	case "address":
		return g.Address
	case "hours":
		return g.Hours
	case "phone":
		return g.Phone
	case "fax":
		return g.Fax
	case "email":
		return g.Email
	}
	return ""
}

// portalData caches per-site column trees until the next public change.
type portalData struct {
	mu    sync.Mutex
	gen   uint64
	trees map[int64]*columnTree
}

// columnTree is a site's columns with the lookups the portal needs.
type columnTree struct {
	All      []*gongkai.Column
	byPath   map[string]*gongkai.Column
	byID     map[int64]*gongkai.Column
	children map[int64][]*gongkai.Column
	menu     []MenuColumn
	menuHTML template.HTML
}

func newColumnTree(cols []*gongkai.Column) *columnTree {
	t := &columnTree{All: cols, byPath: map[string]*gongkai.Column{}, byID: map[int64]*gongkai.Column{}, children: map[int64][]*gongkai.Column{}}
	for _, c := range cols {
		t.byPath[c.Path] = c
		t.byID[c.ID] = c
		t.children[c.ParentID] = append(t.children[c.ParentID], c)
	}
	// The section menu is the same on every page of the site: written once.
	var b strings.Builder
	b.WriteString(`<nav class="xxgk-menu" aria-label="政府信息公开栏目"><h2><a href="/xxgk/">政府信息公开</a></h2><ul>`)
	for _, c := range cols {
		if d := t.depth(c); d >= 1 && d <= 2 {
			t.menu = append(t.menu, MenuColumn{Column: c, Depth: d})
			fmt.Fprintf(&b, `<li class="lvl-%d"><a href="%s">%s</a></li>`, d, template.HTMLEscapeString(c.Path), template.HTMLEscapeString(c.Name))
		}
	}
	b.WriteString(`<li class="lvl-1"><a href="/xxgk/zcwjk/">政策文件库</a></li></ul></nav>`)
	t.menuHTML = template.HTML(b.String())
	return t
}

// slug returns the column with the slug, or nil.
func (t *columnTree) slug(s string) *gongkai.Column {
	for _, c := range t.All {
		if c.Slug == s {
			return c
		}
	}
	return nil
}

// subtree returns the ids of c and every column below it.
func (t *columnTree) subtree(c *gongkai.Column) []int64 {
	ids := []int64{c.ID}
	for _, ch := range t.children[c.ID] {
		ids = append(ids, t.subtree(ch)...)
	}
	return ids
}

// trail returns the columns from the root down to c, for the breadcrumb.
func (t *columnTree) trail(c *gongkai.Column) []*gongkai.Column {
	var out []*gongkai.Column
	for x := c; x != nil; x = t.byID[x.ParentID] {
		out = append([]*gongkai.Column{x}, out...)
		if x.ParentID == 0 {
			break
		}
	}
	return out
}

// depth is how deep c sits (0 for a root).
func (t *columnTree) depth(c *gongkai.Column) int { return len(t.trail(c)) - 1 }

// initPortal prepares the page cache.
func (s *Server) initPortal() {
	if s.PageCache > 0 {
		s.cache = newPageCache(s.PageCache)
	}
	if s.UploadLimit <= 0 {
		s.UploadLimit = DefaultUploadLimit
	}
}

// DefaultUploadLimit is the largest attachment accepted unless configured
// otherwise: 50 MB.
const DefaultUploadLimit = 50 << 20

// PublicChanged drops everything cached about public pages. The store
// calls it after every change the portal shows (db.OnPublicChange).
func (s *Server) PublicChanged() {
	if s.cache != nil {
		s.cache.invalidate()
	}
	s.portalData.mu.Lock()
	s.portalData.gen++
	s.portalData.trees = nil
	s.portalData.mu.Unlock()
	s.forgetSites() // a footer changed on another node is a public change too
}

// columns returns the site's column tree.
func (s *Server) columns(ctx context.Context, siteID int64) (*columnTree, error) {
	s.portalData.mu.Lock()
	t := s.portalData.trees[siteID]
	gen := s.portalData.gen
	s.portalData.mu.Unlock()
	if t != nil {
		return t, nil
	}
	cols, err := s.Portal.FindColumns(ctx, siteID)
	if err != nil {
		return nil, err
	}
	t = newColumnTree(cols)
	s.portalData.mu.Lock()
	if s.portalData.gen == gen {
		if s.portalData.trees == nil {
			s.portalData.trees = map[int64]*columnTree{}
		}
		s.portalData.trees[siteID] = t
	}
	s.portalData.mu.Unlock()
	return t, nil
}

// pathID parses a numeric path value (a document, an application, a user).
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, gongkai.Errorf(gongkai.ENOTFOUND, "您访问的页面不存在。")
	}
	return id, nil
}
