package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/letter"
)

// LetterPage shows a letter ready to print (the layout hides the
// workspace chrome when printing).
type LetterPage struct {
	AdminBase
	App     *gongkai.Application
	Letter  letter.Letter
	DOCXURL string
}

// buildLetter renders a letter of an application: the org's template (or
// its ancestors', or the built-in one) filled from the application, the
// applicant and the ledger event the letter is about.
func (s *Server) buildLetter(r *http.Request) (*gongkai.Application, letter.Letter, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, letter.Letter{}, err
	}
	kind := gongkai.LetterKind(r.PathValue("kind"))
	// The letters carry the applicant's name and address: only those who
	// may see personal data get them, and each is audited.
	if err := s.Applications.AuditLetter(r.Context(), id, kind); err != nil {
		return nil, letter.Letter{}, err
	}
	app, err := s.Applications.FindApplicationPersonal(r.Context(), id)
	if err != nil {
		return nil, letter.Letter{}, err
	}
	org, err := s.Orgs.FindOrgByID(r.Context(), app.OrgID)
	if err != nil {
		return nil, letter.Letter{}, err
	}
	var parent *gongkai.Org
	if org.ParentID != 0 {
		if parent, err = s.Orgs.FindOrgByID(r.Context(), org.ParentID); err != nil {
			return nil, letter.Letter{}, err
		}
	}
	in := letter.Input{App: app, Applicant: app.Applicant, ReconsiderationBody: letter.ReconsiderationBody(org, parent)}
	var key string
	var want gongkai.EventType
	switch kind {
	case gongkai.LetterReply:
		if app.Reply == nil {
			return nil, letter.Letter{}, gongkai.Errorf(gongkai.ENOTFOUND, "该申请尚未答复，没有答复告知书。")
		}
		key = letter.ReplyKey(app.Reply.Outcome)
	case gongkai.LetterSupplement:
		key, want = string(kind), gongkai.EventSupplementRequested
	case gongkai.LetterExtension:
		key, want = string(kind), gongkai.EventExtended
	case gongkai.LetterThirdParty:
		key, want = string(kind), gongkai.EventThirdPartyConsulted
	case gongkai.LetterCoMaker:
		key, want = string(kind), gongkai.EventCoMakerConsulted
	case gongkai.LetterFee:
		key, want = string(kind), gongkai.EventFeeNotified
	default:
		return nil, letter.Letter{}, gongkai.Errorf(gongkai.ENOTFOUND, "没有这种文书。")
	}
	if want != "" {
		eventID, _ := strconv.ParseInt(r.URL.Query().Get("event"), 10, 64)
		for i := range app.Events {
			e := &app.Events[i]
			if e.Type == want && (eventID == 0 || e.ID == eventID) {
				in.Event = e
			}
		}
		if in.Event == nil {
			return nil, letter.Letter{}, gongkai.Errorf(gongkai.ENOTFOUND, "办理记录中没有需要该文书的事项。")
		}
	}
	tpl, ok := letter.Default(key)
	if !ok {
		return nil, letter.Letter{}, gongkai.Errorf(gongkai.ENOTFOUND, "没有这种文书。")
	}
	custom, err := s.Applications.FindLetterTemplate(r.Context(), org.ID, key)
	switch gongkai.ErrorCode(err) {
	case "":
		tpl = letter.Template{Title: custom.Title, Body: custom.Body}
	case gongkai.ENOTFOUND:
	default:
		return nil, letter.Letter{}, err
	}
	return app, letter.Render(tpl, letter.Build(in)), nil
}

func (s *Server) adminLetter(w http.ResponseWriter, r *http.Request) error {
	app, l, err := s.buildLetter(r)
	if err != nil {
		return err
	}
	docx := r.URL.Path + "/docx"
	if q := r.URL.RawQuery; q != "" {
		docx += "?" + q
	}
	return s.render(w, r, http.StatusOK, "admin/letter", LetterPage{AdminBase: s.adminBase(w, r, l.Title), App: app, Letter: l, DOCXURL: docx})
}

func (s *Server) adminLetterDOCX(w http.ResponseWriter, r *http.Request) error {
	app, l, err := s.buildLetter(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := l.WriteDOCX(&buf, app.OrgName); err != nil {
		return err
	}
	name := l.Title + "-" + app.TrackingNo + ".docx"
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	h.Set("Content-Disposition", "attachment; filename=\"letter.docx\"; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// TemplateRow is one template in an org's list, with where its wording
// comes from.
type TemplateRow struct {
	Key, Label, Source string
	Custom             bool
}

// LetterTemplatesPage lists an org's letter templates.
type LetterTemplatesPage struct {
	AdminBase
	Orgs []OrgRow
	Org  *gongkai.Org
	Rows []TemplateRow
}

// adminOrgs returns the orgs the actor administers, in tree order.
func (s *Server) administeredOrgs(r *http.Request) ([]OrgRow, error) {
	rows, err := s.orgRows(r)
	if err != nil {
		return nil, err
	}
	var out []OrgRow
	for _, row := range rows {
		if row.CanAdmin {
			out = append(out, row)
		}
	}
	return out, nil
}

func (s *Server) adminLetterTemplates(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	orgs, err := s.administeredOrgs(r)
	if err != nil {
		return err
	}
	page := LetterTemplatesPage{AdminBase: s.adminBase(w, r, "文书模板"), Orgs: orgs}
	if len(orgs) == 0 {
		return s.render(w, r, http.StatusOK, "admin/letter_templates", page)
	}
	page.Org = orgs[0].Org
	if code := r.URL.Query().Get("org"); code != "" {
		for _, o := range orgs {
			if o.Org.Code == code {
				page.Org = o.Org
			}
		}
	}
	for _, key := range letter.Keys() {
		row := TemplateRow{Key: key, Label: letter.Label(key), Source: "系统默认"}
		t, err := s.Applications.FindLetterTemplate(r.Context(), page.Org.ID, key)
		switch gongkai.ErrorCode(err) {
		case "":
			row.Custom = t.OrgID == page.Org.ID
			if row.Custom {
				row.Source = "本机关自定义（" + t.UpdatedBy + "）"
			} else if o, err := s.Orgs.FindOrgByID(r.Context(), t.OrgID); err == nil {
				row.Source = "沿用" + o.Name
			}
		case gongkai.ENOTFOUND:
		default:
			return err
		}
		page.Rows = append(page.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "admin/letter_templates", page)
}

// LetterTemplatePage edits one template of an org.
type LetterTemplatePage struct {
	AdminBase
	Org      *gongkai.Org
	Key      string
	Label    string
	Title    string
	Body     string
	Source   string
	Custom   bool
	Slots    []letter.Slot
	Problems gongkai.Problems
}

func (s *Server) letterTemplatePage(w http.ResponseWriter, r *http.Request) (LetterTemplatePage, error) {
	org, err := s.Orgs.FindOrgByCode(r.Context(), r.PathValue("org"))
	if err != nil {
		return LetterTemplatePage{}, err
	}
	if !gongkai.ActorFrom(r.Context()).CanAdminister(org) {
		return LetterTemplatePage{}, gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”或其上级机关的管理员可以修改其文书模板。", org.Name)
	}
	key := r.PathValue("key")
	def, ok := letter.Default(key)
	if !ok {
		return LetterTemplatePage{}, gongkai.Errorf(gongkai.ENOTFOUND, "文书模板不存在。")
	}
	page := LetterTemplatePage{AdminBase: s.adminBase(w, r, "文书模板："+letter.Label(key)), Org: org, Key: key, Label: letter.Label(key),
		Title: def.Title, Body: def.Body, Source: "系统默认", Slots: letter.Slots}
	t, err := s.Applications.FindLetterTemplate(r.Context(), org.ID, key)
	switch gongkai.ErrorCode(err) {
	case "":
		page.Title, page.Body, page.Custom = t.Title, t.Body, t.OrgID == org.ID
		page.Source = "本机关自定义"
		if !page.Custom {
			page.Source = "沿用上级机关"
		}
	case gongkai.ENOTFOUND:
	default:
		return page, err
	}
	return page, nil
}

func (s *Server) adminLetterTemplate(w http.ResponseWriter, r *http.Request) error {
	page, err := s.letterTemplatePage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/letter_template", page)
}

func (s *Server) adminLetterTemplateSave(w http.ResponseWriter, r *http.Request) error {
	page, err := s.letterTemplatePage(w, r)
	if err != nil {
		return err
	}
	t := &gongkai.LetterTemplate{OrgID: page.Org.ID, Key: page.Key, Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	err = s.Applications.SetLetterTemplate(r.Context(), t)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/letter-templates?org="+url.QueryEscape(page.Org.Code), "template-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page.Title, page.Body, page.Problems = t.Title, strings.ReplaceAll(t.Body, "\r\n", "\n"), problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/letter_template", page)
}

func (s *Server) adminLetterTemplateReset(w http.ResponseWriter, r *http.Request) error {
	page, err := s.letterTemplatePage(w, r)
	if err != nil {
		return err
	}
	if err := s.Applications.DeleteLetterTemplate(r.Context(), page.Org.ID, page.Key); err != nil {
		return err
	}
	return s.redirectFlash(w, r, "/admin/letter-templates?org="+url.QueryEscape(page.Org.Code), "template-reset")
}

// NoticesPage lists the member of staff's reminders.
type NoticesPage struct {
	AdminBase
	Notices  []*gongkai.Notice
	Unread   int
	Email    string
	Problems gongkai.Problems
}

func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request) (NoticesPage, error) {
	notices, unread, err := s.Applications.FindNotices(r.Context(), false, 200)
	if err != nil {
		return NoticesPage{}, err
	}
	email, err := s.Applications.NoticeEmail(r.Context())
	if err != nil {
		return NoticesPage{}, err
	}
	return NoticesPage{AdminBase: s.adminBase(w, r, "办理提醒"), Notices: notices, Unread: unread, Email: email}, nil
}

func (s *Server) adminNotices(w http.ResponseWriter, r *http.Request) error {
	page, err := s.noticesPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/notices", page)
}

func (s *Server) adminNoticesRead(w http.ResponseWriter, r *http.Request) error {
	if err := s.Applications.MarkNoticesRead(r.Context()); err != nil {
		return err
	}
	return s.redirectFlash(w, r, "/admin/notices", "notices-read")
}

func (s *Server) adminNoticeEmail(w http.ResponseWriter, r *http.Request) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	err := s.Applications.SetNoticeEmail(r.Context(), email)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/notices", "email-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.noticesPage(w, r)
	if err != nil {
		return err
	}
	page.Email, page.Problems = email, problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/notices", page)
}
