package web

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

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
