package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/taxonomy"
)

// AnnualReports is the annual report service (issue 5), implemented by the
// store. It is declared here rather than in the root package because its
// values are the reports of internal/annualreport.
type AnnualReports interface {
	FindAnnualReport(ctx context.Context, orgCode string, year int) (*gongkai.AnnualReport, error)
	// CompileAnnualReport compiles the report from the current data.
	CompileAnnualReport(ctx context.Context, orgCode string, year int) (*annualreport.Report, error)
	// FindAnnualReportSnapshot returns the report as published here, or
	// as imported; ENOTFOUND when neither.
	FindAnnualReportSnapshot(ctx context.Context, orgCode string, year int) (*annualreport.Report, error)
	// FindPublicAnnualReport and PublicAnnualReport return a published
	// snapshot whose page is on the portal, to anyone.
	FindPublicAnnualReport(ctx context.Context, orgCode string, year int) (*annualreport.Report, error)
	PublicAnnualReport(ctx context.Context, documentID int64) (*annualreport.Report, error)
	SaveAnnualReport(ctx context.Context, orgCode string, year int, u gongkai.AnnualReportUpdate) (*gongkai.AnnualReport, error)
	SubmitAnnualReport(ctx context.Context, orgCode string, year int, note string) (*gongkai.Document, error)
	ImportAnnualReport(ctx context.Context, orgCode string, r io.Reader) (*annualreport.Report, error)
	SumAnnualReports(ctx context.Context, orgCodes []string, year int) (*annualreport.Report, error)
	FindAnnualReportProgress(ctx context.Context, orgCode string, year int) ([]*gongkai.AnnualReportProgress, error)
	RequestAnnualReportReminders(ctx context.Context, orgCode string, year int) (int, error)
}

// annualReportRoutes: the 政府信息公开工作年度报告 (issue 5) — the report
// workspace of an org and year, exports, the 政务公开办's overview and
// roll-up, and the API. The report's portal page is its document's page
// (portalDocument renders the published snapshot).
func (s *Server) annualReportRoutes() {
	s.handle("GET /admin/annual-reports", s.adminReports, s.staff)
	s.handle("GET /admin/annual-reports/overview", s.adminReportOverview, s.staff)
	s.handle("POST /admin/annual-reports/overview/remind", s.adminReportRemind, s.staff, s.checkCSRF)
	s.handle("GET /admin/annual-reports/rollup", s.adminReportRollup, s.staff)
	s.handle("GET /admin/annual-reports/{org}/{file}", s.adminReport, s.staff)
	s.handle("POST /admin/annual-reports/{org}/{year}", s.adminReportSave, s.staff, s.checkCSRF)
	s.handle("POST /admin/annual-reports/{org}/{year}/submit", s.adminReportSubmit, s.staff, s.checkCSRF)
	s.handle("POST /admin/annual-reports/{org}/import", s.adminReportImport, s.staff, allowUpload(reportImportLimit), s.checkCSRF)
	s.handle("GET /api/v1/annual-reports/{orgCode}/{year}", s.apiAnnualReport)
	s.addAdminMenu("年度报告", "/admin/annual-reports", func(a *gongkai.Actor) bool { return len(a.Grants) > 0 || a.System })
}

// reportImportLimit caps an uploaded history file (a report is ~10 KB).
const reportImportLimit = 2 << 20

// reportYear reads a year from a path or form value.
func reportYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || y < 1000 || y > 9999 {
		return 0, gongkai.FieldError("year", "年度应为四位数字，例如 2025。")
	}
	return y, nil
}

// lastYear is the year whose report is due now.
func (s *Server) lastYear() int { return gongkai.DateOf(s.Now()).Year - 1 }

// ReportProblem is a Check finding as the workspace shows it. The list
// item has the id ID; the cells it concerns are marked in the tables and
// linked from the list.
type ReportProblem struct {
	ID       string // problem-N, N counting from 1 as the list is numbered
	Mark     string // 错误N or 提醒N: the list's label and the cells' marks
	Blocking bool
	Severity string
	Cell     string
	// CellHref links Cell to the one cell (or the prose field) the
	// problem is about; Links are the cells of a problem about several.
	CellHref string
	Links    []ReportCellLink
	Message  string
}

// ReportCellLink is a link from the problem list to a marked cell.
type ReportCellLink struct {
	Href, Label string
}

// proseFields are the form fields of the prose sections, which the problem
// list links to when the actor can edit them.
var proseFields = map[string]string{"一": "f-overview", "五": "f-shortcomings", "六": "f-other"}

// reportChecks turns Check's findings into the problem list and the marks
// of the tables: each problem is numbered, each cell it concerns carries
// a mark linking to it, and the list links to each cell.
func reportChecks(rep *annualreport.Report, problems []annualreport.Problem, canEdit bool) ([]ReportProblem, map[string][]annualreport.CellMark) {
	var list []ReportProblem
	marks := map[string][]annualreport.CellMark{}
	for i, p := range problems {
		rp := ReportProblem{ID: fmt.Sprintf("problem-%d", i+1), Mark: fmt.Sprintf("%s%d", p.Severity, i+1), Blocking: p.Blocking(), Severity: p.Severity.String(), Cell: p.Cell.String(), Message: p.Message}
		if f := proseFields[p.Cell.Section]; f != "" && canEdit {
			rp.CellHref = "#" + proseFields[p.Cell.Section]
		}
		for _, c := range p.Cells {
			id, ok := rep.CellID(c)
			if !ok {
				continue
			}
			marks[id] = append(marks[id], annualreport.CellMark{Blocking: p.Blocking(), Target: rp.ID, Text: rp.Mark})
			if len(p.Cells) == 1 {
				rp.CellHref = "#" + id
			} else {
				rp.Links = append(rp.Links, ReportCellLink{Href: "#" + id, Label: cellLinkLabel(p.Cell, c)})
			}
		}
		list = append(list, rp)
	}
	return list, marks
}

// cellLinkLabel names cell c of a problem about cell: by its row alone when
// both are in the same column (the column of table 三 that does not
// balance), else in full.
func cellLinkLabel(cell, c annualreport.CellRef) string {
	if cell.Row == "" && cell.Column == c.Column && slices.Equal(cell.Groups, c.Groups) && c.Row != "" {
		return "“" + c.Row + "”行"
	}
	return c.String()
}

// ReportChange is a cell that differs from the snapshot.
type ReportChange struct {
	Cell, Was, Now string
}

// ComparisonRow is one line of the year-on-year table: a cell's value in
// the year and the years before, and the change from the year before.
type ComparisonRow struct {
	Table, Label string
	Values       []string
	Change       string
}

// ReportForm holds the figures and prose as typed.
type ReportForm struct {
	Licensing, Penalty, Enforcement, Fees string
	Overview, Shortcomings, Other         string
}

// AnnualReportPage is the workspace of one org's report for one year.
type AnnualReportPage struct {
	AdminBase
	Org    *gongkai.Org
	Year   int
	Years  []int
	Record *gongkai.AnnualReport
	Report *annualreport.Report
	// Tables are tables 二, 三 and 四 of the current report.
	Tables []template.HTML
	// Checks are Check's findings against last year's report; Blocking
	// says whether any stops publication.
	Checks   []ReportProblem
	Blocking bool
	// Marked says whether any cell of the tables is marked.
	Marked bool
	// Snapshot is the year's published (or imported) report; Changes its
	// cells that differ from the current data, ProseChanged the sections
	// whose text differs.
	Snapshot     *annualreport.Report
	SnapshotKind string
	Changes      []ReportChange
	ProseChanged []string
	// Comparison lines up the year with the published or imported reports
	// of the years before.
	CompareYears []int
	Comparison   []ComparisonRow
	Form         ReportForm
	Drafts       annualreport.Texts
	Problems     gongkai.Problems
	// SubmitProblems is a refused submission's list.
	SubmitProblems    gongkai.Problems
	CanEdit           bool
	CanImport         bool
	CanOverview       bool
	ImportProblems    gongkai.Problems
	NeedsRevisionNote bool
}

// reportPage builds the workspace page; form, when not nil, replaces the
// saved values (a refused save shows what was typed).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, code string, year int, form *ReportForm) (*AnnualReportPage, error) {
	ctx := r.Context()
	rec, err := s.AnnualReports.FindAnnualReport(ctx, code, year)
	if err != nil {
		return nil, err
	}
	rep, err := s.AnnualReports.CompileAnnualReport(ctx, code, year)
	if err != nil {
		return nil, err
	}
	a := gongkai.ActorFrom(ctx)
	page := &AnnualReportPage{AdminBase: s.adminBase(w, r, rep.Title()), Org: rec.Org, Year: year, Record: rec, Report: rep, Drafts: rep.Drafts,
		CanEdit: a.HasRole(gongkai.RoleEditor, rec.Org.ID), CanImport: a.HasRole(gongkai.RoleEditor, rec.Org.ID) || a.CanAdminister(rec.Org),
		CanOverview: a.IsSupervisor(), NeedsRevisionNote: rec.Published()}
	page.Current = "/admin/annual-reports"
	for y := s.lastYear() + 1; y >= s.lastYear()-4; y-- {
		page.Years = append(page.Years, y)
	}
	// Earlier years: published or imported reports, for the carry-over
	// check and the year-on-year columns.
	var earlier []*annualreport.Report
	for y := year - 1; y >= year-2; y-- {
		prev, err := s.AnnualReports.FindAnnualReportSnapshot(ctx, code, y)
		switch gongkai.ErrorCode(err) {
		case "":
			earlier = append(earlier, prev)
		case gongkai.ENOTFOUND:
			earlier = append(earlier, nil)
		default:
			return nil, err
		}
	}
	problems := rep.Check(earlier[0])
	page.Blocking = annualreport.Blocking(problems)
	checks, marks := reportChecks(rep, problems, page.CanEdit)
	page.Checks, page.Marked = checks, len(marks) > 0
	for _, sec := range []string{"二", "三", "四"} {
		h, err := rep.MarkedTableHTML(sec, marks)
		if err != nil {
			return nil, err
		}
		page.Tables = append(page.Tables, h)
	}
	page.CompareYears, page.Comparison = comparison(rep, earlier)
	snap, err := s.AnnualReports.FindAnnualReportSnapshot(ctx, code, year)
	switch gongkai.ErrorCode(err) {
	case "":
		page.Snapshot = snap
		page.SnapshotKind = "已导入的历史报告"
		if rec.Published() {
			page.SnapshotKind = "已发布的报告"
		}
		for _, c := range annualreport.Diff(snap, rep) {
			page.Changes = append(page.Changes, ReportChange{Cell: c.Cell.String(), Was: cellText(c.Published, c.Decimals), Now: cellText(c.Current, c.Decimals)})
		}
		h := annualreport.Headings()
		for _, t := range []struct {
			heading, was, now string
		}{{h[0], snap.Texts.Overview, rep.Texts.Overview}, {h[4], snap.Texts.Shortcomings, rep.Texts.Shortcomings}, {h[5], snap.Texts.Other, rep.Texts.Other}} {
			if strings.TrimSpace(t.was) != strings.TrimSpace(t.now) {
				page.ProseChanged = append(page.ProseChanged, t.heading)
			}
		}
	case gongkai.ENOTFOUND:
	default:
		return nil, err
	}
	if form != nil {
		page.Form = *form
	} else {
		page.Form = ReportForm{Licensing: countText(rec.Licensing), Penalty: countText(rec.Penalty), Enforcement: countText(rec.Enforcement),
			Overview: rep.Texts.Overview, Shortcomings: rep.Texts.Shortcomings, Other: rep.Texts.Other}
		if rec.Fees != nil {
			page.Form.Fees = annualreport.Amount(*rec.Fees).String()
		}
	}
	return page, nil
}

func countText(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// cellText shows a value, or that the cell is empty or absent.
func cellText(v annualreport.Value, decimals int) string {
	if !v.Valid {
		return "（空）"
	}
	return v.Format(decimals)
}

// comparison lines up the cells of the current report with the same cells
// of earlier reports (matched by label, so a 2019-format report shows only
// the cells the formats share). Years without a report are left out.
func comparison(cur *annualreport.Report, earlier []*annualreport.Report) ([]int, []ComparisonRow) {
	years := []int{cur.Year}
	var reps []*annualreport.Report
	for _, e := range earlier {
		if e != nil {
			years = append(years, e.Year)
			reps = append(reps, e)
		}
	}
	if len(reps) == 0 {
		return nil, nil
	}
	var rows []ComparisonRow
	add := func(t *annualreport.Table, ri, ci int, group string) {
		row, col := t.Rows[ri], t.Columns[ci]
		ref := annualreport.CellRef{Section: t.Section, Heading: t.Heading, Row: row.Label, Column: col.Label, Groups: col.Groups}
		label := row.Label
		switch t.Section {
		case "三":
			if row.Level == 2 {
				label = group + row.Label // 1.其他 alone is ambiguous
			}
		case "二":
			label = t.Heading + " " + row.Label + "：" + col.Label
		case "四":
			label = col.Path()
		}
		cr := ComparisonRow{Table: "表" + t.Section, Label: label, Values: []string{cellText(row.Values[ci], col.Decimals)}}
		for i, e := range reps {
			v, ok := e.Lookup(ref)
			s := "—"
			if ok {
				s = cellText(v, col.Decimals)
			}
			cr.Values = append(cr.Values, s)
			if i == 0 && ok && v.Valid && row.Values[ci].Valid {
				d := row.Values[ci].N - v.N
				cr.Change = annualreport.Num(d).Format(col.Decimals)
				if d > 0 {
					cr.Change = "+" + cr.Change
				}
			}
		}
		rows = append(rows, cr)
	}
	for ti := range cur.Tables {
		t := &cur.Tables[ti]
		group := ""
		for ri, row := range t.Rows {
			if row.Group {
				if row.Level == 1 {
					group = row.Label
				}
				continue
			}
			for ci, col := range t.Columns {
				switch {
				case t.Section == "二",
					t.Section == "三" && col.Label == "总计",
					t.Section == "四" && col.Label == "总计":
					add(t, ri, ci, group)
				}
			}
		}
	}
	return years, rows
}

// adminReport is the report workspace (GET …/{org}/{year}) and its exports
// (…/{year}.docx|.xlsx|.json|.html, current data or ?published=1).
func (s *Server) adminReport(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("org")
	yearText, ext, _ := strings.Cut(r.PathValue("file"), ".")
	year, err := reportYear(yearText)
	if err != nil {
		return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的页面不存在。")
	}
	if ext != "" {
		var rep *annualreport.Report
		if r.URL.Query().Get("published") != "" {
			rep, err = s.AnnualReports.FindAnnualReportSnapshot(r.Context(), code, year)
		} else {
			rep, err = s.AnnualReports.CompileAnnualReport(r.Context(), code, year)
		}
		if err != nil {
			return err
		}
		return writeReport(w, rep, ext)
	}
	page, err := s.reportPage(w, r, code, year, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/annual_report", page)
}

// writeReport sends a report as a download in one of the export formats.
func writeReport(w http.ResponseWriter, rep *annualreport.Report, format string) error {
	var b bytes.Buffer
	var ct string
	var err error
	switch format {
	case "json":
		ct, err = "application/json; charset=utf-8", annualreport.Encode(&b, rep)
	case "docx":
		ct, err = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", rep.WriteDOCX(&b)
	case "xlsx":
		ct, err = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", rep.WriteXLSX(&b)
	case "html":
		ct, err = "text/html; charset=utf-8", rep.WriteHTML(&b)
	default:
		return gongkai.Errorf(gongkai.ENOTFOUND, "不支持导出为“%s”格式；可选 docx、xlsx、json、html。", format)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(rep.Title()+"."+format))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}

func reportFormFrom(r *http.Request) ReportForm {
	return ReportForm{Licensing: r.PostFormValue("licensing"), Penalty: r.PostFormValue("penalty"), Enforcement: r.PostFormValue("enforcement"),
		Fees: r.PostFormValue("fees"), Overview: r.PostFormValue("overview"), Shortcomings: r.PostFormValue("shortcomings"), Other: r.PostFormValue("other")}
}

func (s *Server) adminReportSave(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("org")
	year, err := reportYear(r.PathValue("year"))
	if err != nil {
		return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的页面不存在。")
	}
	f := reportFormFrom(r)
	_, err = s.AnnualReports.SaveAnnualReport(r.Context(), code, year, gongkai.AnnualReportUpdate{
		Licensing: &f.Licensing, Penalty: &f.Penalty, Enforcement: &f.Enforcement, Fees: &f.Fees,
		Overview: &f.Overview, Shortcomings: &f.Shortcomings, Other: &f.Other})
	if err == nil {
		return s.redirectFlash(w, r, reportPath(code, year), "report-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.reportPage(w, r, code, year, &f)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/annual_report", page)
}

func reportPath(code string, year int) string {
	return "/admin/annual-reports/" + url.PathEscape(code) + "/" + strconv.Itoa(year)
}

func (s *Server) adminReportSubmit(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("org")
	year, err := reportYear(r.PathValue("year"))
	if err != nil {
		return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的页面不存在。")
	}
	d, err := s.AnnualReports.SubmitAnnualReport(r.Context(), code, year, r.PostFormValue("revisionNote"))
	if err == nil {
		flash := "report-submitted"
		if d.Status == gongkai.DocumentPublished {
			flash = "document-published"
		}
		return s.redirectFlash(w, r, reportPath(code, year), flash)
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.reportPage(w, r, code, year, nil)
	if err != nil {
		return err
	}
	page.SubmitProblems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/annual_report", page)
}

func (s *Server) adminReportImport(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("org")
	back, err := reportYear(r.PostFormValue("back"))
	if err != nil {
		back = s.lastYear()
	}
	var src io.Reader = strings.NewReader(r.PostFormValue("json"))
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		src = f
	}
	rep, err := s.AnnualReports.ImportAnnualReport(r.Context(), code, src)
	if err == nil {
		return s.redirectFlash(w, r, reportPath(code, rep.Year), "report-imported")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.reportPage(w, r, code, back, nil)
	if err != nil {
		return err
	}
	page.ImportProblems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/annual_report", page)
}

// AnnualReportsPage lists the reports of the actor's orgs for a year.
type AnnualReportsPage struct {
	AdminBase
	Year        int
	Years       []int
	Rows        []*gongkai.AnnualReportProgress
	Supervised  []gongkai.Grant
	Reminders   []*gongkai.Notice
	CanOverview bool
}

func (s *Server) adminReports(w http.ResponseWriter, r *http.Request) error {
	year := s.lastYear()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := reportYear(v)
		if err != nil {
			return err
		}
		year = y
	}
	rows, err := s.AnnualReports.FindAnnualReportProgress(r.Context(), "", year)
	if err != nil {
		return err
	}
	a := gongkai.ActorFrom(r.Context())
	page := AnnualReportsPage{AdminBase: s.adminBase(w, r, "年度报告"), Year: year, Rows: rows, CanOverview: a.IsSupervisor()}
	for y := s.lastYear() + 1; y >= s.lastYear()-4; y-- {
		page.Years = append(page.Years, y)
	}
	seen := map[int64]bool{}
	for _, g := range a.Grants {
		if (g.Role == gongkai.RoleSupervisor || g.Role == gongkai.RoleAdmin) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			page.Supervised = append(page.Supervised, g)
		}
	}
	if s.Applications != nil {
		notices, _, err := s.Applications.FindNotices(r.Context(), true, 50)
		if err != nil {
			return err
		}
		for _, n := range notices {
			if n.ApplicationID == 0 && n.DocumentID == 0 {
				page.Reminders = append(page.Reminders, n)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "admin/annual_reports", page)
}

// ReportOverviewPage is the 政务公开办's overview: which orgs have
// published the year's report, on time or not.
type ReportOverviewPage struct {
	AdminBase
	Org        *gongkai.Org
	Year       int
	Years      []int
	Orgs       []gongkai.Grant // the orgs the actor supervises, to choose from
	Rows       []*gongkai.AnnualReportProgress
	OnTime     int
	Late       int
	Unpub      int
	Overdue    int
	NoData     int // orgs without data on the platform for the year
	CanRemind  bool
	RemindSent int
}

func (s *Server) adminReportOverview(w http.ResponseWriter, r *http.Request) error {
	page, err := s.overviewPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/annual_report_overview", page)
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) (*ReportOverviewPage, error) {
	a := gongkai.ActorFrom(r.Context())
	q := r.URL.Query()
	page := &ReportOverviewPage{AdminBase: s.adminBase(w, r, "年度报告发布情况"), Year: s.lastYear()}
	page.Current = "/admin/annual-reports"
	seen := map[int64]bool{}
	for _, g := range a.Grants {
		if (g.Role == gongkai.RoleSupervisor || g.Role == gongkai.RoleAdmin) && !seen[g.OrgID] {
			seen[g.OrgID] = true
			page.Orgs = append(page.Orgs, g)
		}
	}
	code := q.Get("org")
	if code == "" {
		if len(page.Orgs) == 0 {
			return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "年度报告发布情况供政务公开办（监督人员、管理员）查看；您没有监督或管理的机构。")
		}
		code = page.Orgs[0].OrgCode
	}
	if v := q.Get("year"); v != "" {
		y, err := reportYear(v)
		if err != nil {
			return nil, err
		}
		page.Year = y
	}
	for y := s.lastYear(); y >= s.lastYear()-4; y-- {
		page.Years = append(page.Years, y)
	}
	rows, err := s.AnnualReports.FindAnnualReportProgress(r.Context(), code, page.Year)
	if err != nil {
		return nil, err
	}
	page.Rows = rows
	if len(rows) > 0 {
		page.Org = rows[0].Org
	}
	for _, p := range rows {
		switch {
		case p.OnTime():
			page.OnTime++
		case !p.FirstPublishedAt.IsZero():
			page.Late++
		case p.State == gongkai.ReportImported:
		case p.State == gongkai.ReportNoData:
			page.NoData++
		default:
			page.Unpub++
			if p.Overdue() {
				page.Overdue++
			}
		}
	}
	page.CanRemind = page.Unpub > 0 && page.Year < gongkai.DateOf(s.Now()).Year
	return page, nil
}

func (s *Server) adminReportRemind(w http.ResponseWriter, r *http.Request) error {
	year, err := reportYear(r.PostFormValue("year"))
	if err != nil {
		return err
	}
	code := r.PostFormValue("org")
	n, err := s.AnnualReports.RequestAnnualReportReminders(r.Context(), code, year)
	if err != nil {
		return err
	}
	flash := "report-reminded"
	if n == 0 {
		flash = "report-none-to-remind"
	}
	return s.redirectFlash(w, r, "/admin/annual-reports/overview?org="+url.QueryEscape(code)+"&year="+strconv.Itoa(year), flash)
}

// ReportRollupPage is a 政务公开办's sum of reports, for internal use.
type ReportRollupPage struct {
	AdminBase
	Year     int
	Codes    []string
	Names    []string
	Report   *annualreport.Report
	Tables   []template.HTML
	Query    string
	Problems gongkai.Problems
}

// adminReportRollup sums the reports of the orgs chosen on the overview
// (?year=Y&org=A&org=B…), as a page or, with &format=, an export.
func (s *Server) adminReportRollup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	year, err := reportYear(q.Get("year"))
	if err != nil {
		return err
	}
	codes := q["org"]
	rep, err := s.AnnualReports.SumAnnualReports(r.Context(), codes, year)
	if err != nil {
		return err
	}
	if f := q.Get("format"); f != "" {
		return writeReport(w, rep, f)
	}
	page := ReportRollupPage{AdminBase: s.adminBase(w, r, fmt.Sprintf("%d年年度报告汇总", year)), Year: year, Codes: codes, Report: rep}
	page.Current = "/admin/annual-reports"
	v := url.Values{"year": {strconv.Itoa(year)}, "org": codes}
	page.Query = v.Encode()
	for _, sec := range []string{"二", "三", "四"} {
		h, err := rep.TableHTML(sec)
		if err != nil {
			return err
		}
		page.Tables = append(page.Tables, h)
	}
	return s.render(w, r, http.StatusOK, "admin/annual_report_rollup", page)
}

// apiAnnualReport: GET /api/v1/annual-reports/{orgCode}/{year}. With a
// staff token: compiled from the current data, or with ?published=true the
// frozen snapshot (or the imported history). Without a token only
// ?published=true is answered, with a report whose page is on the portal.
func (s *Server) apiAnnualReport(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("orgCode")
	year, err := reportYear(r.PathValue("year"))
	if err != nil {
		return err
	}
	var published bool
	switch v := r.URL.Query().Get("published"); v {
	case "", "false", "0":
	case "true", "1":
		published = true
	default:
		return gongkai.FieldError("published", "参数 published 应为 true 或 false。")
	}
	if _, ok := bearer(r); !ok {
		if !published {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "按当前数据编制的年度报告仅供工作人员使用，请提供访问令牌（Authorization: Bearer …）；已发布的年度报告可加 ?published=true 公开获取。")
		}
		rep, err := s.AnnualReports.FindPublicAnnualReport(r.Context(), code, year)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rep)
	}
	return s.apiAuth(func(w http.ResponseWriter, r *http.Request) error {
		var rep *annualreport.Report
		var err error
		if published {
			rep, err = s.AnnualReports.FindAnnualReportSnapshot(r.Context(), code, year)
		} else {
			rep, err = s.AnnualReports.CompileAnnualReport(r.Context(), code, year)
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rep)
	})(w, r)
}

// publicReportHTML is the published report of a document in the 年报
// column, for its portal page; "" when the document is no such report
// (an archived report imported as a plain document shows its body).
func (s *Server) publicReportHTML(ctx context.Context, tree *columnTree, d *gongkai.PublicDocument) (template.HTML, error) {
	if s.AnnualReports == nil {
		return "", nil
	}
	inReport := false
	for _, id := range d.Columns {
		if c := tree.byID[id]; c != nil && taxonomy.Kind(c.Kind) == taxonomy.KindReport {
			inReport = true
		}
	}
	if !inReport {
		return "", nil
	}
	rep, err := s.AnnualReports.PublicAnnualReport(ctx, d.ID)
	if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return rep.HTML()
}
