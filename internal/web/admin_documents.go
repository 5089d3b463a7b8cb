package web

import (
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/sniff"
	"gongkai/internal/taxonomy"
)

// DocumentRow is a document in a staff list with its 条例 Art. 26 deadline.
type DocumentRow struct {
	Doc *gongkai.Document
	// Due is the last day to publish in time; DueKnown is false when the
	// calendar does not cover the dates.
	Due      gongkai.Date
	DueKnown bool
	// Left is the working days to Due (negative: overdue); for published
	// documents OnTime tells whether they made it.
	Left   int
	OnTime bool
}

// Overdue reports whether an unpublished document is past its deadline.
func (r DocumentRow) Overdue() bool { return r.DueKnown && r.Left < 0 && !r.Doc.Live }

// Abs returns |Left|.
func (r DocumentRow) Abs() int {
	if r.Left < 0 {
		return -r.Left
	}
	return r.Left
}

// DocumentsPage is the workspace list of documents, in tabs.
type DocumentsPage struct {
	AdminBase
	Tab        string
	Tabs       []NavItem
	Rows       []DocumentRow
	Pagination Pagination
	// Filters of the published tab.
	Filter    ListFilter
	Column    string
	Query     string
	Columns   []*gongkai.Column
	Years     []int
	CanCreate bool
}

const adminPageSize = 20

// rows adds deadlines to documents.
func (s *Server) rows(ctx context.Context, docs []*gongkai.Document) []DocumentRow {
	cal, err := s.Calendar.Workdays(ctx)
	today := gongkai.DateOf(s.Now())
	out := make([]DocumentRow, 0, len(docs))
	for _, d := range docs {
		row := DocumentRow{Doc: d}
		formed := d.FormedOn
		if formed.IsZero() {
			formed = d.SignedOn
		}
		if formed.IsZero() {
			formed = gongkai.DateOf(d.CreatedAt)
		}
		if err == nil && d.Disclosure == string(taxonomy.DisclosureProactive) {
			if due, err := gongkai.DisclosureDue(cal, formed); err == nil {
				row.Due, row.DueKnown = due, true
				if !d.PublishedAt.IsZero() {
					row.OnTime = !gongkai.DateOf(d.PublishedAt).After(due)
				} else if left, err := gongkai.WorkdaysLeft(cal, today, due); err == nil {
					row.Left = left
				} else {
					row.DueKnown = false
				}
			}
		}
		out = append(out, row)
	}
	return out
}

func hasRole(a *gongkai.Actor, roles ...gongkai.Role) bool {
	for _, g := range a.Grants {
		for _, r := range roles {
			if g.Role == r {
				return true
			}
		}
	}
	return a.System
}

func (s *Server) adminDocuments(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	q := r.URL.Query()
	page := DocumentsPage{AdminBase: s.adminBase(w, r, "文件管理"), CanCreate: hasRole(a, gongkai.RoleEditor)}
	page.Tabs = []NavItem{{"我的草稿", "/admin/documents?tab=drafts"}, {"全部草稿", "/admin/documents?tab=alldrafts"}, {"待我审核", "/admin/documents?tab=review"},
		{"审核中", "/admin/documents?tab=inreview"}, {"待发布", "/admin/documents?tab=scheduled"}, {"已发布", "/admin/documents?tab=published"}, {"已撤回", "/admin/documents?tab=withdrawn"}}
	page.Tab = q.Get("tab")
	if page.Tab == "" {
		switch {
		case hasRole(a, gongkai.RoleEditor):
			page.Tab = "drafts"
		case hasRole(a, gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3):
			page.Tab = "review"
		default:
			page.Tab = "published"
		}
	}
	page.Current = "/admin/documents?tab=" + page.Tab
	var f gongkai.DocumentFilter
	status := func(st gongkai.DocumentStatus) { f.Status = &st }
	switch page.Tab {
	case "drafts":
		status(gongkai.DocumentDraft)
		f.CreatedBy = &a.UserID
	case "alldrafts":
		status(gongkai.DocumentDraft)
	case "review":
		f.ReviewQueue = true
	case "inreview":
		status(gongkai.DocumentInReview)
	case "scheduled":
		status(gongkai.DocumentScheduled)
	case "published":
		status(gongkai.DocumentPublished)
	case "withdrawn":
		status(gongkai.DocumentWithdrawn)
	default:
		return gongkai.Errorf(gongkai.ENOTFOUND, "没有这个列表。")
	}
	lf, pf := readListFilter(q)
	page.Filter = lf
	f.Topic, f.Genre, f.Issuer, f.Validity, f.Year = pf.Topic, pf.Genre, pf.Issuer, pf.Validity, pf.Year
	if c := strings.TrimSpace(q.Get("column")); c != "" {
		page.Column = c
		f.Column = &page.Column
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		page.Query = v
		f.Query = &page.Query
	}
	for y := time.Now().In(gongkai.Shanghai).Year(); len(page.Years) < 10; y-- {
		page.Years = append(page.Years, y)
	}
	if site, err := s.site(r); err == nil {
		if tree, err := s.columns(r.Context(), site.ID); err == nil {
			for _, c := range tree.All {
				if k := taxonomy.Kind(c.Kind); k == taxonomy.KindList || k == taxonomy.KindSystem {
					page.Columns = append(page.Columns, c)
				}
			}
		}
	}
	n := pageNumber(q)
	f.Offset, f.Limit = (n-1)*adminPageSize, adminPageSize
	docs, total, err := s.Documents.FindDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	page.Rows = s.rows(r.Context(), docs)
	v := lf.values()
	v.Set("tab", page.Tab)
	if page.Column != "" {
		v.Set("column", page.Column)
	}
	if page.Query != "" {
		v.Set("q", page.Query)
	}
	page.Pagination = paginate("/admin/documents", v, total, n, adminPageSize)
	return s.render(w, r, http.StatusOK, "admin/documents", page)
}

// DocumentForm is the document form's values as typed.
type DocumentForm struct {
	Org, Title, Body, Summary, Keywords, Issuers, DocNo, Genre, Topic string
	SignedOn, FormedOn, Disclosure, DisclosureReason, Validity        string
	ValidityOn, Interprets, Repeals, Amends, PublishAt, RevisionNote  string
	// EffectiveOn (施行日期) and ValidUntil (有效期至), YYYY-MM-DD.
	EffectiveOn, ValidUntil string
	Columns                 map[string]bool
	// RequiredDisclosure and its reason: personal data published because
	// the law requires it (issue 7).
	RequiredDisclosure       bool
	RequiredDisclosureReason string
}

func formFromDocument(d *gongkai.Document) DocumentForm {
	ids := func(v []int64) string {
		var parts []string
		for _, id := range v {
			parts = append(parts, strconv.FormatInt(id, 10))
		}
		return strings.Join(parts, "，")
	}
	f := DocumentForm{Org: d.OrgCode, Title: d.Title, Body: d.Body, Summary: d.Summary, Keywords: strings.Join(d.Keywords, "，"), Issuers: strings.Join(d.Issuers, "\n"),
		DocNo: d.DocNo, Genre: d.Genre, Topic: d.Topic, SignedOn: d.SignedOn.String(), FormedOn: d.FormedOn.String(), Disclosure: d.Disclosure,
		DisclosureReason: d.DisclosureReason, Validity: d.Validity, ValidityOn: d.ValidityOn.String(), Interprets: ids(d.Interprets),
		Repeals: ids(d.Repeals), Amends: ids(d.Amends), RevisionNote: d.RevisionNote, Columns: map[string]bool{},
		EffectiveOn: d.EffectiveOn.String(), ValidUntil: d.ValidUntil.String(),
		RequiredDisclosure: d.RequiredDisclosure, RequiredDisclosureReason: d.RequiredDisclosureReason}
	if !d.PublishAt.IsZero() {
		f.PublishAt = d.PublishAt.In(gongkai.Shanghai).Format("2006-01-02T15:04")
	}
	for _, c := range d.Columns {
		f.Columns[c] = true
	}
	return f
}

func formFromRequest(r *http.Request) DocumentForm {
	v := func(k string) string { return r.PostFormValue(k) }
	f := DocumentForm{Org: v("org"), Title: v("title"), Body: v("body"), Summary: v("summary"), Keywords: v("keywords"), Issuers: v("issuers"),
		DocNo: v("docNo"), Genre: v("genre"), Topic: v("topic"), SignedOn: v("signedOn"), FormedOn: v("formedOn"), Disclosure: v("disclosure"),
		DisclosureReason: v("disclosureReason"), Validity: v("validity"), ValidityOn: v("validityOn"), Interprets: v("interprets"),
		Repeals: v("repeals"), Amends: v("amends"), PublishAt: v("publishAt"), RevisionNote: v("revisionNote"), Columns: map[string]bool{},
		EffectiveOn: v("effectiveOn"), ValidUntil: v("validUntil"),
		RequiredDisclosure: v("requiredDisclosure") == "on", RequiredDisclosureReason: v("requiredDisclosureReason")}
	for _, c := range r.PostForm["columns"] {
		f.Columns[c] = true
	}
	return f
}

// update turns the form into a document update, with the problems of
// fields that do not even parse (dates, references).
func (s *Server) update(ctx context.Context, f DocumentForm) (gongkai.DocumentUpdate, gongkai.Problems) {
	var p gongkai.Problems
	in := gongkai.DocumentInput{Title: &f.Title, Body: &f.Body, Summary: &f.Summary, DocNo: &f.DocNo, Genre: &f.Genre, Topic: &f.Topic,
		Disclosure: &f.Disclosure, DisclosureReason: &f.DisclosureReason, Validity: &f.Validity, RevisionNote: &f.RevisionNote,
		RequiredDisclosure: &f.RequiredDisclosure, RequiredDisclosureReason: &f.RequiredDisclosureReason}
	keywords := []string{f.Keywords}
	issuers := strings.Split(f.Issuers, "\n")
	var columns []string
	for c, on := range f.Columns {
		if on {
			columns = append(columns, c)
		}
	}
	in.Keywords, in.Issuers, in.Columns = &keywords, &issuers, &columns
	for _, d := range []struct {
		name, label, value string
		dst                **gongkai.Date
	}{{"signedOn", "成文日期", f.SignedOn, &in.SignedOn}, {"formedOn", "形成或变更日期", f.FormedOn, &in.FormedOn}, {"validityOn", "有效性变更日期", f.ValidityOn, &in.ValidityOn},
		{"effectiveOn", "施行日期", f.EffectiveOn, &in.EffectiveOn}, {"validUntil", "有效期至", f.ValidUntil, &in.ValidUntil}} {
		var day gongkai.Date
		if v := strings.TrimSpace(d.value); v != "" {
			var err error
			if day, err = gongkai.ParseDate(v); err != nil {
				p.Add(d.name, d.label+"格式应为 YYYY-MM-DD，例如 2024-03-05。")
			}
		}
		*d.dst = &day
	}
	for _, rel := range []struct {
		value string
		dst   **[]gongkai.DocRef
	}{{f.Interprets, &in.Interprets}, {f.Repeals, &in.Repeals}, {f.Amends, &in.Amends}} {
		refs := []gongkai.DocRef{}
		for _, part := range strings.FieldsFunc(rel.value, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' }) {
			if id, err := strconv.ParseInt(part, 10, 64); err == nil {
				refs = append(refs, gongkai.DocRef{ID: id})
			} else {
				refs = append(refs, gongkai.DocRef{IndexNo: part})
			}
		}
		*rel.dst = &refs
	}
	publishAt := ""
	if v := strings.TrimSpace(f.PublishAt); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, gongkai.Shanghai)
		if err != nil {
			p.Add("publishAt", "定时发布时间格式应为 2024-03-05T09:00。")
		} else {
			publishAt = t.Format(time.RFC3339)
		}
	}
	in.PublishAt = &publishAt
	u, err := in.Update(func(no string) (int64, error) {
		d, err := s.Portal.FindPublicDocumentByIndexNo(ctx, no)
		if err != nil {
			return 0, err
		}
		return d.ID, nil
	})
	if e := gongkai.AsError(err); e != nil {
		p = append(p, e.Problems...)
	}
	return u, p
}

// DocumentFormPage creates or edits a document.
type DocumentFormPage struct {
	AdminBase
	IsNew    bool
	Doc      *gongkai.Document // the stored document when editing
	Form     DocumentForm
	Orgs     []*gongkai.Org // orgs the actor may draft for
	Columns  []MenuColumn
	Topics   []taxonomy.TopicBranch
	Genres   []taxonomy.Genre
	Disclose []taxonomy.Disclosure
	Validity []taxonomy.Validity
	Problems gongkai.Problems
	Warnings []string
	Saved    bool
	// Check is the saved working copy checked now, shown beside the form.
	Check *CheckView
}

func (s *Server) documentForm(w http.ResponseWriter, r *http.Request, title string, d *gongkai.Document, f DocumentForm) (DocumentFormPage, error) {
	a := gongkai.ActorFrom(r.Context())
	page := DocumentFormPage{AdminBase: s.adminBase(w, r, title), IsNew: d == nil, Doc: d, Form: f, Topics: taxonomy.TopicTree(), Genres: taxonomy.Genres(),
		Disclose: taxonomy.Disclosures(), Validity: taxonomy.Validities()}
	for _, g := range a.Grants {
		if g.Role == gongkai.RoleEditor {
			org, err := s.Orgs.FindOrgByID(r.Context(), g.OrgID)
			if err != nil {
				return page, err
			}
			page.Orgs = append(page.Orgs, org)
		}
	}
	siteID := int64(0)
	if d != nil {
		siteID = d.SiteID
		if d.Status == gongkai.DocumentDraft || d.Status == gongkai.DocumentPublished {
			if c, err := s.runCheck(r.Context(), d.ID); err == nil {
				page.Check = s.newCheckView(r.Context(), c, d.SiteID, d.Body)
			}
		}
	} else if len(page.Orgs) > 0 {
		// The columns of the site the (first) editor org publishes on.
		org := page.Orgs[0]
		for _, o := range page.Orgs {
			if o.Code == f.Org {
				org = o
			}
		}
		site, err := s.homeSite(r.Context(), org)
		if err != nil {
			return page, err
		}
		siteID = site.ID
	}
	if siteID != 0 {
		tree, err := s.columns(r.Context(), siteID)
		if err != nil {
			return page, err
		}
		for _, c := range tree.All {
			if d := tree.depth(c); d >= 1 {
				page.Columns = append(page.Columns, MenuColumn{Column: c, Depth: d - 1})
			}
		}
	}
	return page, nil
}

func (s *Server) adminDocumentNew(w http.ResponseWriter, r *http.Request) error {
	if !hasRole(gongkai.ActorFrom(r.Context()), gongkai.RoleEditor) {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "只有编辑可以起草文件。")
	}
	f := DocumentForm{Disclosure: string(taxonomy.DisclosureProactive), Validity: string(taxonomy.ValidityValid), Columns: map[string]bool{}}
	page, err := s.documentForm(w, r, "起草文件", nil, f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/document_form", page)
}

func (s *Server) adminDocumentCreate(w http.ResponseWriter, r *http.Request) error {
	f := formFromRequest(r)
	u, problems := s.update(r.Context(), f)
	var d *gongkai.Document
	if len(problems) == 0 {
		var err error
		d, err = s.Documents.CreateDocument(r.Context(), f.Org, u)
		if err == nil && len(d.Warnings) == 0 {
			return s.redirectFlash(w, r, "/admin/documents/"+strconv.FormatInt(d.ID, 10), "document-saved")
		}
		if err != nil {
			if problems, err = formProblems(err); err != nil {
				return err
			}
		}
	}
	if d != nil { // saved, with something to tell the editor
		page, err := s.documentForm(w, r, "编辑文件："+d.Title, d, formFromDocument(d))
		if err != nil {
			return err
		}
		page.Warnings, page.Saved = d.Warnings, true
		return s.render(w, r, http.StatusOK, "admin/document_form", page)
	}
	page, err := s.documentForm(w, r, "起草文件", nil, f)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/document_form", page)
}

func (s *Server) loadDocument(r *http.Request) (*gongkai.Document, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Documents.FindDocumentByID(r.Context(), id)
}

func (s *Server) adminDocumentEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	page, err := s.documentForm(w, r, "编辑文件："+d.Title, d, formFromDocument(d))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/document_form", page)
}

func (s *Server) adminDocumentUpdate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	f := formFromRequest(r)
	u, problems := s.update(r.Context(), f)
	if len(problems) == 0 {
		saved, err := s.Documents.UpdateDocument(r.Context(), d.ID, u)
		if err == nil && len(saved.Warnings) == 0 {
			return s.redirectFlash(w, r, "/admin/documents/"+strconv.FormatInt(d.ID, 10), "document-saved")
		}
		if err == nil {
			page, err := s.documentForm(w, r, "编辑文件："+saved.Title, saved, formFromDocument(saved))
			if err != nil {
				return err
			}
			page.Warnings, page.Saved = saved.Warnings, true
			return s.render(w, r, http.StatusOK, "admin/document_form", page)
		}
		if problems, err = formProblems(err); err != nil {
			return err
		}
	}
	page, err := s.documentForm(w, r, "编辑文件："+d.Title, d, f)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/document_form", page)
}

// DocumentViewPage shows a document to staff with what they may do next.
type DocumentViewPage struct {
	AdminBase
	Doc       *gongkai.Document
	Row       DocumentRow
	History   *gongkai.DocumentHistory
	PublicURL string
	// What the actor may do.
	CanEdit, CanSubmit, CanReview, CanWithdraw, CanUnschedule, CanAttach bool
	ReviewLabel                                                          string
	Accept                                                               string
	UploadLimit                                                          string
	Columns                                                              []string // names
	Problems                                                             gongkai.Problems
	// Check is the content check shown beside the text (issue 7); Final
	// is true when the actor reviews at the last level, where block
	// findings need an override; CanAccept lets a final reviewer or admin
	// accept the open findings of a recheck; Review refills the review
	// form after a refusal.
	Check            *CheckView
	Final, CanAccept bool
	Review           gongkai.Review
}

func (s *Server) documentView(w http.ResponseWriter, r *http.Request, d *gongkai.Document) (DocumentViewPage, error) {
	a := gongkai.ActorFrom(r.Context())
	h, err := s.Documents.FindDocumentHistory(r.Context(), d.ID)
	if err != nil {
		return DocumentViewPage{}, err
	}
	page := DocumentViewPage{AdminBase: s.adminBase(w, r, d.Title), Doc: d, History: h, Accept: sniff.DefaultAllowed().Accept(), UploadLimit: sniff.FormatSize(s.UploadLimit)}
	page.Row = s.rows(r.Context(), []*gongkai.Document{d})[0]
	editor := a.HasRole(gongkai.RoleEditor, d.OrgID)
	page.CanEdit = editor && (d.Status == gongkai.DocumentDraft || d.Status == gongkai.DocumentPublished)
	page.CanAttach = page.CanEdit
	page.CanSubmit = editor && d.Status == gongkai.DocumentDraft
	if d.Status == gongkai.DocumentInReview && a.HasRole(gongkai.ReviewerRole(d.ReviewLevel), d.OrgID) {
		page.CanReview, page.ReviewLabel = true, gongkai.ReviewLevelLabel(d.ReviewLevel, d.ReviewLevels)
	}
	final := a.HasRole(gongkai.ReviewerRole(d.ReviewLevels), d.OrgID)
	org, err := s.Orgs.FindOrgByID(r.Context(), d.OrgID)
	if err != nil {
		return page, err
	}
	page.CanWithdraw = d.Live && d.Status != gongkai.DocumentWithdrawn && (final || a.CanAdminister(org))
	page.CanUnschedule = d.Status == gongkai.DocumentScheduled && (editor || final || a.CanAdminister(org))
	if d.Live {
		page.PublicURL = s.publicURL(r, d.SiteID, d.URL)
	}
	if tree, err := s.columns(r.Context(), d.SiteID); err == nil {
		for _, slug := range d.Columns {
			if c := tree.slug(slug); c != nil {
				page.Columns = append(page.Columns, c.Name)
			}
		}
	}
	page.Check = s.documentCheckView(r.Context(), d)
	page.Final = page.CanReview && d.ReviewLevel == d.ReviewLevels
	page.CanAccept = page.Check != nil && page.Check.Check.Open() && d.Status == gongkai.DocumentPublished && (final || a.CanAdminister(org))
	return page, nil
}

// homeSite is the site an org's documents appear on: its own or its
// nearest ancestor's (the store's rule, for the form's column list).
func (s *Server) homeSite(ctx context.Context, org *gongkai.Org) (*gongkai.Site, error) {
	sites, err := s.Sites.FindSites(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(org.Path) - 1; i >= 0; i-- {
		var found *gongkai.Site
		for _, site := range sites {
			if site.OrgID == org.Path[i] && (found == nil || site.IsDefault) {
				found = site
			}
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, gongkai.Errorf(gongkai.ECONFLICT, "“%s”及其上级机构都还没有网站，文件无处发布。", org.Name)
}

// publicURL is the absolute address of a path on a site: the host this
// request came to when it is one of the site's (keeping its port, as on a
// demo at 127.0.0.1:8080), else the site's first host.
func (s *Server) publicURL(r *http.Request, siteID int64, path string) string {
	host := r.Host
	if site, err := s.Sites.FindSiteByID(r.Context(), siteID); err == nil && len(site.Hosts) > 0 && !slices.Contains(site.Hosts, hostOnly(r.Host)) {
		host = site.Hosts[0]
	}
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + host + path
}

func (s *Server) adminDocumentView(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	page, err := s.documentView(w, r, d)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/document", page)
}

// viewProblems re-renders the document page with the problems of a refused
// step, or returns the error when it is not about a field.
func (s *Server) viewProblems(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	d, err := s.Documents.FindDocumentByID(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := s.documentView(w, r, d)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/document", page)
}

// reviewProblems re-renders the document page after a refused review,
// with the reviewer's comment and override kept and, when the content
// checks refused it, the findings as they are now.
func (s *Server) reviewProblems(w http.ResponseWriter, r *http.Request, id int64, rv gongkai.Review, err error) error {
	problems, err := checkProblems(err)
	if err != nil {
		return err
	}
	d, err := s.Documents.FindDocumentByID(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := s.documentView(w, r, d)
	if err != nil {
		return err
	}
	page.Problems, page.Review = problems, rv
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/document", page)
}

func docURL(id int64) string { return "/admin/documents/" + strconv.FormatInt(id, 10) }

func (s *Server) adminDocumentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Documents.SubmitDocument(r.Context(), id); err != nil {
		return s.viewProblems(w, r, id, err)
	}
	return s.redirectFlash(w, r, docURL(id), "document-submitted")
}

func (s *Server) adminDocumentReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rv := reviewOf(r)
	d, err := s.decide(r.Context(), id, rv)
	if err != nil {
		return s.reviewProblems(w, r, id, rv, err)
	}
	flash := "document-approved"
	switch {
	case gongkai.ReviewDecision(r.PostFormValue("decision")) == gongkai.Reject:
		flash = "document-rejected"
	case d.Status == gongkai.DocumentPublished:
		flash = "document-published"
	case d.Status == gongkai.DocumentScheduled:
		flash = "document-scheduled"
	}
	// The reviewer goes back to the queue, where the next document waits.
	return s.redirectFlash(w, r, "/admin/documents?tab=review", flash)
}

func (s *Server) adminDocumentWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Documents.WithdrawDocument(r.Context(), id, gongkai.WithdrawMode(r.PostFormValue("mode")), r.PostFormValue("reason")); err != nil {
		return s.viewProblems(w, r, id, err)
	}
	return s.redirectFlash(w, r, docURL(id), "document-withdrawn")
}

func (s *Server) adminDocumentUnschedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Documents.CancelSchedule(r.Context(), id); err != nil {
		return err
	}
	return s.redirectFlash(w, r, docURL(id), "document-unscheduled")
}

// adminDocumentPreview renders the working copy with the portal's document
// template, as it would look once published.
func (s *Server) adminDocumentPreview(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	site, err := s.Sites.FindSiteByID(r.Context(), d.SiteID)
	if err != nil {
		return err
	}
	tree, err := s.columns(r.Context(), d.SiteID)
	if err != nil {
		return err
	}
	base := PortalColumnsBase{PortalBase: PortalBase{Site: site, Nav: s.portalNav, Current: r.URL.Path}, Menu: tree.menuHTML}
	p := &gongkai.PublicDocument{ID: d.ID, SiteID: d.SiteID, OrgID: d.OrgID, OrgCode: d.OrgCode, OrgName: d.OrgName, State: gongkai.PublicPublished,
		IndexNo: d.IndexNo, Title: d.Title, Body: d.Body, Summary: d.Summary, Keywords: d.Keywords, Issuers: d.Issuers, DocNo: d.DocNo, Genre: d.Genre,
		Topic: d.Topic, SignedOn: d.SignedOn, Validity: d.Validity, ValidityOn: d.ValidityOn, EffectiveOn: d.EffectiveOn, ValidUntil: d.ValidUntil, PublishedAt: d.PublishedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
	if p.IndexNo == "" {
		p.IndexNo = "（发布时生成）"
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = s.Now()
	}
	for _, a := range d.Attachments {
		a.URL = docURL(d.ID) + "/attachments/" + a.SHA256
		p.Attachments = append(p.Attachments, a)
	}
	for _, slug := range d.Columns {
		if c := tree.slug(slug); c != nil {
			p.Columns = append(p.Columns, c.ID)
		}
	}
	page := s.documentPage(base, tree, p, true)
	return s.render(w, r, http.StatusOK, "portal/document", page)
}

// storeUpload checks an uploaded file (size, sniffed type against its
// name) and puts it in the blob store.
func (s *Server) storeUpload(ctx context.Context, name string, f interface {
	io.Reader
	io.ReaderAt
}, size int64) (gongkai.Attachment, error) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:] // browsers on Windows may send the full path
	}
	if name == "" || len([]rune(name)) > 120 {
		return gongkai.Attachment{}, gongkai.FieldError(sniff.Field, "附件文件名不能为空，也不能超过120个字。")
	}
	if size > s.UploadLimit {
		return gongkai.Attachment{}, sniff.TooLarge(name, s.UploadLimit)
	}
	if size == 0 {
		return gongkai.Attachment{}, gongkai.FieldError(sniff.Field, "“"+name+"”是空文件。")
	}
	t, err := sniff.Detect(f, size)
	if err != nil {
		return gongkai.Attachment{}, err
	}
	if err := sniff.DefaultAllowed().Check(name, t); err != nil {
		return gongkai.Attachment{}, err
	}
	sum, n, err := s.Blobs.Put(ctx, io.NewSectionReader(f, 0, size))
	if err != nil {
		return gongkai.Attachment{}, err
	}
	return gongkai.Attachment{Name: name, SHA256: sum, Size: n, MIME: t.MIME, Type: t.Label}, nil
}

func (s *Server) adminAttachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// Staff of another org are refused before the file reaches the blob
	// store, where it would stay (blobs are not collected).
	if _, err := s.Documents.FindDocumentByID(r.Context(), id); err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.viewProblems(w, r, id, gongkai.FieldError(sniff.Field, "请选择要上传的文件。"))
	}
	defer file.Close()
	a, err := s.storeUpload(r.Context(), hdr.Filename, file, hdr.Size)
	if err == nil {
		_, err = s.Documents.AddAttachment(r.Context(), id, a)
	}
	if err != nil {
		return s.viewProblems(w, r, id, err)
	}
	if r.MultipartForm != nil {
		r.MultipartForm.RemoveAll()
	}
	return s.redirectFlash(w, r, docURL(id), "attachment-added")
}

var _ multipart.File // uploads arrive as multipart files (io.ReaderAt)

func (s *Server) adminAttachmentDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Documents.RemoveAttachment(r.Context(), id, r.PathValue("sum")); err != nil {
		return err
	}
	return s.redirectFlash(w, r, docURL(id), "attachment-removed")
}

func (s *Server) adminAttachmentDownload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	for _, a := range d.Attachments {
		if a.SHA256 == r.PathValue("sum") {
			w.Header().Set("Cache-Control", "private, no-store")
			return s.sendFile(w, r, a)
		}
	}
	return gongkai.Errorf(gongkai.ENOTFOUND, "附件不存在。")
}

// TimelinessPage shows 条例 Art. 26 timeliness for the actor's orgs.
type TimelinessPage struct {
	AdminBase
	Year  int
	Years []int
	Rows  []*gongkai.Timeliness
	// Overdue lists the actor's unpublished documents past their deadline.
	Overdue []DocumentRow
}

func (s *Server) adminTimeliness(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	this := s.Now().In(gongkai.Shanghai).Year()
	page := TimelinessPage{AdminBase: s.adminBase(w, r, "公开时效"), Year: this}
	for y := this; y > this-5; y-- {
		page.Years = append(page.Years, y)
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 2000 && y <= this {
		page.Year = y
	}
	// Supervisors see their subtrees; other staff their own orgs.
	seen := map[int64]bool{}
	for _, g := range a.Grants {
		subtree := g.Role == gongkai.RoleSupervisor || g.Role == gongkai.RoleAdmin
		rows, err := s.Documents.FindTimeliness(r.Context(), g.OrgID, page.Year, subtree)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if !seen[row.Org.ID] {
				seen[row.Org.ID] = true
				page.Rows = append(page.Rows, row)
			}
		}
	}
	for _, st := range []gongkai.DocumentStatus{gongkai.DocumentDraft, gongkai.DocumentInReview, gongkai.DocumentScheduled} {
		docs, _, err := s.Documents.FindDocuments(r.Context(), gongkai.DocumentFilter{Status: &st, Limit: 200})
		if err != nil {
			return err
		}
		for _, row := range s.rows(r.Context(), docs) {
			if row.Overdue() {
				page.Overdue = append(page.Overdue, row)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "admin/timeliness", page)
}

// DocumentSettingsPage edits an org's review levels and 索引号 template.
type DocumentSettingsPage struct {
	AdminBase
	Org      *gongkai.Org
	Orgs     []OrgRow
	Settings *gongkai.DocumentSettings
	Default  string
	Problems gongkai.Problems
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, code string) (DocumentSettingsPage, error) {
	if err := requireAdmin(r); err != nil {
		return DocumentSettingsPage{}, err
	}
	page := DocumentSettingsPage{AdminBase: s.adminBase(w, r, "文件设置"), Default: "{credit_code}/{yyyy}-{seq:05}"}
	rows, err := s.orgRows(r)
	if err != nil {
		return page, err
	}
	for _, row := range rows {
		if row.CanAdmin {
			page.Orgs = append(page.Orgs, row)
			if row.Org.Code == code || (code == "" && page.Org == nil) {
				page.Org = row.Org
			}
		}
	}
	if page.Org == nil {
		return page, gongkai.Errorf(gongkai.ENOTFOUND, "机构不存在或您无权管理。")
	}
	page.Settings, err = s.Documents.FindDocumentSettings(r.Context(), page.Org.ID)
	return page, err
}

func (s *Server) adminDocumentSettings(w http.ResponseWriter, r *http.Request) error {
	page, err := s.settingsPage(w, r, r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/document_settings", page)
}

func (s *Server) adminDocumentSettingsSave(w http.ResponseWriter, r *http.Request) error {
	page, err := s.settingsPage(w, r, r.PostFormValue("org"))
	if err != nil {
		return err
	}
	levels, _ := strconv.Atoi(r.PostFormValue("reviewLevels"))
	in := gongkai.DocumentSettings{OrgID: page.Org.ID, ReviewLevels: levels, IndexNoTemplate: r.PostFormValue("indexNoTemplate")}
	if _, err := s.Documents.UpdateDocumentSettings(r.Context(), in); err != nil {
		if page.Problems, err = formProblems(err); err != nil {
			return err
		}
		page.Settings = &in
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/document_settings", page)
	}
	return s.redirectFlash(w, r, "/admin/documents/settings?org="+url.QueryEscape(page.Org.Code), "settings-saved")
}

// hostOnly is a Host header without its port, normalised as site hosts are.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		hostport = h
	}
	return gongkai.NormalizeHost(hostport)
}
