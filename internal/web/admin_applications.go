package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/export"
	"gongkai/internal/letter"
)

// queuePageSize is the number of applications per queue page.
const queuePageSize = 50

// QueueFilter is the queue's filter form, as entered.
type QueueFilter struct {
	Status, Outcome, Channel, Kind, Year, Org, Applicant string
}

// ApplicationsPage is an org's queue (or a supervisor's subtree).
type ApplicationsPage struct {
	AdminBase
	Rows      []*gongkai.Application
	Total     int
	Filter    QueueFilter
	Query     string // the filter as a query string, for links
	Page      int
	Pages     int
	Statuses  []gongkai.ApplicationStatus
	Outcomes  []gongkai.Outcome
	Channels  []gongkai.Channel
	Kinds     []gongkai.ApplicantKind
	Years     []int
	Orgs      []OrgRow
	CanCreate bool
	Problems  gongkai.Problems
}

// queueFilter reads the filter from the query string into the domain
// filter, with a problem for each value that makes no sense.
func (s *Server) queueFilter(r *http.Request) (QueueFilter, gongkai.ApplicationFilter, gongkai.Problems, error) {
	q := r.URL.Query()
	qf := QueueFilter{Status: q.Get("status"), Outcome: q.Get("outcome"), Channel: q.Get("channel"), Kind: q.Get("kind"),
		Year: q.Get("year"), Org: q.Get("org"), Applicant: strings.TrimSpace(q.Get("applicant"))}
	var f gongkai.ApplicationFilter
	var p gongkai.Problems
	if v := gongkai.ApplicationStatus(qf.Status); v != "" {
		if v.Valid() {
			f.Status = &v
		} else {
			p.Add("status", "状态无效。")
		}
	}
	if v := gongkai.Outcome(qf.Outcome); v != "" {
		if v.Valid() {
			f.Outcome = &v
		} else {
			p.Add("outcome", "办理结果无效。")
		}
	}
	if v := gongkai.Channel(qf.Channel); v != "" {
		if v.Valid() {
			f.Channel = &v
		} else {
			p.Add("channel", "渠道无效。")
		}
	}
	if v := gongkai.ApplicantKind(qf.Kind); v != "" {
		if v.Valid() {
			f.ApplicantKind = &v
		} else {
			p.Add("kind", "申请人类型无效。")
		}
	}
	if qf.Year != "" {
		if y, err := strconv.Atoi(qf.Year); err == nil && y >= 2008 && y <= 2200 {
			f.Year = &y
		} else {
			p.Add("year", "年份应为四位数字。")
		}
	}
	if qf.Org != "" {
		org, err := s.Orgs.FindOrgByCode(r.Context(), qf.Org)
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
				return qf, f, p, err
			}
			p.Add("org", "机构不存在。")
		} else {
			f.Within = &org.ID
		}
	}
	if qf.Applicant != "" {
		f.Applicant = &qf.Applicant
	}
	return qf, f, p, nil
}

func (qf QueueFilter) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"status": qf.Status, "outcome": qf.Outcome, "channel": qf.Channel, "kind": qf.Kind, "year": qf.Year, "org": qf.Org, "applicant": qf.Applicant} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

// readableOrgs are the orgs whose applications the actor may read, for
// the org filter and the intake form.
func (s *Server) readableOrgs(r *http.Request, officerOnly bool) ([]OrgRow, error) {
	a := gongkai.ActorFrom(r.Context())
	orgs, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var rows []OrgRow
	for _, o := range orgs {
		read, _, _ := gongkai.ApplicationAccess(a, o)
		if officerOnly {
			read = a.HasRole(gongkai.RoleOfficer, o.ID)
		}
		if read {
			rows = append(rows, OrgRow{Org: o, Depth: len(o.Path) - 1})
		}
	}
	if len(rows) > 0 {
		top := rows[0].Depth
		for i := range rows {
			rows[i].Depth = max(rows[i].Depth-top, 0)
		}
	}
	return rows, nil
}

func (s *Server) adminApplications(w http.ResponseWriter, r *http.Request) error {
	qf, f, problems, err := s.queueFilter(r)
	if err != nil {
		return err
	}
	page := ApplicationsPage{AdminBase: s.adminBase(w, r, "依申请公开"), Filter: qf, Query: qf.query(), Problems: problems,
		Statuses: gongkai.ApplicationStatuses, Outcomes: gongkai.Outcomes, Channels: gongkai.Channels, Kinds: gongkai.ApplicantKinds}
	this := gongkai.DateOf(s.Now()).Year
	for y := this; y >= this-5; y-- {
		page.Years = append(page.Years, y)
	}
	if page.Orgs, err = s.readableOrgs(r, false); err != nil {
		return err
	}
	officerOrgs, err := s.readableOrgs(r, true)
	if err != nil {
		return err
	}
	page.CanCreate = len(officerOrgs) > 0
	page.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	page.Page = max(page.Page, 1)
	if len(problems) == 0 {
		f.Offset, f.Limit = (page.Page-1)*queuePageSize, queuePageSize
		if page.Rows, page.Total, err = s.Applications.FindApplications(r.Context(), f); err != nil {
			return err
		}
		page.Pages = (page.Total + queuePageSize - 1) / queuePageSize
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "admin/applications", page)
}

// adminApplicationsXLSX exports the filtered queue as the 台账.
func (s *Server) adminApplicationsXLSX(w http.ResponseWriter, r *http.Request) error {
	_, f, problems, err := s.queueFilter(r)
	if err != nil {
		return err
	}
	if err := problems.Err(); err != nil {
		return err
	}
	apps, _, err := s.Applications.FindApplications(r.Context(), f)
	if err != nil {
		return err
	}
	title := "依申请公开工作台账"
	if f.Year != nil {
		title = fmt.Sprintf("依申请公开工作台账（%d年）", *f.Year)
	}
	var buf bytes.Buffer
	if err := export.WriteLedger(&buf, title, apps); err != nil {
		return err
	}
	name := fmt.Sprintf("依申请公开台账-%s.xlsx", gongkai.DateOf(s.Now()))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"applications.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// ApplicationNewPage is the officer's intake form.
type ApplicationNewPage struct {
	AdminBase
	Form       ApplyForm
	Values     gongkai.ApplicationSubmission
	ReceivedOn string
	Problems   gongkai.Problems
}

func (s *Server) intakePage(w http.ResponseWriter, r *http.Request, values gongkai.ApplicationSubmission, received string) (ApplicationNewPage, error) {
	rows, err := s.readableOrgs(r, true)
	if err != nil {
		return ApplicationNewPage{}, err
	}
	if len(rows) == 0 {
		return ApplicationNewPage{}, gongkai.Errorf(gongkai.EFORBIDDEN, "只有依申请公开经办人可以登记申请。")
	}
	var orgs []*gongkai.Org
	for _, row := range rows {
		orgs = append(orgs, row.Org)
	}
	form := newApplyForm(orgs)
	form.Orgs = rows
	if values.Applicant.Kind == "" {
		values.Applicant.Kind, values.Applicant.IDType = gongkai.ApplicantNatural, gongkai.IDCitizen
		values.Request.Form, values.Request.Delivery, values.Channel = gongkai.FormPaper, gongkai.DeliveryPost, gongkai.ChannelInPerson
	}
	if received == "" {
		received = gongkai.DateOf(s.Now()).String()
	}
	return ApplicationNewPage{AdminBase: s.adminBase(w, r, "登记申请"), Form: form, Values: values, ReceivedOn: received}, nil
}

func (s *Server) adminApplicationNew(w http.ResponseWriter, r *http.Request) error {
	page, err := s.intakePage(w, r, gongkai.ApplicationSubmission{}, "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/application_new", page)
}

// ApplicationCreatedPage shows the tracking number and access code of an
// application just entered, to hand to the applicant (once).
type ApplicationCreatedPage struct {
	AdminBase
	App        *gongkai.Application
	AccessCode string
}

func (s *Server) adminApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	sub := submissionFromForm(r)
	received := strings.TrimSpace(r.PostFormValue("receivedOn"))
	var err error
	if received != "" {
		if sub.ReceivedOn, err = gongkai.ParseDate(received); err != nil {
			err = gongkai.FieldError("receivedOn", "日期格式应为 YYYY-MM-DD。")
		}
	}
	if err == nil {
		sub.Files, err = readUploads(r, "files")
	}
	if err == nil {
		var app *gongkai.Application
		var code string
		if app, code, err = s.Applications.CreateApplication(r.Context(), sub); err == nil {
			return s.render(w, r, http.StatusOK, "admin/application_created", ApplicationCreatedPage{AdminBase: s.adminBase(w, r, "申请已登记"), App: app, AccessCode: formatCode(code)})
		}
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.intakePage(w, r, *sub, received)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/application_new", page)
}

// LetterLink is a letter that can be generated for an application.
type LetterLink struct {
	Kind    gongkai.LetterKind
	EventID int64
	Label   string
}

// Query is the letter's query string ("?event=12" or "").
func (l LetterLink) Query() string {
	if l.EventID == 0 {
		return ""
	}
	return "?event=" + strconv.FormatInt(l.EventID, 10)
}

// EventForm holds the values of a ledger form being re-shown.
type EventForm struct {
	Type, Date, Items, Deadline, Party, Days, ApprovedBy, NotifiedOn, OverrideReason, Note, Method, Quantity, Payment string
}

// ReplyForm holds the reply form's values.
type ReplyForm struct {
	Outcome, Date, Basis, Reason, Provided, Withheld, NotHeld, OtherOrgan, OtherOrganContact, Content string
}

// ApplicationPage is the case page: request, applicant, clock with its
// explanation, ledger, the forms to record events, the reply, appeals and
// letters.
type ApplicationPage struct {
	AdminBase
	App         *gongkai.Application
	Applicant   *gongkai.Applicant
	CanWrite    bool
	CanPersonal bool
	CanOverride bool
	Today       string
	Warnings    []string
	Problems    gongkai.Problems
	// Form says which form Problems belong to: "event:<type>", "reply" or
	// "appeal".
	Form          string
	Event         EventForm
	Reply         ReplyForm
	Quote         *gongkai.Fee
	QuoteMethod   string
	QuoteQuantity string
	Letters       []LetterLink
	Outcomes      []gongkai.Outcome
	AppealKinds   []gongkai.AppealKind
	AppealResults []gongkai.AppealResult
}

// Personal reports whether the personal data is shown.
func (p ApplicationPage) Personal() bool { return p.Applicant != nil }

// loadCase reads the application, with personal data when the actor may
// see it (the view is audited by the store).
func (s *Server) loadCase(r *http.Request, id int64) (*gongkai.Application, *gongkai.Org, error) {
	app, err := s.Applications.FindApplicationByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	org, err := s.Orgs.FindOrgByID(r.Context(), app.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if _, _, personal := gongkai.ApplicationAccess(gongkai.ActorFrom(r.Context()), org); personal {
		if app, err = s.Applications.FindApplicationPersonal(r.Context(), id); err != nil {
			return nil, nil, err
		}
	}
	return app, org, nil
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, id int64) (ApplicationPage, error) {
	app, org, err := s.loadCase(r, id)
	if err != nil {
		return ApplicationPage{}, err
	}
	a := gongkai.ActorFrom(r.Context())
	_, write, personal := gongkai.ApplicationAccess(a, org)
	page := ApplicationPage{AdminBase: s.adminBase(w, r, "申请 "+app.TrackingNo), App: app, Applicant: app.Applicant, CanWrite: write, CanPersonal: personal,
		CanOverride: a.CanAdminister(org), Today: gongkai.DateOf(s.Now()).String(), Outcomes: gongkai.Outcomes,
		AppealKinds: gongkai.AppealKinds, AppealResults: gongkai.AppealResults}
	page.Event.Date, page.Reply.Date = page.Today, page.Today
	page.Letters = lettersOf(app)
	return page, nil
}

// lettersOf lists the letters the ledger calls for.
func lettersOf(app *gongkai.Application) []LetterLink {
	var out []LetterLink
	for _, e := range app.Events {
		var k gongkai.LetterKind
		switch e.Type {
		case gongkai.EventSupplementRequested:
			k = gongkai.LetterSupplement
		case gongkai.EventExtended:
			k = gongkai.LetterExtension
		case gongkai.EventThirdPartyConsulted:
			k = gongkai.LetterThirdParty
		case gongkai.EventCoMakerConsulted:
			k = gongkai.LetterCoMaker
		case gongkai.EventFeeNotified:
			k = gongkai.LetterFee
		default:
			continue
		}
		out = append(out, LetterLink{Kind: k, EventID: e.ID, Label: letter.Label(string(k)) + "（" + e.Date.Chinese() + "）"})
	}
	if app.Reply != nil {
		out = append(out, LetterLink{Kind: gongkai.LetterReply, Label: letter.Label(letter.ReplyKey(app.Reply.Outcome))})
	}
	return out
}

func (s *Server) adminApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := s.casePage(w, r, id)
	if err != nil {
		return err
	}
	// 试算: the fee form's "compute" button is a GET with the quantity.
	q := r.URL.Query()
	if m := q.Get("quote_method"); m != "" {
		page.QuoteMethod, page.QuoteQuantity = m, q.Get("quote_quantity")
		page.Form = "event:" + string(gongkai.EventFeeNotified)
		page.Event.Method, page.Event.Quantity = m, page.QuoteQuantity
		n, _ := strconv.Atoi(page.QuoteQuantity)
		fee, err := s.Applications.QuoteFee(r.Context(), id, gongkai.FeeMethod(m), n)
		if problems, err := formProblems(err); err != nil {
			return err
		} else {
			page.Problems, page.Quote = problems, fee
		}
	}
	return s.render(w, r, http.StatusOK, "admin/application", page)
}

func eventFromForm(r *http.Request) (EventForm, gongkai.ApplicationEvent, gongkai.Problems) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	ef := EventForm{Type: f("type"), Date: f("date"), Items: f("items"), Deadline: f("deadline"), Party: f("party"), Days: f("days"),
		ApprovedBy: f("approvedBy"), NotifiedOn: f("notifiedOn"), OverrideReason: f("overrideReason"), Note: f("note"),
		Method: f("method"), Quantity: f("quantity"), Payment: f("payment")}
	ev := gongkai.ApplicationEvent{Type: gongkai.EventType(ef.Type), Items: ef.Items, Party: ef.Party, ApprovedBy: ef.ApprovedBy,
		OverrideReason: ef.OverrideReason, Note: ef.Note}
	var p gongkai.Problems
	date := func(field, v string, dst *gongkai.Date) {
		if v == "" {
			return
		}
		d, err := gongkai.ParseDate(v)
		if err != nil {
			p.Add(field, "日期格式应为 YYYY-MM-DD。")
			return
		}
		*dst = d
	}
	date("date", ef.Date, &ev.Date)
	date("deadline", ef.Deadline, &ev.Deadline)
	date("notifiedOn", ef.NotifiedOn, &ev.NotifiedOn)
	if ef.Days != "" {
		n, err := strconv.Atoi(ef.Days)
		if err != nil {
			p.Add("days", "延期天数应为整数。")
		}
		ev.Days = n
	}
	if ev.Type == gongkai.EventFeeNotified {
		n, err := strconv.Atoi(ef.Quantity)
		if err != nil && ef.Quantity != "" {
			p.Add("quantity", "件数或页数应为整数。")
		}
		ev.Fee = &gongkai.Fee{Method: gongkai.FeeMethod(ef.Method), Quantity: n, Payment: ef.Payment}
	}
	return ef, ev, p
}

func (s *Server) adminApplicationEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ef, ev, problems := eventFromForm(r)
	var warnings []string
	if err = problems.Err(); err == nil {
		_, warnings, err = s.Applications.AddApplicationEvent(r.Context(), id, ev)
	}
	if err == nil && len(warnings) == 0 {
		return s.redirectFlash(w, r, "/admin/applications/"+strconv.FormatInt(id, 10), "event-saved")
	}
	if err == nil {
		// Recorded, with warnings the officer must read: show them now.
		page, err := s.casePage(w, r, id)
		if err != nil {
			return err
		}
		page.Warnings, page.Flash = warnings, flashMessages["event-saved"]
		return s.render(w, r, http.StatusOK, "admin/application", page)
	}
	problems, err = formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.casePage(w, r, id)
	if err != nil {
		return err
	}
	page.Problems, page.Form, page.Event = problems, "event:"+ef.Type, ef
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/application", page)
}

func replyFromForm(r *http.Request) (ReplyForm, gongkai.Reply, gongkai.Problems) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	rf := ReplyForm{Outcome: f("outcome"), Date: f("date"), Basis: f("basis"), Reason: f("reason"), Provided: f("provided"), Withheld: f("withheld"),
		NotHeld: f("notHeld"), OtherOrgan: f("otherOrgan"), OtherOrganContact: f("otherOrganContact"), Content: f("content")}
	rep := gongkai.Reply{Outcome: gongkai.Outcome(rf.Outcome), Basis: rf.Basis, Reason: rf.Reason, Withheld: rf.Withheld,
		NotHeld: gongkai.NotHeldKind(rf.NotHeld), OtherOrgan: rf.OtherOrgan, OtherOrganContact: rf.OtherOrganContact, Content: rf.Content}
	rep.Provided = strings.Split(strings.ReplaceAll(rf.Provided, "\r\n", "\n"), "\n")
	var p gongkai.Problems
	if rf.Date != "" {
		d, err := gongkai.ParseDate(rf.Date)
		if err != nil {
			p.Add("date", "日期格式应为 YYYY-MM-DD。")
		}
		rep.Date = d
	}
	return rf, rep, p
}

func (s *Server) adminApplicationReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rf, rep, problems := replyFromForm(r)
	var warnings []string
	err = problems.Err()
	var files []gongkai.Upload
	if err == nil {
		files, err = readUploads(r, "files")
	}
	if err == nil {
		_, warnings, err = s.Applications.ReplyApplication(r.Context(), id, rep, files)
	}
	if err == nil && len(warnings) == 0 {
		return s.redirectFlash(w, r, "/admin/applications/"+strconv.FormatInt(id, 10), "reply-saved")
	}
	if err == nil {
		page, err := s.casePage(w, r, id)
		if err != nil {
			return err
		}
		page.Warnings, page.Flash = warnings, flashMessages["reply-saved"]
		return s.render(w, r, http.StatusOK, "admin/application", page)
	}
	problems, err = formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.casePage(w, r, id)
	if err != nil {
		return err
	}
	// Offer the usual provision for the outcome when none was given, so a
	// refusal's basis is one confirmation away.
	if rf.Basis == "" && problems.For("basis") != "" {
		rf.Basis = gongkai.Outcome(rf.Outcome).DefaultBasis()
	}
	page.Problems, page.Form, page.Reply = problems, "reply", rf
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/application", page)
}

func appealFromForm(r *http.Request) (*gongkai.Appeal, gongkai.Problems) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := &gongkai.Appeal{Kind: gongkai.AppealKind(f("kind")), Body: f("body"), Result: gongkai.AppealResult(f("result")), Note: f("note")}
	var p gongkai.Problems
	for field, dst := range map[string]*gongkai.Date{"filedOn": &a.FiledOn, "closedOn": &a.ClosedOn} {
		if v := f(field); v != "" {
			d, err := gongkai.ParseDate(v)
			if err != nil {
				p.Add(field, "日期格式应为 YYYY-MM-DD。")
			}
			*dst = d
		}
	}
	return a, p
}

func (s *Server) adminAppealCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveAppeal(w, r, 0)
}

func (s *Server) adminAppealUpdate(w http.ResponseWriter, r *http.Request) error {
	aid, err := pathID(r, "appeal")
	if err != nil {
		return err
	}
	return s.saveAppeal(w, r, aid)
}

func (s *Server) saveAppeal(w http.ResponseWriter, r *http.Request, appealID int64) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, problems := appealFromForm(r)
	err = problems.Err()
	if err == nil {
		if appealID == 0 {
			err = s.Applications.AddAppeal(r.Context(), id, a)
		} else {
			err = s.Applications.UpdateAppeal(r.Context(), id, appealID, a)
		}
	}
	if err == nil {
		return s.redirectFlash(w, r, "/admin/applications/"+strconv.FormatInt(id, 10)+"#appeals", "appeal-saved")
	}
	problems, err = formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.casePage(w, r, id)
	if err != nil {
		return err
	}
	page.Problems, page.Form = problems, "appeal"
	if appealID != 0 {
		page.Form = "appeal:" + strconv.FormatInt(appealID, 10)
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/application", page)
}

// applicationFile downloads an attachment, in the workspace and through
// the API: the store allows an applicant's files to the org's officers and
// supervisors only and audits every download. The content is served as an
// attachment with the sniffed type, never rendered inline.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.Applications.ApplicationFile(r.Context(), id, fid)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.MIME)
	h.Set("Content-Disposition", "attachment; filename=\"attachment\"; filename*=UTF-8''"+url.PathEscape(f.Name))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox") // a download, never a page
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}

// ProblemsFor returns the problems when they belong to form, else none, so
// each form on the case page shows only its own.
func (p ApplicationPage) ProblemsFor(form string) gongkai.Problems {
	if p.Form == form {
		return p.Problems
	}
	return nil
}

// EventFor returns the values to show in the form of event type t: those
// entered when that form was refused, else today's date.
func (p ApplicationPage) EventFor(t string) EventForm {
	if p.Form == "event:"+t {
		return p.Event
	}
	return EventForm{Type: t, Date: p.Today}
}

// IsOpen reports whether the form should be shown unfolded.
func (p ApplicationPage) IsOpen(form string) bool { return p.Form == form }

// PendingConsultations lists the consultations not yet answered, by kind,
// for the reply forms.
func (p ApplicationPage) PendingConsultations(kind string) []string {
	var open []string
	for _, e := range p.App.Events {
		switch {
		case string(e.Type) == kind+"_consulted":
			open = append(open, e.Party)
		case string(e.Type) == kind+"_replied":
			for i, party := range open {
				if party == e.Party || e.Party == "" {
					open = append(open[:i], open[i+1:]...)
					break
				}
			}
		}
	}
	return open
}

// ConsultationKinds are the two kinds of consultation that pause the
// clock, for the case page's forms.
func (p ApplicationPage) ConsultationKinds() []string { return []string{"third_party", "co_maker"} }
