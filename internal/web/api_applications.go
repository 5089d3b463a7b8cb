package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/sniff"
)

// applicationRequest is the body of POST /api/v1/public/applications and,
// with the channel, receipt date and note, of POST /api/v1/applications.
type applicationRequest struct {
	Org        string              `json:"org"`
	Channel    gongkai.Channel     `json:"channel"`
	ReceivedOn string              `json:"receivedOn"`
	Applicant  gongkai.Applicant   `json:"applicant"`
	Request    gongkai.InfoRequest `json:"request"`
	Note       string              `json:"note"`
}

type publicApplicationRequest struct {
	Org       string              `json:"org"`
	Applicant gongkai.Applicant   `json:"applicant"`
	Request   gongkai.InfoRequest `json:"request"`
}

type createdResponse struct {
	ID          int64            `json:"id,omitempty"`
	TrackingNo  string           `json:"trackingNo"`
	AccessCode  string           `json:"accessCode"`
	Attachments []attachmentEcho `json:"attachments"`
}

// attachmentEcho tells the submitter how each attachment was taken: the
// name they sent and the type sniffed from its content.
type attachmentEcho struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Size  int64  `json:"size"`
}

func echoAttachments(files []gongkai.ApplicationFile) []attachmentEcho {
	out := []attachmentEcho{}
	for _, f := range files {
		out = append(out, attachmentEcho{Name: f.Name, Label: f.Label, Size: f.Size})
	}
	return out
}

// jsonParts names the parts of an endpoint that takes its JSON body either
// alone or in a multipart/form-data request with files: the part holding
// the JSON, the parts holding the files, and what the JSON is, for
// messages.
type jsonParts struct {
	json, files string
	what        string
}

var (
	// applicationParts: POST /api/v1/public/applications and
	// POST /api/v1/applications.
	applicationParts = jsonParts{json: "application", files: "attachments", what: "申请"}
	// replyParts: POST /api/v1/applications/{id}/reply; the files part has
	// the name of the workspace reply form's file input.
	replyParts = jsonParts{json: "reply", files: "files", what: "答复"}
)

// readJSONWithFiles reads the body of an endpoint that takes files into v:
// either a JSON object, or multipart/form-data carrying that object in the
// part p.json and up to three files in parts p.files. The files go through
// the web forms' checks (checkUploads): count, size, and the type sniffed
// from the content. Files cannot travel inside JSON, and a separate upload
// call would leave an application (or a reply) without its files when the
// second call fails, so both come in one request and are stored in one
// transaction.
func readJSONWithFiles(w http.ResponseWriter, r *http.Request, p jsonParts, v any) ([]gongkai.Upload, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		err := decodeJSON(w, r, v)
		if e := gongkai.AsError(err); e != nil && e.Code == gongkai.EUNSUPPORTED {
			// This endpoint takes files too: say so.
			e.Message = "请求正文须为 JSON（Content-Type: application/json），附带文件时为 multipart/form-data。"
			e.Detail = "body must be application/json, or multipart/form-data with files"
		}
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, uploadLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &gongkai.Error{Code: gongkai.ETOOLARGE, Field: p.files, Detail: "multipart body over its limit",
				Message: fmt.Sprintf("请求正文超过了 %s 的上限：附件最多%d个，每个不超过 %s。", byteSize(uploadLimit), gongkai.MaxApplicationFiles,
					sniff.FormatSize(gongkai.MaxApplicationFileSize))}
		}
		return nil, &gongkai.Error{Code: gongkai.EBADREQUEST, Message: "multipart/form-data 请求正文格式不正确。", Detail: err.Error()}
	}
	form := r.MultipartForm
	defer form.RemoveAll()
	// A misnamed part ("file", "attachments" on a reply) would otherwise
	// drop the files without a word.
	for name := range form.Value {
		if name != p.json {
			return nil, p.unknownPart(name)
		}
	}
	for name := range form.File {
		if name != p.json && name != p.files {
			return nil, p.unknownPart(name)
		}
	}
	values, files := form.Value[p.json], form.File[p.json]
	var body io.Reader
	switch {
	case len(values)+len(files) != 1:
		return nil, &gongkai.Error{Code: gongkai.EBADREQUEST, Field: p.json, Detail: "exactly one part named " + p.json + " is required",
			Message: "multipart 请求须有且只有一个名为 " + p.json + " 的部分，内容为" + p.what + "的 JSON。"}
	case len(values) == 1:
		body = strings.NewReader(values[0])
	default:
		f, err := files[0].Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		body = http.MaxBytesReader(w, f, 1<<20)
	}
	if err := decodeJSONFrom(body, v); err != nil {
		return nil, err
	}
	return checkUploads(form.File[p.files], p.files)
}

func (p jsonParts) unknownPart(name string) error {
	return &gongkai.Error{Code: gongkai.EBADREQUEST, Field: name, Detail: "unknown multipart part " + strconv.Quote(name),
		Message: "不认识的部分“" + name + "”：" + p.what + "的 JSON 放在 " + p.json + " 部分，附件放在 " + p.files + " 部分。"}
}

func parseDateField(field, s string) (gongkai.Date, error) {
	if s == "" {
		return gongkai.Date{}, nil
	}
	d, err := gongkai.ParseDate(s)
	if err != nil {
		return d, &gongkai.Error{Code: gongkai.EINVALID, Field: field, Message: "日期格式应为 YYYY-MM-DD。", Detail: err.Error(),
			Problems: []gongkai.Problem{{Field: field, Message: "日期格式应为 YYYY-MM-DD。"}}}
	}
	return d, nil
}

// apiPublicApply: anyone may apply; the store caps submissions per client
// address. No cookies are read, so there is nothing to forge (no CSRF).
func (s *Server) apiPublicApply(w http.ResponseWriter, r *http.Request) error {
	var req publicApplicationRequest
	files, err := readJSONWithFiles(w, r, applicationParts, &req)
	if err != nil {
		return err
	}
	sub := &gongkai.ApplicationSubmission{OrgCode: req.Org, Applicant: req.Applicant, Request: req.Request, ClientIP: s.clientIP(r), Files: files}
	app, code, err := s.Applications.SubmitApplication(r.Context(), sub)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, createdResponse{TrackingNo: app.TrackingNo, AccessCode: formatCode(code), Attachments: echoAttachments(app.Files)})
}

func (s *Server) apiPublicTrack(w http.ResponseWriter, r *http.Request) error {
	t, err := s.track(r, r.PathValue("trackingNo"), r.URL.Query().Get("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	var req applicationRequest
	files, err := readJSONWithFiles(w, r, applicationParts, &req)
	if err != nil {
		return err
	}
	received, err := parseDateField("receivedOn", req.ReceivedOn)
	if err != nil {
		return err
	}
	sub := &gongkai.ApplicationSubmission{OrgCode: req.Org, Channel: req.Channel, ReceivedOn: received, Applicant: req.Applicant, Request: req.Request,
		Note: req.Note, Files: files}
	app, code, err := s.Applications.CreateApplication(r.Context(), sub)
	if err != nil {
		return err
	}
	w.Header().Set("Location", applicationPath(app.ID))
	return writeJSON(w, http.StatusCreated, createdResponse{ID: app.ID, TrackingNo: app.TrackingNo, AccessCode: formatCode(code), Attachments: echoAttachments(app.Files)})
}

// applicationJSON is an application as the staff API returns it: the
// clock's current due date and its explanation at the top level.
type applicationJSON struct {
	ID            int64                      `json:"id"`
	TrackingNo    string                     `json:"trackingNo"`
	Org           orgRef                     `json:"org"`
	Channel       gongkai.Channel            `json:"channel"`
	ApplicantKind gongkai.ApplicantKind      `json:"applicantKind"`
	Request       gongkai.InfoRequest        `json:"request"`
	SubmittedAt   time.Time                  `json:"submittedAt"`
	ReceivedOn    gongkai.Date               `json:"receivedOn,omitzero"`
	State         gongkai.ApplicationState   `json:"state"`
	Status        gongkai.ApplicationStatus  `json:"status"`
	DueOn         gongkai.Date               `json:"dueOn,omitzero"`
	DaysLeft      int                        `json:"daysLeft"`
	Paused        bool                       `json:"paused"`
	Explanation   []gongkai.ClockLine        `json:"explanation"`
	ClockProblem  string                     `json:"clockProblem,omitempty"`
	ClosedOn      gongkai.Date               `json:"closedOn,omitzero"`
	Outcome       gongkai.Outcome            `json:"outcome,omitempty"`
	Late          bool                       `json:"late"`
	Events        []gongkai.ApplicationEvent `json:"events"`
	Reply         *gongkai.Reply             `json:"reply,omitempty"`
	Appeals       []gongkai.Appeal           `json:"appeals"`
	Files         []applicationFileJSON      `json:"files"`
	Applicant     *gongkai.Applicant         `json:"applicant,omitempty"`
	Warnings      []string                   `json:"warnings,omitempty"`
}

type orgRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// applicationFileJSON is an attachment in the staff API. An applicant's
// file may be a copy of an identity card and its name may carry a name
// ("张三身份证.jpg"), so for staff without the personal-data permission
// (admins above the org) it has neither name nor url, as in the workspace.
type applicationFileJSON struct {
	ID        int64     `json:"id"`
	Role      string    `json:"role"`
	Name      string    `json:"name,omitempty"`
	MIME      string    `json:"mime"`
	Label     string    `json:"label"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
	URL       string    `json:"url,omitempty"`
}

func applicationPath(id int64) string { return "/api/v1/applications/" + strconv.FormatInt(id, 10) }

// toJSON answers an application; personal says whether the caller may see
// the applicant's personal data and attachments (gongkai.ApplicationAccess).
func toJSON(a *gongkai.Application, warnings []string, personal bool) applicationJSON {
	out := applicationJSON{ID: a.ID, TrackingNo: a.TrackingNo, Org: orgRef{a.OrgID, a.OrgCode, a.OrgName}, Channel: a.Channel, ApplicantKind: a.ApplicantKind,
		Request: a.Request, SubmittedAt: a.SubmittedAt, ReceivedOn: a.ReceivedOn, State: a.State, Status: a.Status(), ClosedOn: a.ClosedOn,
		Outcome: a.Outcome, Late: a.Late, Events: a.Events, Reply: a.Reply, Appeals: a.Appeals, Files: []applicationFileJSON{},
		Warnings: warnings, Explanation: []gongkai.ClockLine{}}
	if personal {
		out.Applicant = a.Applicant
	}
	for _, f := range a.Files {
		j := applicationFileJSON{ID: f.ID, Role: f.Role, MIME: f.MIME, Label: f.Label, Size: f.Size, CreatedAt: f.CreatedAt}
		if personal || f.Role != "applicant" {
			j.Name, j.URL = f.Name, applicationPath(a.ID)+"/files/"+strconv.FormatInt(f.ID, 10)
		}
		out.Files = append(out.Files, j)
	}
	if c := a.Clock; c != nil {
		out.DueOn, out.DaysLeft, out.Paused, out.ClockProblem = c.DueOn, c.DaysLeft, c.Paused, c.Problem
		if c.Explanation != nil {
			out.Explanation = c.Explanation
		}
	}
	return out
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	app, org, err := s.loadCase(r, id)
	if err != nil {
		return err
	}
	_, _, personal := gongkai.ApplicationAccess(gongkai.ActorFrom(r.Context()), org)
	return writeJSON(w, http.StatusOK, toJSON(app, nil, personal))
}

// answerApplication writes an application after a change, shown as the
// caller may see it.
func (s *Server) answerApplication(w http.ResponseWriter, r *http.Request, status int, app *gongkai.Application, warnings []string) error {
	org, err := s.Orgs.FindOrgByID(r.Context(), app.OrgID)
	if err != nil {
		return err
	}
	_, _, personal := gongkai.ApplicationAccess(gongkai.ActorFrom(r.Context()), org)
	return writeJSON(w, status, toJSON(app, warnings, personal))
}

// eventRequest is the body of POST /api/v1/applications/{id}/events; the
// fee fields are flat.
type eventRequest struct {
	Type           gongkai.EventType `json:"type"`
	Date           string            `json:"date"`
	Items          string            `json:"items"`
	Deadline       string            `json:"deadline"`
	Party          string            `json:"party"`
	Days           int               `json:"days"`
	ApprovedBy     string            `json:"approvedBy"`
	NotifiedOn     string            `json:"notifiedOn"`
	OverrideReason string            `json:"overrideReason"`
	Note           string            `json:"note"`
	Method         gongkai.FeeMethod `json:"method"`
	Quantity       int               `json:"quantity"`
	Payment        string            `json:"payment"`
}

func (s *Server) apiApplicationEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req eventRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ev := gongkai.ApplicationEvent{Type: req.Type, Items: req.Items, Party: req.Party, Days: req.Days, ApprovedBy: req.ApprovedBy,
		OverrideReason: req.OverrideReason, Note: req.Note}
	for _, d := range []struct {
		field, value string
		dst          *gongkai.Date
	}{{"date", req.Date, &ev.Date}, {"deadline", req.Deadline, &ev.Deadline}, {"notifiedOn", req.NotifiedOn, &ev.NotifiedOn}} {
		if *d.dst, err = parseDateField(d.field, d.value); err != nil {
			return err
		}
	}
	if ev.Type == gongkai.EventFeeNotified {
		ev.Fee = &gongkai.Fee{Method: req.Method, Quantity: req.Quantity, Payment: req.Payment}
	}
	app, warnings, err := s.Applications.AddApplicationEvent(r.Context(), id, ev)
	if err != nil {
		return err
	}
	return s.answerApplication(w, r, http.StatusCreated, app, warnings)
}

// replyRequest is the body of POST /api/v1/applications/{id}/reply.
type replyRequest struct {
	Outcome           gongkai.Outcome     `json:"outcome"`
	Date              string              `json:"date"`
	Basis             string              `json:"basis"`
	Reason            string              `json:"reason"`
	Provided          []string            `json:"provided"`
	Withheld          string              `json:"withheld"`
	NotHeld           gongkai.NotHeldKind `json:"notHeld"`
	OtherOrgan        string              `json:"otherOrgan"`
	OtherOrganContact string              `json:"otherOrganContact"`
	Content           string              `json:"content"`
}

// apiApplicationReply closes an application, with the reply files (the
// information provided) when the body is multipart/form-data: the reply
// in the part "reply" and the files in parts "files", as on the workspace
// reply form, stored with the reply in one transaction.
func (s *Server) apiApplicationReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req replyRequest
	files, err := readJSONWithFiles(w, r, replyParts, &req)
	if err != nil {
		return err
	}
	d, err := parseDateField("date", req.Date)
	if err != nil {
		return err
	}
	rep := gongkai.Reply{Outcome: req.Outcome, Date: d, Basis: req.Basis, Reason: req.Reason, Provided: req.Provided, Withheld: req.Withheld,
		NotHeld: req.NotHeld, OtherOrgan: req.OtherOrgan, OtherOrganContact: req.OtherOrganContact, Content: req.Content}
	app, warnings, err := s.Applications.ReplyApplication(r.Context(), id, rep, files)
	if err != nil {
		return err
	}
	return s.answerApplication(w, r, http.StatusOK, app, warnings)
}
