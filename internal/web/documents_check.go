package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/check"
	"gongkai/internal/extract"
)

// documentCheckRoutes: the content checks in the 三审 review (issue 7).
// The review itself stays on the document routes; here are the published
// documents whose recheck found something new, the acceptance of such
// findings, and the checks in the API.
func (s *Server) documentCheckRoutes() {
	s.handle("GET /admin/documents/findings", s.adminOpenFindings, s.staff)
	s.handle("POST /admin/documents/{id}/findings/accept", s.adminAcceptFindings, s.staff, s.checkCSRF)
	s.handle("GET /api/v1/documents/{id}/checks", s.apiDocumentChecks, s.apiAuth)
	s.handle("POST /api/v1/documents/{id}/findings/accept", s.apiAcceptFindings, s.apiAuth)
	s.handle("GET /api/v1/documents/open-findings", s.apiOpenFindings, s.apiAuth)
	s.addAdminMenu("发布后复查", "/admin/documents/findings", func(a *gongkai.Actor) bool {
		return hasRole(a, gongkai.RoleEditor, gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3, gongkai.RoleAdmin, gongkai.RoleSupervisor)
	})
}

// documentChecks returns the service, or an error when checks are not
// configured.
func (s *Server) documentChecks() (gongkai.DocumentCheckService, error) {
	if s.DocumentChecks == nil {
		return nil, gongkai.Errorf(gongkai.EUNAVAILABLE, "内容检查未启用。")
	}
	return s.DocumentChecks, nil
}

// CheckView is a document check as the review screen and the editor's
// form show it: the findings beside the text, their spans marked.
type CheckView struct {
	Check *gongkai.DocumentCheck
	Rows  []CheckRow
	// Marked is the body text as checked (extract.HTMLText), cut into runs
	// with the findings' spans marked (markSegments, as on /admin/check).
	Marked             []TextSegment
	Blocking, Warnings int
	New                int
	// Digest identifies the block findings shown, for the override form.
	Digest string
	// Stale: the site's checker changed since the check; the next step
	// checks again. Live: the check was run for this page, not stored.
	Stale, Live bool
	// Unmarked: the body changed since the check, so spans are not shown.
	Unmarked bool
}

// CheckRow is one finding with the anchor of its mark in the text ("" when
// it is not in the body or could not be marked).
type CheckRow struct {
	gongkai.CheckFinding
	Anchor    string
	RuleTitle string
}

var ruleTitles = func() map[string]string {
	m := map[string]string{}
	for _, r := range check.Rules() {
		m[r.ID] = r.Title
	}
	return m
}()

// newCheckView lays out a check for a page; body is the body HTML of the
// version the page shows.
func (s *Server) newCheckView(ctx context.Context, c *gongkai.DocumentCheck, siteID int64, body string) *CheckView {
	v := &CheckView{Check: c, Digest: c.BlockingDigest(), Live: c.ID == 0}
	text, err := extract.HTMLText(body)
	markable := err == nil && c.BodyHash == gongkai.BodyHash(body)
	if err != nil {
		text = ""
	}
	var marks []FindingRow
	for i, f := range c.Findings {
		row := CheckRow{CheckFinding: f, RuleTitle: ruleTitles[f.Rule]}
		switch f.Severity {
		case gongkai.CheckBlock:
			v.Blocking++
		case gongkai.CheckWarn:
			v.Warnings++
		}
		if f.New {
			v.New++
		}
		if f.Source == "" && f.End > f.Start {
			if markable {
				row.Anchor = "cf" + strconv.Itoa(i+1)
				marks = append(marks, FindingRow{Finding: check.Finding{Start: f.Start, End: f.End, Severity: check.Severity(f.Severity)}, Anchor: row.Anchor})
			} else {
				v.Unmarked = true
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if text != "" {
		if !markable {
			marks = nil
		}
		v.Marked = markSegments(text, marks)
		// Overlapping spans are merged into the first: the others have no
		// mark to link to.
		marked := map[string]bool{}
		for _, seg := range v.Marked {
			marked[seg.Anchor] = true
		}
		for i := range v.Rows {
			if !marked[v.Rows[i].Anchor] {
				v.Rows[i].Anchor = ""
			}
		}
	}
	if !v.Live && s.Checkers != nil {
		if ch, err := s.Checkers.Checker(ctx, siteID); err == nil {
			v.Stale = ch.Fingerprint() != c.Fingerprint
		}
	}
	return v
}

// documentCheckView picks the check a document's page shows: for a draft,
// the working copy checked now; in review, the check stored with the last
// step (or, when the lists changed since, the working copy checked now,
// which is what the next approval will find); once published, the latest
// check of the public version. nil when there is none to show.
func (s *Server) documentCheckView(ctx context.Context, d *gongkai.Document) *CheckView {
	svc := s.DocumentChecks
	if svc == nil {
		return nil
	}
	live := func() *CheckView {
		c, err := svc.RunDocumentCheck(ctx, d.ID)
		if err != nil {
			s.Logger.Warn("document check failed", slog.Int64("document", d.ID), slog.Any("error", err))
			return nil
		}
		return s.newCheckView(ctx, c, d.SiteID, d.Body)
	}
	if d.Status == gongkai.DocumentDraft {
		return live()
	}
	checks, err := svc.FindDocumentChecks(ctx, d.ID)
	if err != nil {
		return nil
	}
	for _, c := range checks {
		switch d.Status {
		case gongkai.DocumentInReview, gongkai.DocumentScheduled:
			if c.Round != d.Round || c.Version != d.Version+1 {
				continue
			}
			v := s.newCheckView(ctx, c, d.SiteID, d.Body)
			if v.Stale && d.Status == gongkai.DocumentInReview {
				if lv := live(); lv != nil {
					lv.Stale = true
					return lv
				}
			}
			return v
		default:
			if c.Version == d.Version {
				return s.newCheckView(ctx, c, d.SiteID, d.Body)
			}
		}
	}
	if d.Status == gongkai.DocumentInReview {
		return live()
	}
	return nil
}

// runCheck checks a document's working copy now (not stored).
func (s *Server) runCheck(ctx context.Context, id int64) (*gongkai.DocumentCheck, error) {
	svc, err := s.documentChecks()
	if err != nil {
		return nil, err
	}
	return svc.RunDocumentCheck(ctx, id)
}

// reviewOf reads the review form: the decision, the comment and, at the
// last level, the override and the digest of the findings shown.
func reviewOf(r *http.Request) gongkai.Review {
	return gongkai.Review{Decision: gongkai.ReviewDecision(r.PostFormValue("decision")), Comment: r.PostFormValue("comment"),
		Override: r.PostFormValue("override"), Seen: r.PostFormValue("seen")}
}

// decide records a review through the checks service when there is one.
func (s *Server) decide(ctx context.Context, id int64, rv gongkai.Review) (*gongkai.Document, error) {
	if s.DocumentChecks != nil {
		return s.DocumentChecks.DecideReview(ctx, id, rv)
	}
	return s.Documents.ReviewDocument(ctx, id, rv.Decision, rv.Comment)
}

// checkProblems turns a refused approval (block findings without an
// override, or findings changed since they were shown) into the form's
// problems; other errors are returned.
func checkProblems(err error) (gongkai.Problems, error) {
	e := gongkai.AsError(err)
	if e != nil && e.Field == "override" && (e.Code == gongkai.EINVALID || e.Code == gongkai.ECONFLICT) {
		return gongkai.Problems{{Field: "override", Message: e.Message}}, nil
	}
	return formProblems(err)
}

// OpenFindingsPage lists the published documents whose recheck found
// something new: the org's staff see their orgs, supervisors their
// subtrees.
type OpenFindingsPage struct {
	AdminBase
	Items      []OpenFindingsRow
	Pagination Pagination
}

// OpenFindingsRow is one document with the new findings of its recheck.
type OpenFindingsRow struct {
	*gongkai.OpenFindings
	New, Blocking int
}

func (s *Server) adminOpenFindings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.documentChecks()
	if err != nil {
		return err
	}
	n := pageNumber(r.URL.Query())
	items, total, err := svc.FindOpenFindings(r.Context(), gongkai.OpenFindingsFilter{Offset: (n - 1) * adminPageSize, Limit: adminPageSize})
	if err != nil {
		return err
	}
	page := OpenFindingsPage{AdminBase: s.adminBase(w, r, "发布后复查"), Pagination: paginate("/admin/documents/findings", nil, total, n, adminPageSize)}
	for _, it := range items {
		row := OpenFindingsRow{OpenFindings: it}
		for _, f := range it.Check.NewFindings() {
			row.New++
			if f.Severity == gongkai.CheckBlock {
				row.Blocking++
			}
		}
		page.Items = append(page.Items, row)
	}
	return s.render(w, r, http.StatusOK, "admin/findings", page)
}

func (s *Server) adminAcceptFindings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.documentChecks()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	checkID, _ := strconv.ParseInt(r.PostFormValue("check"), 10, 64)
	if _, err := svc.AcceptFindings(r.Context(), id, checkID, r.PostFormValue("reason")); err != nil {
		// The page's withdrawal form has a reason field too.
		if e := gongkai.AsError(err); e != nil && e.Field == "reason" {
			err = gongkai.FieldError("acceptReason", e.Message)
		}
		return s.viewProblems(w, r, id, err)
	}
	return s.redirectFlash(w, r, docURL(id), "findings-accepted")
}

// apiCheck is a check as the API answers, with the digest an override
// names (the request's "seen").
type apiCheck struct {
	*gongkai.DocumentCheck
	BlockingDigest string `json:"blockingDigest"`
}

type apiChecksResponse struct {
	Checks []apiCheck `json:"checks"`
	// Current is the working copy checked now, as the next step will
	// check it (not stored).
	Current *apiCheck `json:"current,omitempty"`
}

// apiDocumentChecks: the stored checks of a document, newest first, and
// the working copy checked now.
func (s *Server) apiDocumentChecks(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.documentChecks()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	checks, err := svc.FindDocumentChecks(r.Context(), id)
	if err != nil {
		return err
	}
	out := apiChecksResponse{Checks: make([]apiCheck, 0, len(checks))}
	for _, c := range checks {
		out.Checks = append(out.Checks, apiCheck{c, c.BlockingDigest()})
	}
	if c, err := svc.RunDocumentCheck(r.Context(), id); err == nil {
		out.Current = &apiCheck{c, c.BlockingDigest()}
	} else if gongkai.ErrorCode(err) != gongkai.EUNAVAILABLE {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

type acceptRequest struct {
	Reason string `json:"reason"`
	Check  int64  `json:"check"`
}

func (s *Server) apiAcceptFindings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.documentChecks()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req acceptRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := svc.AcceptFindings(r.Context(), id, req.Check, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiCheck{c, c.BlockingDigest()})
}

type openFindingsResponse struct {
	Total int                     `json:"total"`
	Items []*gongkai.OpenFindings `json:"items"`
}

func (s *Server) apiOpenFindings(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.documentChecks()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var f gongkai.OpenFindingsFilter
	if org := strings.TrimSpace(q.Get("org")); org != "" {
		o, err := s.Orgs.FindOrgByCode(r.Context(), org)
		if err != nil {
			return err
		}
		f.OrgID = &o.ID
	}
	per, err := strconv.Atoi(q.Get("perPage"))
	if err != nil || per < 1 || per > 100 {
		per = 20
	}
	n := pageNumber(q)
	f.Offset, f.Limit = (n-1)*per, per
	items, total, err := svc.FindOpenFindings(r.Context(), f)
	if err != nil {
		return err
	}
	for _, it := range items {
		it.Document = s.apiDocumentJSON(r, it.Document)
	}
	return writeJSON(w, http.StatusOK, openFindingsResponse{Total: total, Items: items})
}
