package web

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/taxonomy"
)

// The 政府信息公开 portal: column pages by kind, the document page, the
// 政策文件库, Atom feeds and the sitemap. Every handler here is wrapped in
// cacheable, so it renders once per public change.

const portalPageSize = 20

// PortalColumnsBase adds the column breadcrumb and the 政府信息公开 menu to a
// portal page.
type PortalColumnsBase struct {
	PortalBase
	Trail []*gongkai.Column
	// Menu is the side menu of the 政府信息公开 section, written once per
	// site (columnTree).
	Menu template.HTML
	// Here is the column the page belongs to.
	Here *gongkai.Column
}

// MenuColumn is a column in the side menu with its depth.
type MenuColumn struct {
	Column *gongkai.Column
	Depth  int
}

func (s *Server) columnsBase(w http.ResponseWriter, r *http.Request, title string) (PortalColumnsBase, *columnTree, error) {
	base, err := s.portalBase(w, r, title)
	if err != nil {
		return PortalColumnsBase{}, nil, err
	}
	tree, err := s.columns(r.Context(), base.Site.ID)
	if err != nil {
		return PortalColumnsBase{}, nil, err
	}
	return PortalColumnsBase{PortalBase: base, Menu: tree.menuHTML}, tree, nil
}

// ListFilter is a list page's filter as entered, for the form and links.
type ListFilter struct {
	Topic, Genre, Issuer, Validity string
	Year                           int
}

func (f ListFilter) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"topic": f.Topic, "genre": f.Genre, "issuer": f.Issuer, "validity": f.Validity} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if f.Year != 0 {
		v.Set("year", strconv.Itoa(f.Year))
	}
	return v
}

// IsZero reports whether nothing is filtered.
func (f ListFilter) IsZero() bool { return f == ListFilter{} }

// readListFilter reads the filters every list shares (portal, public
// API). Unknown values are dropped rather than refused: a list URL with a
// stale code still shows a list.
func readListFilter(q url.Values) (ListFilter, gongkai.PublicFilter) {
	var lf ListFilter
	var pf gongkai.PublicFilter
	if t, err := taxonomy.ParseTopic(q.Get("topic")); err == nil && q.Get("topic") != "" {
		lf.Topic = t.Code
		pf.Topic = &lf.Topic
	}
	if g, err := taxonomy.ParseGenre(q.Get("genre")); err == nil && q.Get("genre") != "" {
		lf.Genre = g.Code
		pf.Genre = &lf.Genre
	}
	if v, err := taxonomy.ParseValidity(q.Get("validity")); err == nil && q.Get("validity") != "" {
		lf.Validity = string(v)
		pf.Validity = &lf.Validity
	}
	if s := strings.TrimSpace(q.Get("issuer")); s != "" && len([]rune(s)) <= 50 {
		lf.Issuer = s
		pf.Issuer = &lf.Issuer
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 1990 && y <= 2100 {
		lf.Year = y
		pf.Year = &lf.Year
	}
	return lf, pf
}

// PageLink is one numbered page of a list.
type PageLink struct {
	N       int
	URL     string
	Current bool
}

// Pagination is a list's page navigation with stable URLs.
type Pagination struct {
	Total, Page, Pages int
	PrevURL, NextURL   string
	Links              []PageLink
}

func paginate(base string, v url.Values, total, page, size int) Pagination {
	p := Pagination{Total: total, Page: page, Pages: max(1, (total+size-1)/size)}
	link := func(n int) string {
		w := url.Values{}
		for k, x := range v {
			w[k] = x
		}
		if n > 1 {
			w.Set("page", strconv.Itoa(n))
		}
		if len(w) == 0 {
			return base
		}
		return base + "?" + w.Encode()
	}
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	for n := max(1, page-4); n <= min(p.Pages, page+5); n++ {
		p.Links = append(p.Links, PageLink{N: n, URL: link(n), Current: n == page})
	}
	return p
}

func pageNumber(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// ColumnPage is a list of documents: a column, or the 政策文件库.
type ColumnPage struct {
	PortalColumnsBase
	Column     *gongkai.Column
	Children   []*gongkai.Column
	Docs       []*gongkai.PublicDocument
	Pagination Pagination
	Filter     ListFilter
	Action     string // the form's action: this list's path
	FeedURL    string
	Library    bool
	Years      []int
}

// GroupPage is a landing page: 政府信息公开 or 法定主动公开内容, with the
// latest documents of each sub-column.
type GroupPage struct {
	PortalColumnsBase
	Column   *gongkai.Column
	Sections []GroupSection
	// Latest are the newest documents anywhere below the column.
	Latest []*gongkai.PublicDocument
}

// GroupSection is a sub-column on a landing page.
type GroupSection struct {
	Column   *gongkai.Column
	Children []*gongkai.Column
	Docs     []*gongkai.PublicDocument
}

// GuidePage is the 政府信息公开指南.
type GuidePage struct {
	PortalColumnsBase
	Column *gongkai.Column
	Guide  *gongkai.Guide
	// Columns is the 编排体系 as it stands: the column tree.
	Columns []MenuColumn
}

// DocumentPage is a document's public page (and the staff preview).
type DocumentPage struct {
	PortalColumnsBase
	Doc     *gongkai.PublicDocument
	Columns []*gongkai.Column
	// Replacement is the document that repealed or amended this one.
	Replacement *gongkai.DocumentLink
	Preview     bool
	// Report is an annual report's published snapshot rendered with every
	// header attribute of the official tables; it replaces the body.
	Report template.HTML
}

func (s *Server) portalColumn(w http.ResponseWriter, r *http.Request) error {
	rest := r.PathValue("path")
	if c, ok := strings.CutSuffix(rest, "atom.xml"); ok {
		return s.columnFeed(w, r, "/xxgk/"+c)
	}
	path := "/xxgk/" + rest
	base, tree, err := s.columnsBase(w, r, "")
	if err != nil {
		return err
	}
	c := tree.byPath[path]
	if c == nil {
		if tree.byPath[path+"/"] != nil && !strings.HasSuffix(path, "/") {
			http.Redirect(w, r, path+"/", http.StatusMovedPermanently)
			return nil
		}
		return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的栏目不存在。")
	}
	base.Title, base.Trail, base.Here = c.Name, tree.trail(c), c
	w.Header().Set("Cache-Control", "public, max-age=60")
	switch taxonomy.Kind(c.Kind) {
	case taxonomy.KindGroup:
		page := GroupPage{PortalColumnsBase: base, Column: c}
		if page.Latest, _, err = s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: base.Site.ID, ColumnIDs: tree.subtree(c), Limit: 10}); err != nil {
			return err
		}
		for _, ch := range tree.children[c.ID] {
			sec := GroupSection{Column: ch, Children: tree.children[ch.ID]}
			if k := taxonomy.Kind(ch.Kind); k == taxonomy.KindList || k == taxonomy.KindSystem || k == taxonomy.KindReport {
				if sec.Docs, _, err = s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: base.Site.ID, ColumnIDs: tree.subtree(ch), Limit: 5}); err != nil {
					return err
				}
			}
			page.Sections = append(page.Sections, sec)
		}
		return s.render(w, r, http.StatusOK, "portal/group", page)
	case taxonomy.KindGuide:
		g, err := s.Portal.FindGuide(r.Context(), base.Site.ID)
		if err != nil {
			return err
		}
		page := GuidePage{PortalColumnsBase: base, Column: c, Guide: g}
		for _, x := range tree.All {
			if d := tree.depth(x); d >= 1 {
				page.Columns = append(page.Columns, MenuColumn{Column: x, Depth: d - 1})
			}
		}
		return s.render(w, r, http.StatusOK, "portal/guide", page)
	case taxonomy.KindApplication:
		// The application form lives at /xxgk/ysqgk/ (portal_applications.go);
		// a column of this kind elsewhere in the tree leads there.
		http.Redirect(w, r, "/xxgk/ysqgk/", http.StatusSeeOther)
		return nil
	}
	return s.renderList(w, r, base, tree, c)
}

// portalLibrary is the 政策文件库: 规章 and 行政规范性文件 with their 有效性.
func (s *Server) portalLibrary(w http.ResponseWriter, r *http.Request) error {
	base, tree, err := s.columnsBase(w, r, "政策文件库")
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return s.renderList(w, r, base, tree, nil)
}

func (s *Server) renderList(w http.ResponseWriter, r *http.Request, base PortalColumnsBase, tree *columnTree, c *gongkai.Column) error {
	q := r.URL.Query()
	lf, pf := readListFilter(q)
	page := ColumnPage{PortalColumnsBase: base, Column: c, Filter: lf}
	for y := time.Now().In(gongkai.Shanghai).Year(); len(page.Years) < 10; y-- {
		page.Years = append(page.Years, y)
	}
	pf.SiteID = base.Site.ID
	if c != nil {
		page.Action, page.FeedURL = c.Path, c.Path+"atom.xml"
		page.Children = tree.children[c.ID]
		pf.ColumnIDs = tree.subtree(c)
	} else {
		page.Action, page.Library = "/xxgk/zcwjk/", true
		for _, slug := range []string{"gz", "gfxwj"} {
			if x := tree.slug(slug); x != nil {
				pf.ColumnIDs = append(pf.ColumnIDs, tree.subtree(x)...)
			}
		}
		if len(pf.ColumnIDs) == 0 {
			pf.ColumnIDs = []int64{-1}
		}
	}
	n := pageNumber(q)
	pf.Offset, pf.Limit = (n-1)*portalPageSize, portalPageSize
	docs, total, err := s.Portal.FindPublicDocuments(r.Context(), pf)
	if err != nil {
		return err
	}
	page.Docs = docs
	page.Pagination = paginate(page.Action, lf.values(), total, n, portalPageSize)
	return s.render(w, r, http.StatusOK, "portal/column", page)
}

// portalDocument is a document's page: /xxgk/wj/{id}.html.
func (s *Server) portalDocument(w http.ResponseWriter, r *http.Request) error {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".html")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || id <= 0 {
		return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的信息不存在。")
	}
	base, tree, err := s.columnsBase(w, r, "")
	if err != nil {
		return err
	}
	d, err := s.Portal.FindPublicDocument(r.Context(), base.Site.ID, id)
	if err != nil {
		return err
	}
	for i := range d.Attachments {
		d.Attachments[i].URL = strings.TrimSuffix(d.URL, ".html") + "/fj/" + d.Attachments[i].SHA256
	}
	// Last-Modified is the cache's: the page also shows related documents
	// and banners that change without this document changing.
	w.Header().Set("Cache-Control", "public, max-age=60")
	page := s.documentPage(base, tree, d, false)
	if page.Report, err = s.publicReportHTML(r.Context(), tree, d); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/document", page)
}

func (s *Server) documentPage(base PortalColumnsBase, tree *columnTree, d *gongkai.PublicDocument, preview bool) DocumentPage {
	page := DocumentPage{PortalColumnsBase: base, Doc: d, Preview: preview}
	page.Title = d.Title
	for _, id := range d.Columns {
		if c := tree.byID[id]; c != nil {
			page.Columns = append(page.Columns, c)
		}
	}
	if len(page.Columns) > 0 {
		page.Trail = tree.trail(page.Columns[0])
		page.Here = page.Columns[0]
	}
	for i, l := range d.Related {
		if (l.Relation == "repealed_by" || l.Relation == "amended_by") && l.ID == d.ReplacedBy {
			page.Replacement = &d.Related[i]
		}
	}
	return page
}

// portalAttachment downloads an attachment of a public document. The URL
// names the content's SHA-256, so it never changes meaning and can be
// cached for long.
func (s *Server) portalAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	site, err := s.site(r)
	if err != nil {
		return err
	}
	d, err := s.Portal.FindPublicDocument(r.Context(), site.ID, id)
	if err != nil {
		return err
	}
	sum := r.PathValue("sum")
	for _, a := range d.Attachments {
		if a.SHA256 == sum {
			w.Header().Set("Cache-Control", "public, max-age=86400")
			return s.sendFile(w, r, a)
		}
	}
	return gongkai.Errorf(gongkai.ENOTFOUND, "附件不存在。")
}

// sendFile serves an attachment from the blob store with its sniffed type
// and its name for saving.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, a gongkai.Attachment) error {
	f, err := s.Blobs.Open(r.Context(), a.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.MIME)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.Name))
	h.Set("Etag", `"`+a.SHA256+`"`)
	// The CSP of the site would not stop a browser from rendering, say, an
	// SVG opened directly; attachments are downloads, never pages.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// atomFeed is an Atom 1.0 document (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    atomAuthor `xml:"author"`
	Summary   string     `xml:"summary"`
}

// origin is the scheme and host the request came to.
func (s *Server) origin(r *http.Request) string {
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// columnFeed is the Atom feed of a column: its latest documents, withdrawn
// ones left out.
func (s *Server) columnFeed(w http.ResponseWriter, r *http.Request, path string) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	tree, err := s.columns(r.Context(), site.ID)
	if err != nil {
		return err
	}
	c := tree.byPath[path]
	if c == nil {
		return gongkai.Errorf(gongkai.ENOTFOUND, "栏目不存在。")
	}
	docs, _, err := s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: site.ID, ColumnIDs: tree.subtree(c), Limit: 20})
	if err != nil {
		return err
	}
	origin := s.origin(r)
	feed := atomFeed{Title: c.Name + " - " + site.Name, ID: origin + c.Path, Author: atomAuthor{site.Name},
		Links: []atomLink{{Href: origin + c.Path + "atom.xml", Rel: "self"}, {Href: origin + c.Path, Rel: "alternate"}}}
	updated := time.Unix(0, 0)
	for _, d := range docs {
		if d.UpdatedAt.After(updated) {
			updated = d.UpdatedAt
		}
		summary := d.Summary
		if summary == "" {
			summary = d.Title
		}
		feed.Entries = append(feed.Entries, atomEntry{Title: d.Title, ID: "urn:gongkai:indexno:" + d.IndexNo, Link: atomLink{Href: origin + d.URL},
			Published: d.PublishedAt.UTC().Format(time.RFC3339), Updated: d.UpdatedAt.UTC().Format(time.RFC3339),
			Author: atomAuthor{d.OrgName}, Summary: summary})
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	return writeXML(w, "application/atom+xml; charset=utf-8", feed)
}

func writeXML(w http.ResponseWriter, contentType string, v any) error {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	_, err = w.Write(b)
	return err
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapLoc `xml:"url"`
}

// sitemapFileSize is the most URLs one sitemap file may list (sitemaps.org).
const sitemapFileSize = 50000

// sitemapIndex lists the sitemap files: the pages, then the documents in
// files of 50,000.
func (s *Server) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	_, total, err := s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: site.ID, Limit: 1})
	if err != nil {
		return err
	}
	origin := s.origin(r)
	idx := sitemapIndex{Sitemaps: []sitemapLoc{{Loc: origin + "/sitemap/pages.xml"}}}
	for n := 1; n <= (total+sitemapFileSize-1)/sitemapFileSize; n++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapLoc{Loc: fmt.Sprintf("%s/sitemap/docs-%d.xml", origin, n)})
	}
	return writeXML(w, "application/xml; charset=utf-8", idx)
}

func (s *Server) sitemapPart(w http.ResponseWriter, r *http.Request) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	origin := s.origin(r)
	var set urlSet
	file := r.PathValue("file")
	if file == "pages.xml" {
		tree, err := s.columns(r.Context(), site.ID)
		if err != nil {
			return err
		}
		set.URLs = append(set.URLs, sitemapLoc{Loc: origin + "/"}, sitemapLoc{Loc: origin + "/xxgk/zcwjk/"})
		for _, c := range tree.All {
			set.URLs = append(set.URLs, sitemapLoc{Loc: origin + c.Path})
		}
		return writeXML(w, "application/xml; charset=utf-8", set)
	}
	var n int
	if _, err := fmt.Sscanf(file, "docs-%d.xml", &n); err != nil || n < 1 || file != fmt.Sprintf("docs-%d.xml", n) {
		return gongkai.Errorf(gongkai.ENOTFOUND, "站点地图不存在。")
	}
	docs, _, err := s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: site.ID, Offset: (n - 1) * sitemapFileSize, Limit: sitemapFileSize})
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return gongkai.Errorf(gongkai.ENOTFOUND, "站点地图不存在。")
	}
	for _, d := range docs {
		set.URLs = append(set.URLs, sitemapLoc{Loc: origin + d.URL, LastMod: d.UpdatedAt.UTC().Format("2006-01-02")})
	}
	return writeXML(w, "application/xml; charset=utf-8", set)
}
