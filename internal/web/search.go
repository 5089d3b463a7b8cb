package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/search"
	"gongkai/internal/search/replica"
	"gongkai/internal/taxonomy"
)

// 一网通查 (issue 6): the results page, opensearch.xml, the search API and
// the administrators' page with the synonym list.

// Searcher answers queries from this node's index (internal/search/replica).
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
	Status(ctx context.Context) replica.Status
}

// searchRoutes registers 一网通查.
func (s *Server) searchRoutes() {
	s.handle("GET /search", s.portalSearch)
	s.handle("GET /opensearch.xml", s.openSearch)
	s.handle("GET /api/v1/search", s.apiSearch)
	s.handle("GET /admin/search", s.adminSearch, s.staff)
	s.handle("POST /admin/search/synonyms", s.adminSearchSynonyms, s.staff, s.checkCSRF)
	s.addAdminMenu("站内检索", "/admin/search", func(a *gongkai.Actor) bool { return a.IsAdmin() })
}

// maxQueryInput bounds the query text taken from a request; the index
// reads far less (analysis.DefaultMaxQueryRunes) and says so.
const maxQueryInput = 1000

// searchRequest is a search as the request asked for it, with the labels
// of its filters for the page.
type searchRequest struct {
	Query   search.Query
	Text    string
	Values  url.Values // the recognised parameters, for links
	Notices []string
	// Active lists the filters in force, in display order.
	Active []activeFilter
	Site   *gongkai.Site
}

type activeFilter struct {
	Param, Label, Value string
}

// searchNames resolves facet values to names: orgs by code, columns by
// id, sites by id.
type searchNames struct {
	orgs    map[string]*gongkai.Org
	columns map[string]*gongkai.Column
	sites   map[int64]*gongkai.Site
}

// orgCache keeps the org list for labels for a minute: orgs change rarely
// and every search page names them.
type orgCache struct {
	mu   sync.Mutex
	at   time.Time
	orgs map[string]*gongkai.Org
}

func (s *Server) searchOrgs(ctx context.Context) (map[string]*gongkai.Org, error) {
	c := &s.orgNames
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.orgs != nil && time.Since(c.at) < time.Minute {
		return c.orgs, nil
	}
	list, err := s.Orgs.FindOrgs(ctx, gongkai.OrgFilter{})
	if err != nil {
		return nil, err
	}
	m := make(map[string]*gongkai.Org, len(list))
	for _, o := range list {
		m[o.Code] = o
	}
	c.orgs, c.at = m, time.Now()
	return m, nil
}

func (s *Server) searchLookups(ctx context.Context) (*searchNames, error) {
	orgs, err := s.searchOrgs(ctx)
	if err != nil {
		return nil, err
	}
	l := &searchNames{orgs: orgs, columns: map[string]*gongkai.Column{}, sites: map[int64]*gongkai.Site{}}
	sites, err := s.Sites.FindSites(ctx)
	if err != nil {
		return nil, err
	}
	for _, site := range sites {
		l.sites[site.ID] = site
		if s.Portal == nil {
			continue
		}
		tree, err := s.columns(ctx, site.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range tree.All {
			l.columns[strconv.FormatInt(c.ID, 10)] = c
		}
	}
	return l, nil
}

// clip shortens a value echoed in a notice.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// readSearch reads a search from the query string. Unknown filter values
// are ignored with a notice, never an error: a stale or hand-edited link
// still shows results. site is the site the request came to; the API may
// name another.
func (s *Server) readSearch(ctx context.Context, q url.Values, site *gongkai.Site, api bool) (*searchRequest, error) {
	sr := &searchRequest{Values: url.Values{}, Site: site}
	ignore := func(label, v string) {
		sr.Notices = append(sr.Notices, fmt.Sprintf("未找到%s“%s”，已忽略该筛选条件。", label, clip(v, 30)))
	}
	text := q.Get("q")
	if utf8.RuneCountInString(text) > maxQueryInput {
		text = string([]rune(text)[:maxQueryInput])
	}
	text = strings.ToValidUTF8(text, "")
	sr.Text, sr.Query.Text = text, text
	if text != "" {
		sr.Values.Set("q", text)
	}
	if api {
		if v := strings.TrimSpace(q.Get("site")); v != "" {
			other, err := s.Sites.FindSiteByCode(ctx, v)
			if id, perr := strconv.ParseInt(v, 10, 64); perr == nil && err != nil {
				other, err = s.Sites.FindSiteByID(ctx, id)
			}
			switch {
			case err == nil:
				sr.Site = other
				sr.Values.Set("site", other.Code)
			case gongkai.ErrorCode(err) == gongkai.ENOTFOUND:
				ignore("站点", v)
			default:
				return nil, err
			}
		}
	}
	sr.Query.SiteID = sr.Site.ID
	sr.Query.Checked = true
	if v := strings.TrimSpace(q.Get("org")); v != "" {
		orgs, err := s.searchOrgs(ctx)
		if err != nil {
			return nil, err
		}
		if o := orgs[v]; o != nil {
			sr.Query.Org = o.Code
			sr.Values.Set("org", o.Code)
			sr.Active = append(sr.Active, activeFilter{"org", "发布机构", o.Name})
		} else {
			ignore("发布机构", v)
		}
	}
	if v := strings.TrimSpace(q.Get("column")); v != "" {
		var col *gongkai.Column
		if s.Portal != nil {
			tree, err := s.columns(ctx, sr.Site.ID)
			if err != nil {
				return nil, err
			}
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				col = tree.byID[id]
			} else {
				col = tree.slug(v)
			}
		}
		if col != nil {
			sr.Query.Column = strconv.FormatInt(col.ID, 10)
			sr.Values.Set("column", sr.Query.Column)
			sr.Active = append(sr.Active, activeFilter{"column", "栏目", col.Name})
		} else {
			ignore("栏目", v)
		}
	}
	if v := strings.TrimSpace(q.Get("topic")); v != "" {
		if t, err := taxonomy.ParseTopic(v); err == nil {
			sr.Query.Topic = replica.TopicTerm(t.Code)
			sr.Values.Set("topic", t.Code)
			sr.Active = append(sr.Active, activeFilter{"topic", "主题分类", t.String()})
		} else {
			ignore("主题分类", v)
		}
	}
	if v := strings.TrimSpace(q.Get("genre")); v != "" {
		if g, err := taxonomy.ParseGenre(v); err == nil {
			sr.Query.Genre = g.Code
			sr.Values.Set("genre", g.Code)
			sr.Active = append(sr.Active, activeFilter{"genre", "公文种类", g.Label})
		} else {
			ignore("公文种类", v)
		}
	}
	if v := strings.TrimSpace(q.Get("year")); v != "" {
		if y, err := strconv.Atoi(strings.TrimSuffix(v, "年")); err == nil && y >= 1949 && y <= 2200 {
			sr.Query.Year = y
			sr.Values.Set("year", strconv.Itoa(y))
			sr.Active = append(sr.Active, activeFilter{"year", "年份", strconv.Itoa(y) + "年"})
		} else {
			ignore("年份", v)
		}
	}
	if v := strings.TrimSpace(q.Get("validity")); v != "" {
		if x, err := taxonomy.ParseValidity(v); err == nil {
			sr.Query.Validity = x.Label()
			sr.Values.Set("validity", string(x))
			sr.Active = append(sr.Active, activeFilter{"validity", "有效性", x.Label()})
		} else {
			ignore("有效性", v)
		}
	}
	if v := strings.TrimSpace(q.Get("kind")); v != "" {
		if label := kindLabels[v]; label != "" {
			sr.Query.Kind = v
			sr.Values.Set("kind", v)
			sr.Active = append(sr.Active, activeFilter{"kind", "信息类别", label})
		} else {
			ignore("信息类别", v)
		}
	}
	switch v := q.Get("sort"); v {
	case "", search.SortRelevance:
	case search.SortDate:
		sr.Query.Sort = search.SortDate
		sr.Values.Set("sort", v)
	default:
		sr.Notices = append(sr.Notices, "排序方式无法识别，已按相关度排序。")
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			sr.Notices = append(sr.Notices, "页码无效，已显示第1页。")
			n = 1
		}
		sr.Query.Page = min(n, search.MaxResults)
	}
	// the index knows filters by code or id; its notices name them as the
	// page does
	sr.Query.Labels = map[string]string{search.FacetSite: sr.Site.Name}
	for _, a := range sr.Active {
		sr.Query.Labels[a.Param] = a.Value
	}
	if api {
		if v := q.Get("pageSize"); v != "" {
			n, err := strconv.Atoi(v)
			switch {
			case err != nil || n < 1:
				sr.Notices = append(sr.Notices, fmt.Sprintf("每页条数无效，已按每页%d条显示。", search.DefaultPageSize))
			case n > search.MaxPageSize:
				sr.Notices = append(sr.Notices, fmt.Sprintf("每页最多显示%d条。", search.MaxPageSize))
				sr.Query.PageSize = search.MaxPageSize
			default:
				sr.Query.PageSize = n
			}
		}
	}
	return sr, nil
}

// kindLabels names the kinds of Doc.
var kindLabels = map[string]string{
	search.KindDocument:       "文件",
	search.KindInterpretation: "政策解读",
	search.KindAnnualReport:   "年度报告",
	search.KindGuide:          "公开指南",
}

// facetLabel names a facet value as people read it; value is the
// parameter that selects it.
func (l *searchNames) facetLabel(facet, term string) (value, label string) {
	switch facet {
	case search.FacetOrg:
		if o := l.orgs[term]; o != nil {
			return term, o.Name
		}
	case search.FacetColumn:
		if c := l.columns[term]; c != nil {
			return term, c.Name
		}
	case search.FacetSite:
		if id, err := strconv.ParseInt(term, 10, 64); err == nil && l.sites[id] != nil {
			return l.sites[id].Code, l.sites[id].Name
		}
	case search.FacetTopic:
		code := term[strings.LastIndex(term, taxonomy.Sep)+1:]
		if t, ok := taxonomy.TopicByCode(code); ok {
			return code, t.String()
		}
	case search.FacetGenre:
		if g, ok := taxonomy.GenreByCode(term); ok {
			return term, g.Label
		}
	case search.FacetYear:
		return term, term + "年"
	case search.FacetValidity:
		for _, v := range taxonomy.Validities() {
			if v.Label() == term {
				return string(v), term
			}
		}
	case search.FacetKind:
		if k := kindLabels[term]; k != "" {
			return term, k
		}
	}
	return term, term
}

// validityCode maps the index's Chinese label to the code the API sends.
func validityCode(label string) string {
	for _, v := range taxonomy.Validities() {
		if v.Label() == label {
			return string(v)
		}
	}
	return string(taxonomy.ValidityValid)
}

// SearchPage is the results page.
type SearchPage struct {
	PortalBase
	Total                 int
	Empty                 bool // no query text: the latest documents
	ByDate                bool
	RelevanceURL, DateURL string
	Hits                  []SearchHit
	Facets                []FacetGroup
	Active                []ActiveFilter
	Notices               []string
	Suggestions           []SearchLink
	// Droppable are filters whose removal gives results.
	Droppable  []SearchLink
	Pagination Pagination
	// Unavailable is set while the index is being built.
	Unavailable bool
}

// SearchHit is one result as the page shows it. Title and Snippet are safe
// HTML made by the highlighter: escaped text with <mark> around matches.
type SearchHit struct {
	Title       template.HTML
	Snippet     template.HTML
	URL         string
	Kind        string
	IndexNo     string
	DocNo       string
	OrgName     string
	Validity    string
	PublishedAt time.Time
}

// FacetGroup is one facet with its values as filter links.
type FacetGroup struct {
	ID, Label string
	Values    []FacetLink
}

// FacetLink selects (or, when Current, is) one facet value.
type FacetLink struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

// ActiveFilter is a filter in force with the link that removes it.
type ActiveFilter struct {
	Label, Value, RemoveURL string
}

// SearchLink is a suggested query or filter change.
type SearchLink struct {
	Text, URL string
}

// portalFacets are the facets the page shows, in order (the site is the
// page's own).
var portalFacets = []struct{ name, label string }{
	{search.FacetOrg, "发布机构"}, {search.FacetColumn, "栏目"}, {search.FacetTopic, "主题分类"}, {search.FacetGenre, "公文种类"},
	{search.FacetYear, "发布年份"}, {search.FacetValidity, "有效性"}, {search.FacetKind, "信息类别"},
}

// portalFacetSize is the number of values shown per facet.
const portalFacetSize = 10

func searchURL(v url.Values) string {
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}

// with returns a copy of v with param set to value ("" removes it) and
// the page reset.
func with(v url.Values, param, value string) url.Values {
	w := url.Values{}
	for k, x := range v {
		if k != "page" {
			w[k] = x
		}
	}
	if value == "" {
		w.Del(param)
	} else {
		w.Set(param, value)
	}
	return w
}

func (s *Server) portalSearch(w http.ResponseWriter, r *http.Request) error {
	base, err := s.portalBase(w, r, "站内检索")
	if err != nil {
		return err
	}
	sr, err := s.readSearch(r.Context(), r.URL.Query(), base.Site, false)
	if err != nil {
		return err
	}
	base.Query = sr.Text
	if sr.Text != "" {
		base.Title = sr.Text + " - 站内检索"
	}
	page := SearchPage{PortalBase: base, Empty: strings.TrimSpace(sr.Text) == "", ByDate: sr.Query.Sort == search.SortDate}
	page.RelevanceURL = searchURL(with(sr.Values, "sort", ""))
	page.DateURL = searchURL(with(sr.Values, "sort", search.SortDate))
	w.Header().Set("Cache-Control", "no-cache")
	if s.Search == nil {
		page.Unavailable = true
		return s.render(w, r, http.StatusServiceUnavailable, "portal/search", page)
	}
	res, err := s.Search.Search(r.Context(), sr.Query)
	if gongkai.ErrorCode(err) == gongkai.EUNAVAILABLE {
		page.Unavailable = true
		w.Header().Set("Retry-After", "30")
		return s.render(w, r, http.StatusServiceUnavailable, "portal/search", page)
	}
	if err != nil {
		return err
	}
	l, err := s.searchLookups(r.Context())
	if err != nil {
		return err
	}
	page.Total = res.Total
	page.Notices = append(sr.Notices, res.Notices...)
	for _, h := range res.Hits {
		page.Hits = append(page.Hits, s.searchHit(l, h))
	}
	for _, a := range sr.Active {
		page.Active = append(page.Active, ActiveFilter{Label: a.Label, Value: a.Value, RemoveURL: searchURL(with(sr.Values, a.Param, ""))})
	}
	for _, f := range portalFacets {
		counts := res.Facets[f.name]
		if f.name == search.FacetYear {
			counts = append([]search.FacetCount(nil), counts...)
			sort.Slice(counts, func(i, j int) bool { return counts[i].Value > counts[j].Value })
		}
		g := FacetGroup{ID: "facet-" + f.name, Label: f.label}
		current := sr.Values.Get(f.name)
		for _, c := range counts {
			if len(g.Values) == portalFacetSize {
				break
			}
			value, label := l.facetLabel(f.name, c.Value)
			g.Values = append(g.Values, FacetLink{Label: label, Count: c.Count, URL: searchURL(with(sr.Values, f.name, value)), Current: value == current})
		}
		if len(g.Values) > 0 {
			page.Facets = append(page.Facets, g)
		}
	}
	for _, sug := range res.Suggestions {
		page.Suggestions = append(page.Suggestions, SearchLink{Text: sug, URL: searchURL(with(sr.Values, "q", sug))})
	}
	for _, name := range res.DroppableFilters {
		for _, a := range sr.Active {
			if a.Param == name {
				page.Droppable = append(page.Droppable, SearchLink{Text: fmt.Sprintf("取消“%s：%s”可找到%d条", a.Label, a.Value, res.DroppableTotals[name]), URL: searchURL(with(sr.Values, name, ""))})
			}
		}
	}
	page.Pagination = paginate("/search", with(sr.Values, "page", ""), min(res.Total, search.MaxResults), res.Page, res.PageSize)
	page.Pagination.Total = res.Total
	return s.render(w, r, http.StatusOK, "portal/search", page)
}

// searchHit turns an index hit into what the page shows, with the org's
// current name.
func (s *Server) searchHit(l *searchNames, h search.Hit) SearchHit {
	out := SearchHit{Title: template.HTML(h.TitleHTML), Snippet: template.HTML(h.Snippet), URL: h.URL, Kind: kindLabels[h.Kind],
		DocNo: h.DocNo, OrgName: h.OrgName, Validity: h.Validity, PublishedAt: h.PublishedAt}
	if o := l.orgs[h.OrgCode]; o != nil {
		out.OrgName = o.Name
	}
	// Documents, interpretations and annual reports are keyed by their 索引号;
	// only the guide, which has none, is keyed by its site.
	if h.Kind != search.KindGuide {
		out.IndexNo = h.ID
	}
	return out
}

// openSearchDescription is an OpenSearch 1.1 description document, so
// browsers can add the site's search.
type openSearchDescription struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Language      string          `xml:"Language"`
	URLs          []openSearchURL `xml:"Url"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

func (s *Server) openSearch(w http.ResponseWriter, r *http.Request) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	origin := s.origin(r)
	d := openSearchDescription{ShortName: clip(site.Name, 15), Description: "检索" + site.Name + "公开的政府信息", InputEncoding: "UTF-8", Language: "zh-CN",
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: origin + "/search?q={searchTerms}&page={startPage?}"},
			{Type: "application/json", Method: "get", Template: origin + "/api/v1/search?q={searchTerms}&page={startPage?}"},
		}}
	if utf8.RuneCountInString(site.Name) > 15 {
		d.ShortName = clip(site.Name, 14)
	}
	return writeXML(w, "application/opensearchdescription+xml; charset=utf-8", d)
}

type searchResponse struct {
	Query       string                  `json:"query"`
	Total       int                     `json:"total"`
	Page        int                     `json:"page"`
	PageSize    int                     `json:"pageSize"`
	Pages       int                     `json:"pages"`
	Facets      map[string][]facetValue `json:"facets"`
	Hits        []searchHitJSON         `json:"hits"`
	Notices     []string                `json:"notices"`
	Suggestions []string                `json:"suggestions"`
	Partial     bool                    `json:"partial"`
}

type facetValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type searchHitJSON struct {
	IndexNo     string    `json:"indexNo,omitempty"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Snippet     string    `json:"snippet"`
	DocNo       string    `json:"docNo,omitempty"`
	PublishedAt time.Time `json:"publishedAt,omitzero"`
	Org         string    `json:"org"`
	OrgName     string    `json:"orgName"`
	Validity    string    `json:"validity"`
	Score       float64   `json:"score"`
}

// apiSearch: GET /api/v1/search. Bad input is never an error: it is
// corrected and explained in notices.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	sr, err := s.readSearch(r.Context(), r.URL.Query(), site, true)
	if err != nil {
		return err
	}
	if s.Search == nil {
		return ErrSearchUnavailable
	}
	res, err := s.Search.Search(r.Context(), sr.Query)
	if err != nil {
		return err
	}
	l, err := s.searchLookups(r.Context())
	if err != nil {
		return err
	}
	origin := s.origin(r)
	if len(sr.Site.Hosts) > 0 && sr.Site.ID != site.ID {
		scheme := "http"
		if s.isTLS(r) {
			scheme = "https"
		}
		origin = scheme + "://" + sr.Site.Hosts[0]
	}
	out := searchResponse{Query: sr.Text, Total: res.Total, Page: res.Page, PageSize: res.PageSize, Pages: res.Pages,
		Facets: map[string][]facetValue{}, Hits: []searchHitJSON{}, Notices: append(append(sr.Notices, res.Notices...), res.Advice...),
		Suggestions: res.Suggestions, Partial: res.Partial}
	if out.Suggestions == nil {
		out.Suggestions = []string{}
	}
	if out.Notices == nil {
		out.Notices = []string{}
	}
	for name, counts := range res.Facets {
		vals := []facetValue{}
		for _, c := range counts {
			value, label := l.facetLabel(name, c.Value)
			vals = append(vals, facetValue{Value: value, Label: label, Count: c.Count})
		}
		out.Facets[name] = vals
	}
	for _, h := range res.Hits {
		v := s.searchHit(l, h)
		hit := searchHitJSON{IndexNo: v.IndexNo, Kind: h.Kind, Title: h.Title, URL: h.URL, Snippet: h.Snippet, DocNo: h.DocNo,
			PublishedAt: h.PublishedAt, Org: h.OrgCode, OrgName: v.OrgName, Validity: validityCode(h.Validity), Score: h.Score}
		if strings.HasPrefix(hit.URL, "/") {
			hit.URL = origin + hit.URL
		}
		out.Hits = append(out.Hits, hit)
	}
	w.Header().Set("Cache-Control", "no-cache")
	return writeJSON(w, http.StatusOK, out)
}

// ErrSearchUnavailable answers searches on a server without an index.
var ErrSearchUnavailable = gongkai.Errorf(gongkai.EUNAVAILABLE, "站内检索暂不可用。")

// SearchAdminPage shows the index's state and edits the synonym list.
type SearchAdminPage struct {
	AdminBase
	Status    replica.Status
	HasStatus bool
	Synonyms  *gongkai.SearchSynonyms
	// Text is the list in the form (what was posted, after an error).
	Text     string
	Problems gongkai.Problems
}

func (s *Server) searchAdminPage(w http.ResponseWriter, r *http.Request) (SearchAdminPage, error) {
	a := gongkai.ActorFrom(r.Context())
	if !a.IsAdmin() {
		return SearchAdminPage{}, gongkai.Errorf(gongkai.EFORBIDDEN, "只有管理员可以查看站内检索设置。")
	}
	page := SearchAdminPage{AdminBase: s.adminBase(w, r, "站内检索")}
	if s.Search != nil {
		page.Status, page.HasStatus = s.Search.Status(r.Context()), true
	}
	if s.SearchSettings == nil {
		return page, gongkai.Errorf(gongkai.EUNAVAILABLE, "站内检索设置暂不可用。")
	}
	syn, err := s.SearchSettings.FindSearchSynonyms(r.Context())
	if err != nil {
		return page, err
	}
	page.Synonyms, page.Text = syn, syn.Text
	return page, nil
}

func (s *Server) adminSearch(w http.ResponseWriter, r *http.Request) error {
	page, err := s.searchAdminPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/search", page)
}

func (s *Server) adminSearchSynonyms(w http.ResponseWriter, r *http.Request) error {
	if s.SearchSettings == nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "站内检索设置暂不可用。")
	}
	text := r.PostFormValue("synonyms")
	if r.PostFormValue("reset") != "" {
		text = ""
	}
	_, err := s.SearchSettings.UpdateSearchSynonyms(r.Context(), text)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/search", "synonyms-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, perr := s.searchAdminPage(w, r)
	if perr != nil {
		return perr
	}
	page.Text, page.Problems = text, problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/search", page)
}
