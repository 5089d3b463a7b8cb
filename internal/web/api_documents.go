package web

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/sniff"
	"gongkai/internal/taxonomy"
)

// The documents API: drafting, the 三审 review and withdrawal for staff
// (bearer tokens), and the public read API.

// apiDocumentJSON is a document as the API answers: absolute URLs.
func (s *Server) apiDocumentJSON(r *http.Request, d *gongkai.Document) *gongkai.Document {
	out := *d
	// Lists are [] when empty, never null: a freshly created draft has nil
	// slices where a reloaded one has empty ones, and a client should not
	// have to tell the two apart.
	out.Keywords, out.Issuers, out.Columns = nonNil(out.Keywords), nonNil(out.Issuers), nonNil(out.Columns)
	out.Interprets, out.Repeals, out.Amends = nonNil(out.Interprets), nonNil(out.Repeals), nonNil(out.Amends)
	out.Attachments = nonNil(out.Attachments)
	if d.Live {
		out.URL = s.publicURL(r, d.SiteID, d.URL)
		out.Attachments = make([]gongkai.Attachment, len(d.Attachments))
		for i, a := range d.Attachments {
			a.URL = out.URL[:len(out.URL)-len(".html")] + "/fj/" + a.SHA256
			out.Attachments[i] = a
		}
	}
	return &out
}

func (s *Server) decodeInput(w http.ResponseWriter, r *http.Request) (*gongkai.DocumentInput, gongkai.DocumentUpdate, error) {
	var in gongkai.DocumentInput
	if err := decodeJSON(w, r, &in); err != nil {
		return nil, gongkai.DocumentUpdate{}, err
	}
	if in.PublishedAt != nil || in.IndexNo != nil {
		return nil, gongkai.DocumentUpdate{}, gongkai.FieldError("publishedAt", "publishedAt 和 indexNo 只用于 gongkai import 导入已发布的存档文件；通过接口起草的文件在审核通过后发布，索引号自动生成。")
	}
	u, err := in.Update(func(no string) (int64, error) {
		d, err := s.Portal.FindPublicDocumentByIndexNo(r.Context(), no)
		if err != nil {
			return 0, err
		}
		return d.ID, nil
	})
	return &in, u, err
}

func (s *Server) apiDocumentCreate(w http.ResponseWriter, r *http.Request) error {
	in, u, err := s.decodeInput(w, r)
	if err != nil {
		return err
	}
	org := ""
	if in.Org != nil {
		org = *in.Org
	}
	d, err := s.Documents.CreateDocument(r.Context(), org, u)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, s.apiDocumentJSON(r, d))
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDocument(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.apiDocumentJSON(r, d))
}

func (s *Server) apiDocumentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, u, err := s.decodeInput(w, r)
	if err != nil {
		return err
	}
	if in.Org != nil {
		return gongkai.FieldError("org", "文件所属机构不能修改。")
	}
	d, err := s.Documents.UpdateDocument(r.Context(), id, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.apiDocumentJSON(r, d))
}

func (s *Server) apiDocumentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Documents.SubmitDocument(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.apiDocumentJSON(r, d))
}

type reviewRequest struct {
	Decision gongkai.ReviewDecision `json:"decision"`
	Comment  string                 `json:"comment"`
	// Override and Seen: see gongkai.Review (issue 7).
	Override string `json:"override"`
	Seen     string `json:"seen"`
}

func (s *Server) apiDocumentReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req reviewRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	d, err := s.decide(r.Context(), id, gongkai.Review{Decision: req.Decision, Comment: req.Comment, Override: req.Override, Seen: req.Seen})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.apiDocumentJSON(r, d))
}

type withdrawRequest struct {
	Reason string               `json:"reason"`
	Mode   gongkai.WithdrawMode `json:"mode"`
}

func (s *Server) apiDocumentWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req withdrawRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	d, err := s.Documents.WithdrawDocument(r.Context(), id, req.Mode, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.apiDocumentJSON(r, d))
}

// apiAttachmentUpload takes the file as the raw request body, named by
// ?name=. The body goes to a temporary file first, so the type is sniffed
// from the content and nothing is stored when it is refused.
func (s *Server) apiAttachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("name")
	if strings.TrimSpace(name) == "" {
		// The form's file field carries its name; here the query does,
		// so the problem is the parameter, not the file.
		return gongkai.FieldError("name", "请在网址的 name 参数中给出附件的文件名，例如 ?name=附件1.pdf。")
	}
	if r.ContentLength > s.UploadLimit {
		return sniff.TooLarge(name, s.UploadLimit)
	}
	// Staff of another org (or a wrong id) are refused before the body is
	// read and stored: a refused file would stay in the blob store, which
	// is not collected.
	if _, err := s.Documents.FindDocumentByID(r.Context(), id); err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "gongkai-upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(r.Body, s.UploadLimit+1))
	if err != nil {
		return &gongkai.Error{Code: gongkai.EBADREQUEST, Message: "上传中断，请重试。", Err: err}
	}
	a, err := s.storeUpload(r.Context(), name, tmp, n)
	if err != nil {
		return err
	}
	d, err := s.Documents.AddAttachment(r.Context(), id, a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.apiDocumentJSON(r, d))
}

type publicListResponse struct {
	Total     int                       `json:"total"`
	Page      int                       `json:"page"`
	PerPage   int                       `json:"perPage"`
	Documents []*gongkai.PublicDocument `json:"documents"`
}

// apiPublicDocuments lists the site's published documents with the
// portal's filters: column (slug or path), topic, genre, issuer, year,
// validity, page and perPage (≤ 100).
func (s *Server) apiPublicDocuments(w http.ResponseWriter, r *http.Request) error {
	site, err := s.site(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := checkPublicFilter(q); err != nil {
		return err
	}
	_, f := readListFilter(q)
	f.SiteID = site.ID
	if c := q.Get("column"); c != "" {
		tree, err := s.columns(r.Context(), site.ID)
		if err != nil {
			return err
		}
		col := tree.slug(c)
		if col == nil {
			col = tree.byPath["/"+strings.Trim(c, "/")+"/"]
		}
		if col == nil {
			return gongkai.FieldError("column", "栏目“"+c+"”不存在。")
		}
		f.ColumnIDs = tree.subtree(col)
	}
	per, err := strconv.Atoi(q.Get("perPage"))
	if err != nil || per < 1 || per > 100 {
		per = 20
	}
	n := pageNumber(q)
	f.Offset, f.Limit = (n-1)*per, per
	docs, total, err := s.Portal.FindPublicDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	origin := s.origin(r)
	for _, d := range docs {
		d.URL = origin + d.URL
	}
	if docs == nil {
		docs = []*gongkai.PublicDocument{}
	}
	return writeJSON(w, http.StatusOK, publicListResponse{Total: total, Page: n, PerPage: per, Documents: docs})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkPublicFilter refuses the list parameters of the public API that the
// portal would drop. The portal ignores an unknown value so that old links
// still show a list; a program asking for genre=便条 would instead take the
// unfiltered list for the filtered one, so the API names the parameter.
func checkPublicFilter(q url.Values) error {
	var p gongkai.Problems
	if v := q.Get("topic"); v != "" {
		if _, err := taxonomy.ParseTopic(v); err != nil {
			p.Add("topic", problemMessage(err))
		}
	}
	if v := q.Get("genre"); v != "" {
		if _, err := taxonomy.ParseGenre(v); err != nil {
			p.Add("genre", problemMessage(err))
		}
	}
	if v := q.Get("validity"); v != "" {
		if _, err := taxonomy.ParseValidity(v); err != nil {
			p.Add("validity", problemMessage(err))
		}
	}
	if v := strings.TrimSpace(q.Get("issuer")); len([]rune(v)) > 50 {
		p.Add("issuer", "发文机关不能超过50个字。")
	}
	if v := q.Get("year"); v != "" {
		if y, err := strconv.Atoi(v); err != nil || y < 1990 || y > 2100 {
			p.Add("year", "年份“"+v+"”不正确，应为1990至2100之间的四位数字，如 2024。")
		}
	}
	if v := q.Get("perPage"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100 {
			p.Add("perPage", "每页条数应为1至100之间的整数。")
		}
	}
	if v := q.Get("page"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100000 {
			p.Add("page", "页码应为1至100000之间的整数。")
		}
	}
	return p.Err()
}

// problemMessage is the user-safe message of a validation error.
func problemMessage(err error) string {
	if e := gongkai.AsError(err); e != nil {
		return e.Message
	}
	return err.Error()
}

// apiPublicDocument returns one public document by its 索引号 (with the /
// URL-escaped or not).
func (s *Server) apiPublicDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Portal.FindPublicDocumentByIndexNo(r.Context(), r.PathValue("indexNo"))
	if err != nil {
		return err
	}
	d.URL = s.publicURL(r, d.SiteID, d.URL)
	for i := range d.Attachments {
		d.Attachments[i].URL = strings.TrimSuffix(d.URL, ".html") + "/fj/" + d.Attachments[i].SHA256
	}
	for i := range d.Related {
		d.Related[i].URL = s.publicURL(r, d.SiteID, d.Related[i].URL)
	}
	return writeJSON(w, http.StatusOK, d)
}

// documentListItem is a document in the staff list: its metadata and
// workflow state without body, columns, relations or attachments (GET
// /api/v1/documents/{id} has those), and its 条例 Art. 26 deadline as the
// workspace lists show it.
type documentListItem struct {
	ID           int64                  `json:"id"`
	Org          string                 `json:"org"`
	OrgName      string                 `json:"orgName"`
	Status       gongkai.DocumentStatus `json:"status"`
	ReviewLevel  int                    `json:"reviewLevel"`
	ReviewLevels int                    `json:"reviewLevels"`
	Title        string                 `json:"title"`
	DocNo        string                 `json:"docNo"`
	Genre        string                 `json:"genre"`
	Topic        string                 `json:"topic"`
	SignedOn     gongkai.Date           `json:"signedOn,omitzero"`
	FormedOn     gongkai.Date           `json:"formedOn,omitzero"`
	Disclosure   string                 `json:"disclosure"`
	Validity     string                 `json:"validity"`
	PublishAt    time.Time              `json:"publishAt,omitzero"`
	IndexNo      string                 `json:"indexNo,omitempty"`
	PublishedAt  time.Time              `json:"publishedAt,omitzero"`
	Version      int                    `json:"version"`
	Live         bool                   `json:"live"`
	URL          string                 `json:"url,omitempty"`
	// DueOn is the last day to publish in time (主动公开 only, when the
	// calendar covers it); DaysLeft counts working days to it until the
	// first publication (negative: overdue), OnTime says afterwards
	// whether it was met.
	DueOn         gongkai.Date `json:"dueOn,omitzero"`
	DaysLeft      *int         `json:"daysLeft,omitempty"`
	OnTime        *bool        `json:"onTime,omitempty"`
	CreatedBy     int64        `json:"createdBy"`
	CreatedByName string       `json:"createdByName"`
	CreatedAt     time.Time    `json:"createdAt"`
	UpdatedAt     time.Time    `json:"updatedAt"`
}

type documentListResponse struct {
	Total     int                `json:"total"`
	Page      int                `json:"page"`
	PageSize  int                `json:"pageSize"`
	Documents []documentListItem `json:"documents"`
}

// apiDocumentsPageSize is the default and maxPageSize the largest page of
// the staff list.
const (
	apiDocumentsPageSize = 20
	apiDocumentsMaxPage  = 100
)

// apiDocuments lists the documents the caller may see in the workspace
// (FindDocuments applies the same rule: their orgs, and the subtrees of
// those they supervise or administer), most recently changed first.
// Unlike the portal's lists, a parameter that makes no sense is refused
// rather than dropped: a program should learn that its filter was wrong.
func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f gongkai.DocumentFilter
	var p gongkai.Problems
	if v := q.Get("status"); v != "" {
		st := gongkai.DocumentStatus(v)
		if slices.Contains(gongkai.DocumentStatuses, st) {
			f.Status = &st
		} else {
			p.Add("status", "状态应为 draft、in_review、scheduled、published 或 withdrawn。")
		}
	}
	if code := strings.TrimSpace(q.Get("org")); code != "" {
		org, err := s.Orgs.FindOrgByCode(r.Context(), code)
		switch gongkai.ErrorCode(err) {
		case "":
			f.Within = &org.ID
		case gongkai.ENOTFOUND:
			p.Add("org", "机构“"+code+"”不存在。")
		default:
			return err
		}
	}
	if c := strings.TrimSpace(q.Get("column")); c != "" {
		slug, err := s.columnSlug(r, c)
		if err != nil {
			return err
		}
		if slug == "" {
			p.Add("column", "栏目“"+c+"”不存在。")
		} else {
			f.Column = &slug
		}
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		if len([]rune(v)) > 100 {
			p.Add("q", "检索词不能超过100个字。")
		} else {
			f.Query = &v
		}
	}
	page, size := 1, apiDocumentsPageSize
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			p.Add("page", "页码应为从1开始的整数。")
		}
		page = n
	}
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiDocumentsMaxPage {
			p.Add("pageSize", "每页条数应为1至"+strconv.Itoa(apiDocumentsMaxPage)+"之间的整数。")
		}
		size = n
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Offset, f.Limit = (page-1)*size, size
	docs, total, err := s.Documents.FindDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	out := documentListResponse{Total: total, Page: page, PageSize: size, Documents: []documentListItem{}}
	for _, row := range s.rows(r.Context(), docs) {
		d := s.apiDocumentJSON(r, row.Doc)
		it := documentListItem{ID: d.ID, Org: d.OrgCode, OrgName: d.OrgName, Status: d.Status, ReviewLevel: d.ReviewLevel, ReviewLevels: d.ReviewLevels,
			Title: d.Title, DocNo: d.DocNo, Genre: d.Genre, Topic: d.Topic, SignedOn: d.SignedOn, FormedOn: d.FormedOn, Disclosure: d.Disclosure,
			Validity: d.Validity, PublishAt: d.PublishAt, IndexNo: d.IndexNo, PublishedAt: d.PublishedAt, Version: d.Version, Live: d.Live, URL: d.URL,
			CreatedBy: d.CreatedBy, CreatedByName: d.CreatedByName, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
		if row.DueKnown {
			it.DueOn = row.Due
			if d.PublishedAt.IsZero() {
				it.DaysLeft = &row.Left
			} else {
				it.OnTime = &row.OnTime
			}
		}
		out.Documents = append(out.Documents, it)
	}
	return writeJSON(w, http.StatusOK, out)
}

// columnSlug resolves a column given by slug or path on any site to its
// slug (the staff lists filter by slug), or "" when no site has it.
func (s *Server) columnSlug(r *http.Request, c string) (string, error) {
	sites, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return "", err
	}
	for _, site := range sites {
		tree, err := s.columns(r.Context(), site.ID)
		if err != nil {
			return "", err
		}
		col := tree.slug(c)
		if col == nil {
			col = tree.byPath["/"+strings.Trim(c, "/")+"/"]
		}
		if col != nil {
			return col.Slug, nil
		}
	}
	return "", nil
}
