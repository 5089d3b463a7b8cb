package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/sniff"
)

// applicationRoutes: 依申请公开 (issue 4) — the public application form and
// tracking page, the officers' queue and case pages, letters, templates,
// reminders and the API.
func (s *Server) applicationRoutes() {
	s.addPortalNav("依申请公开", "/xxgk/ysqgk/")
	upload := allowUpload(uploadLimit)
	s.handle("GET /xxgk/ysqgk/{$}", s.portalApplyForm)
	s.handle("POST /xxgk/ysqgk/{$}", s.portalApply, upload, s.checkCSRF)
	s.handle("GET /xxgk/ysqgk/track", s.portalTrackForm)
	s.handle("POST /xxgk/ysqgk/track", s.portalTrack, s.checkCSRF)

	s.handle("GET /admin/applications", s.adminApplications, s.staff)
	s.handle("GET /admin/applications.xlsx", s.adminApplicationsXLSX, s.staff)
	s.handle("GET /admin/applications/new", s.adminApplicationNew, s.staff)
	s.handle("POST /admin/applications", s.adminApplicationCreate, s.staff, upload, s.checkCSRF)
	s.handle("GET /admin/applications/{id}", s.adminApplication, s.staff)
	s.handle("POST /admin/applications/{id}/events", s.adminApplicationEvent, s.staff, s.checkCSRF)
	s.handle("POST /admin/applications/{id}/reply", s.adminApplicationReply, s.staff, upload, s.checkCSRF)
	s.handle("POST /admin/applications/{id}/appeals", s.adminAppealCreate, s.staff, s.checkCSRF)
	s.handle("POST /admin/applications/{id}/appeals/{appeal}", s.adminAppealUpdate, s.staff, s.checkCSRF)
	s.handle("GET /admin/applications/{id}/files/{file}", s.applicationFile, s.staff)
	s.handle("GET /admin/applications/{id}/letters/{kind}", s.adminLetter, s.staff)
	s.handle("GET /admin/applications/{id}/letters/{kind}/docx", s.adminLetterDOCX, s.staff)
	s.handle("GET /admin/letter-templates", s.adminLetterTemplates, s.staff)
	s.handle("GET /admin/letter-templates/{org}/{key}", s.adminLetterTemplate, s.staff)
	s.handle("POST /admin/letter-templates/{org}/{key}", s.adminLetterTemplateSave, s.staff, s.checkCSRF)
	s.handle("POST /admin/letter-templates/{org}/{key}/reset", s.adminLetterTemplateReset, s.staff, s.checkCSRF)
	s.handle("GET /admin/notices", s.adminNotices, s.staff)
	s.handle("POST /admin/notices/read", s.adminNoticesRead, s.staff, s.checkCSRF)
	s.handle("POST /admin/notices/email", s.adminNoticeEmail, s.staff, s.checkCSRF)

	s.handle("POST /api/v1/public/applications", s.apiPublicApply)
	s.handle("GET /api/v1/public/applications/{trackingNo}", s.apiPublicTrack)
	s.handle("POST /api/v1/applications", s.apiApplicationCreate, s.apiAuth)
	s.handle("GET /api/v1/applications/{id}", s.apiApplication, s.apiAuth)
	s.handle("GET /api/v1/applications/{id}/files/{file}", s.applicationFile, s.apiAuth)
	s.handle("POST /api/v1/applications/{id}/events", s.apiApplicationEvent, s.apiAuth)
	s.handle("POST /api/v1/applications/{id}/reply", s.apiApplicationReply, s.apiAuth)

	handles := func(a *gongkai.Actor) bool {
		for _, g := range a.Grants {
			if g.Role == gongkai.RoleOfficer {
				return true
			}
		}
		return a.IsSupervisor()
	}
	s.addAdminMenu("依申请公开", "/admin/applications", handles)
	// Reminders also carry the recheck notices of published documents
	// (issue 7), for the staff who work on documents.
	s.addAdminMenu("办理提醒", "/admin/notices", func(a *gongkai.Actor) bool {
		return handles(a) || hasRole(a, gongkai.RoleEditor, gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3)
	})
	s.addAdminMenu("文书模板", "/admin/letter-templates", func(a *gongkai.Actor) bool { return a.IsAdmin() })
}

// uploadLimit caps a form with attachments: the files plus the fields.
const uploadLimit = gongkai.MaxApplicationFiles*gongkai.MaxApplicationFileSize + 1<<20

// applicationFileTypes are the attachments an applicant may send: documents
// and images. Archives are not accepted from the public: their content is
// not inspected.
var applicationFileTypes = sniff.Allowed{sniff.PDF, sniff.OFD, sniff.DOC, sniff.DOCX, sniff.WPS, sniff.XLS, sniff.XLSX, sniff.ET, sniff.JPEG, sniff.PNG}

// readUploads reads and checks the files of a multipart form field for a
// web form: a file over the size limit is a problem shown beside the field
// (422 with the form re-rendered) rather than a bare 413 page.
func readUploads(r *http.Request, field string) ([]gongkai.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	files, err := checkUploads(r.MultipartForm.File[field], field)
	if e := gongkai.AsError(err); e != nil && e.Code == gongkai.ETOOLARGE {
		return nil, gongkai.FieldError(field, e.Message)
	}
	return files, err
}

// checkUploads is the one attachment rule of applications, for the web
// forms and the API: at most MaxApplicationFiles files, each within
// MaxApplicationFileSize (ETOOLARGE), its type sniffed from the content and
// allowed. Errors name field.
func checkUploads(fhs []*multipart.FileHeader, field string) ([]gongkai.Upload, error) {
	var out []gongkai.Upload
	for _, fh := range fhs {
		if fh.Filename == "" && fh.Size == 0 {
			continue // an empty file input
		}
		if len(out) == gongkai.MaxApplicationFiles {
			return nil, gongkai.FieldError(field, "附件最多上传3个。")
		}
		if fh.Size > gongkai.MaxApplicationFileSize {
			err := sniff.TooLarge(fh.Filename, gongkai.MaxApplicationFileSize)
			gongkai.AsError(err).Field = field
			return nil, err
		}
		data, err := readPart(fh)
		if err != nil {
			return nil, err
		}
		t := sniff.DetectBytes(data)
		if err := applicationFileTypes.Check(fh.Filename, t); err != nil {
			if e := gongkai.AsError(err); e != nil {
				e.Field = field
				for i := range e.Problems {
					e.Problems[i].Field = field
				}
			}
			return nil, err
		}
		out = append(out, gongkai.Upload{Name: fh.Filename, MIME: t.MIME, Label: t.Label, Data: data})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = io.Copy(&buf, io.LimitReader(f, gongkai.MaxApplicationFileSize+1))
	return buf.Bytes(), err
}

// submissionFromForm reads the Art. 29 fields of the application form.
func submissionFromForm(r *http.Request) *gongkai.ApplicationSubmission {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return &gongkai.ApplicationSubmission{
		OrgCode: f("org"),
		Applicant: gongkai.Applicant{Kind: gongkai.ApplicantKind(f("applicant.kind")), Name: f("applicant.name"), IDType: gongkai.IDType(f("applicant.idType")),
			IDNumber: f("applicant.idNumber"), Contact: f("applicant.contact"), Phone: f("applicant.phone"), Email: f("applicant.email"),
			Address: f("applicant.address"), PostCode: f("applicant.postCode")},
		Request: gongkai.InfoRequest{Subject: f("request.subject"), DocNo: f("request.docNo"), Description: f("request.description"),
			Form: gongkai.ProvisionForm(f("request.form")), FormOther: f("request.formOther"), Delivery: gongkai.Delivery(f("request.delivery"))},
		Channel: gongkai.Channel(f("channel")), Note: f("note"),
	}
}

// ApplyForm holds what the application forms need besides the values.
type ApplyForm struct {
	Orgs        []OrgRow
	Kinds       []gongkai.ApplicantKind
	IDTypes     []gongkai.IDType
	Forms       []gongkai.ProvisionForm
	Deliveries  []gongkai.Delivery
	Channels    []gongkai.Channel
	Accept      string
	FileTypes   string
	MaxFileSize string
}

func newApplyForm(orgs []*gongkai.Org) ApplyForm {
	f := ApplyForm{Kinds: gongkai.ApplicantKinds, IDTypes: gongkai.PersonIDTypes, Forms: gongkai.ProvisionForms, Deliveries: gongkai.Deliveries,
		Channels: gongkai.Channels, Accept: applicationFileTypes.Accept(), FileTypes: applicationFileTypes.String(),
		MaxFileSize: sniff.FormatSize(gongkai.MaxApplicationFileSize)}
	if len(orgs) > 0 {
		top := len(orgs[0].Path)
		for _, o := range orgs {
			f.Orgs = append(f.Orgs, OrgRow{Org: o, Depth: len(o.Path) - top})
		}
	}
	return f
}

// ApplyPage is the public application form (条例 Art. 29).
type ApplyPage struct {
	PortalBase
	Form     ApplyForm
	Values   gongkai.ApplicationSubmission
	Problems gongkai.Problems
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request, values gongkai.ApplicationSubmission) (ApplyPage, error) {
	base, err := s.portalBase(w, r, "依申请公开")
	if err != nil {
		return ApplyPage{}, err
	}
	base.CSRF = s.csrfToken(w, r)
	orgs, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{Within: &base.Site.OrgID})
	if err != nil {
		return ApplyPage{}, err
	}
	if values.Applicant.Kind == "" {
		values.Applicant.Kind, values.Applicant.IDType = gongkai.ApplicantNatural, gongkai.IDCitizen
		values.Request.Form, values.Request.Delivery = gongkai.FormElectronic, gongkai.DeliveryEmail
	}
	return ApplyPage{PortalBase: base, Form: newApplyForm(orgs), Values: values}, nil
}

func (s *Server) portalApplyForm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.applyPage(w, r, gongkai.ApplicationSubmission{OrgCode: r.URL.Query().Get("org")})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "portal/ysqgk_form", page)
}

// ApplyDonePage confirms a submission and shows the access code, once.
type ApplyDonePage struct {
	PortalBase
	TrackingNo string
	AccessCode string
	OrgName    string
}

func (s *Server) portalApply(w http.ResponseWriter, r *http.Request) error {
	sub := submissionFromForm(r)
	sub.ClientIP = s.clientIP(r)
	files, err := readUploads(r, "files")
	if err == nil {
		sub.Files = files
		var app *gongkai.Application
		var code string
		app, code, err = s.Applications.SubmitApplication(r.Context(), sub)
		if err == nil {
			base, err := s.portalBase(w, r, "申请已提交")
			if err != nil {
				return err
			}
			// Rendered, not redirected: the access code must not travel in
			// a URL (history, logs, Referer).
			return s.render(w, r, http.StatusOK, "portal/ysqgk_done", ApplyDonePage{PortalBase: base, TrackingNo: app.TrackingNo,
				AccessCode: formatCode(code), OrgName: app.OrgName})
		}
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.applyPage(w, r, *sub)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "portal/ysqgk_form", page)
}

func formatCode(c string) string {
	if len(c) == 10 {
		return c[:5] + "-" + c[5:]
	}
	return c
}

// TrackPage is the applicant's status page.
type TrackPage struct {
	PortalBase
	TrackingNo string
	Tracking   *gongkai.Tracking
	Problems   gongkai.Problems
}

func (s *Server) portalTrackForm(w http.ResponseWriter, r *http.Request) error {
	base, err := s.portalBase(w, r, "申请进度查询")
	if err != nil {
		return err
	}
	base.CSRF = s.csrfToken(w, r)
	return s.render(w, r, http.StatusOK, "portal/ysqgk_track", TrackPage{PortalBase: base, TrackingNo: r.URL.Query().Get("no")})
}

// portalTrack looks an application up by number and access code. It is a
// POST so that the code stays out of URLs.
func (s *Server) portalTrack(w http.ResponseWriter, r *http.Request) error {
	base, err := s.portalBase(w, r, "申请进度查询")
	if err != nil {
		return err
	}
	base.CSRF = s.csrfToken(w, r)
	no := strings.TrimSpace(r.PostFormValue("trackingNo"))
	page := TrackPage{PortalBase: base, TrackingNo: no}
	t, err := s.track(r, no, r.PostFormValue("accessCode"))
	switch gongkai.ErrorCode(err) {
	case "":
		page.Tracking = t
		return s.render(w, r, http.StatusOK, "portal/ysqgk_track", page)
	case gongkai.ENOTFOUND:
		page.Problems.Add("trackingNo", gongkai.ErrorMessage(err))
		return s.render(w, r, http.StatusNotFound, "portal/ysqgk_track", page)
	}
	return err
}

// track checks the per-address throttle, then looks the application up;
// a miss counts as a failure.
func (s *Server) track(r *http.Request, no, code string) (*gongkai.Tracking, error) {
	ip := s.clientIP(r)
	if wait := s.lookups.blocked(ip, time.Now()); wait > 0 {
		return nil, &gongkai.Error{Code: gongkai.ETOOMANY, RetryAfterSeconds: int(wait.Seconds()) + 1,
			Message: "查询失败次数过多，请稍后再试。"}
	}
	t, err := s.Applications.TrackApplication(r.Context(), no, code)
	if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
		s.lookups.fail(ip, time.Now())
	}
	return t, err
}

// failureLimiter counts failed lookups per client address in memory: 10
// failures within 15 minutes block the address for the rest of the
// window. The access code has ~50 bits, so this only stops noise; it is
// per node on purpose (no database write per anonymous request).
type failureLimiter struct {
	mu   sync.Mutex
	hits map[string][]time.Time
}

const (
	lookupFailures = 10
	lookupWindow   = 15 * time.Minute
)

func (l *failureLimiter) recent(ip string, now time.Time) []time.Time {
	var keep []time.Time
	for _, t := range l.hits[ip] {
		if now.Sub(t) < lookupWindow {
			keep = append(keep, t)
		}
	}
	return keep
}

func (l *failureLimiter) blocked(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	hits := l.recent(ip, now)
	if len(hits) < lookupFailures {
		return 0
	}
	return lookupWindow - now.Sub(hits[len(hits)-lookupFailures])
}

func (l *failureLimiter) fail(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hits == nil || len(l.hits) > 10000 {
		l.hits = map[string][]time.Time{} // bound the memory an attack can take
	}
	l.hits[ip] = append(l.recent(ip, now), now)
}

// ApplyFields is what the shared partial "application_fields" (the Art. 29
// fields of the public and the intake forms) renders.
type ApplyFields struct {
	Form     ApplyForm
	Values   gongkai.ApplicationSubmission
	Problems gongkai.Problems
}

// Fields is the page's application fields.
func (p ApplyPage) Fields() ApplyFields {
	return ApplyFields{Form: p.Form, Values: p.Values, Problems: p.Problems}
}

// Fields is the page's application fields.
func (p ApplicationNewPage) Fields() ApplyFields {
	return ApplyFields{Form: p.Form, Values: p.Values, Problems: p.Problems}
}

// Indent is full-width spaces for the org's depth, to show the tree in a
// select (option elements cannot be padded).
func (r OrgRow) Indent() string { return strings.Repeat("　", r.Depth) }
