package web

import (
	"net/http"
	"strconv"
	"time"

	"gongkai"
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
	ID         int64  `json:"id,omitempty"`
	TrackingNo string `json:"trackingNo"`
	AccessCode string `json:"accessCode"`
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
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sub := &gongkai.ApplicationSubmission{OrgCode: req.Org, Applicant: req.Applicant, Request: req.Request, ClientIP: s.clientIP(r)}
	app, code, err := s.Applications.SubmitApplication(r.Context(), sub)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, createdResponse{TrackingNo: app.TrackingNo, AccessCode: formatCode(code)})
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
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	received, err := parseDateField("receivedOn", req.ReceivedOn)
	if err != nil {
		return err
	}
	sub := &gongkai.ApplicationSubmission{OrgCode: req.Org, Channel: req.Channel, ReceivedOn: received, Applicant: req.Applicant, Request: req.Request, Note: req.Note}
	app, code, err := s.Applications.CreateApplication(r.Context(), sub)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/applications/"+strconv.FormatInt(app.ID, 10))
	return writeJSON(w, http.StatusCreated, createdResponse{ID: app.ID, TrackingNo: app.TrackingNo, AccessCode: formatCode(code)})
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
	Files         []gongkai.ApplicationFile  `json:"files"`
	Applicant     *gongkai.Applicant         `json:"applicant,omitempty"`
	Warnings      []string                   `json:"warnings,omitempty"`
}

type orgRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

func toJSON(a *gongkai.Application, warnings []string) applicationJSON {
	out := applicationJSON{ID: a.ID, TrackingNo: a.TrackingNo, Org: orgRef{a.OrgID, a.OrgCode, a.OrgName}, Channel: a.Channel, ApplicantKind: a.ApplicantKind,
		Request: a.Request, SubmittedAt: a.SubmittedAt, ReceivedOn: a.ReceivedOn, State: a.State, Status: a.Status(), ClosedOn: a.ClosedOn,
		Outcome: a.Outcome, Late: a.Late, Events: a.Events, Reply: a.Reply, Appeals: a.Appeals, Files: a.Files, Applicant: a.Applicant,
		Warnings: warnings, Explanation: []gongkai.ClockLine{}}
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
	app, _, err := s.loadCase(r, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toJSON(app, nil))
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
	return writeJSON(w, http.StatusCreated, toJSON(app, warnings))
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

func (s *Server) apiApplicationReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req replyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	d, err := parseDateField("date", req.Date)
	if err != nil {
		return err
	}
	rep := gongkai.Reply{Outcome: req.Outcome, Date: d, Basis: req.Basis, Reason: req.Reason, Provided: req.Provided, Withheld: req.Withheld,
		NotHeld: req.NotHeld, OtherOrgan: req.OtherOrgan, OtherOrganContact: req.OtherOrganContact, Content: req.Content}
	app, warnings, err := s.Applications.ReplyApplication(r.Context(), id, rep, nil)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toJSON(app, warnings))
}
