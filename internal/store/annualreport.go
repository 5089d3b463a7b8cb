package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/taxonomy"
)

// The annual report (issue 5). The report's tables are compiled from the
// data every time they are asked for (tx.compileReport); what is stored is
// what staff entered (figures kept in other systems, prose), the link to
// the report's document in the 政府信息公开年报 column, and the report as
// JSON when it was submitted for review, when it was published and when an
// earlier year's report was imported.
//
// Publication goes through the documents' 三审 review. Two hooks in the
// documents code tie them together:
//
//   - SubmitDocument calls refreshReportDocument: when the document is an
//     annual report it is compiled again from the current data, checked
//     (a blocking problem refuses the submission), rendered into the
//     document's title and body, and kept as the submitted snapshot. So a
//     report resubmitted after a rejection, by whatever path, is checked
//     and current.
//   - publish calls freezeReport: the submitted snapshot, which is what the
//     reviewers approved, becomes the published snapshot.

// Who may do what with an org's reports.
type reportAccess int

const (
	// reportRead: staff of the org, and supervisors and admins above it.
	reportRead reportAccess = iota
	// reportWrite: the org's editors, who draft its documents and submit
	// the report for review.
	reportWrite
	// reportImport: the org's editors and the admins above it (bringing in
	// history is part of setting the platform up).
	reportImport
)

// reportOrg finds the org by code and checks the actor's access to its
// reports.
func (tx *Tx) reportOrg(ctx context.Context, code string, need reportAccess) (*gongkai.Org, error) {
	a := tx.actor
	if a == nil {
		return nil, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, gongkai.FieldError("org", "请指定机关（机构代码）。")
	}
	org, err := tx.findOrgByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if a.System {
		return org, nil
	}
	switch need {
	case reportWrite:
		if a.HasRole(gongkai.RoleEditor, org.ID) {
			return org, nil
		}
		return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的编辑可以编制和提交该机关的年度报告。", org.Name)
	case reportImport:
		if a.HasRole(gongkai.RoleEditor, org.ID) || a.CanAdminister(org) {
			return org, nil
		}
		return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的编辑或其上级管理员可以导入该机关的历史年度报告。", org.Name)
	}
	if a.CanSupervise(org) {
		return org, nil
	}
	for _, g := range a.Grants {
		if g.OrgID == org.ID {
			return org, nil
		}
	}
	return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您无权查看“%s”的年度报告。", org.Name)
}

// reportKind is the org's kind in the report's terms.
func reportKind(org *gongkai.Org) annualreport.OrgKind {
	if org.Kind == gongkai.OrgGovernment {
		return annualreport.OrgGovernment
	}
	return annualreport.OrgDepartment
}

func reportOrgOf(org *gongkai.Org) annualreport.Org {
	return annualreport.Org{Code: org.Code, Name: org.Name, Kind: reportKind(org)}
}

// firstReportYear is the earliest year the org's report can be compiled
// from the platform's data: the year of its earliest application, appeal or
// published document, and at the latest the year before the org was
// registered here (the first report a newly registered organ has to
// publish, usually with figures typed in). Earlier years would compile to
// empty tables that look like real zeros; their reports are imported.
func (tx *Tx) firstReportYear(ctx context.Context, org *gongkai.Org) (int, error) {
	first := gongkai.DateOf(org.CreatedAt).Year - 1
	var received, filed, signed gongkai.Date
	var published sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT MIN(received_on) FROM applications WHERE org_id = $1),
		(SELECT MIN(p.filed_on) FROM application_appeals p JOIN applications a ON a.id = p.application_id WHERE a.org_id = $1),
		(SELECT MIN(signed_on) FROM document_public WHERE org_id = $1 AND state <> 'erroneous'),
		(SELECT MIN(year) FROM document_public WHERE org_id = $1 AND state <> 'erroneous')`, org.ID).Scan(&received, &filed, &signed, &published)
	if err != nil {
		return 0, err
	}
	for _, d := range []gongkai.Date{received, filed, signed} {
		if !d.IsZero() && d.Year < first {
			first = d.Year
		}
	}
	if published.Valid && int(published.Int64) < first {
		first = int(published.Int64)
	}
	return max(first, annualreport.FirstYear), nil
}

// checkReportYear refuses a year the org's report cannot be compiled for.
func (tx *Tx) checkReportYear(ctx context.Context, org *gongkai.Org, year int) error {
	today := tx.today()
	switch {
	case year > today.Year:
		return gongkai.FieldError("year", fmt.Sprintf("%d年尚未到来，不能编制该年度的年度报告。", year))
	case year < annualreport.FirstYear:
		return gongkai.FieldError("year", fmt.Sprintf("年度应不早于%d年（《政府信息公开条例》自%d年5月1日起施行）。", annualreport.FirstYear, annualreport.FirstYear))
	}
	first, err := tx.firstReportYear(ctx, org)
	if err != nil {
		return err
	}
	if year < first {
		return gongkai.FieldError("year", fmt.Sprintf("本平台没有“%s”%d年的数据（最早的数据属于%d年），不能据此编制该年度的年度报告；此前年度的报告请以JSON格式导入，用于同比对照。", org.Name, year, first))
	}
	return nil
}

// reportRow is an annual_reports row with its document's state.
type reportRow struct {
	rec                            gongkai.AnnualReport
	exists                         bool
	submitted, published, imported string
}

// loadReportRow reads the org's report record of the year; a record that
// does not exist yet comes back empty (exists false).
func (tx *Tx) loadReportRow(ctx context.Context, org *gongkai.Org, year int) (*reportRow, error) {
	row := &reportRow{rec: gongkai.AnnualReport{Org: org, Year: year, Deadline: annualreport.Deadline(reportKind(org), year)}}
	var licensing, penalty, enforcement, fees, docID sql.NullInt64
	var submitted, published, imported, status, state sql.NullString
	var submittedAt, publishedAt, importedAt, firstAt sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT r.licensing, r.penalty, r.enforcement, r.fees, r.overview, r.shortcomings, r.other,
		r.document_id, d.status, p.state, r.submitted, r.submitted_at, r.published, r.published_at, r.imported, r.imported_at,
		d.published_at, r.updated_at, r.updated_by
		FROM annual_reports r LEFT JOIN documents d ON d.id = r.document_id LEFT JOIN document_public p ON p.id = r.document_id
		WHERE r.org_id = $1 AND r.year = $2`, org.ID, year).Scan(&licensing, &penalty, &enforcement, &fees,
		&row.rec.Overview, &row.rec.Shortcomings, &row.rec.Other, &docID, &status, &state,
		&submitted, &submittedAt, &published, &publishedAt, &imported, &importedAt, &firstAt, &row.rec.UpdatedAt, &row.rec.UpdatedBy)
	if isNoRows(err) {
		return row, nil
	}
	if err != nil {
		return nil, err
	}
	row.exists = true
	r := &row.rec
	r.Licensing, r.Penalty, r.Enforcement, r.Fees = nullInt64(licensing), nullInt64(penalty), nullInt64(enforcement), nullInt64(fees)
	r.DocumentID, r.DocumentStatus = docID.Int64, gongkai.DocumentStatus(status.String)
	r.Live = state.String == string(gongkai.PublicPublished) || state.String == string(gongkai.PublicWithdrawn)
	row.submitted, row.published, row.imported = submitted.String, published.String, imported.String
	r.SubmittedAt, r.PublishedAt, r.ImportedAt = utcOf(submittedAt), utcOf(publishedAt), utcOf(importedAt)
	if state.String != "" && state.String != string(gongkai.PublicErroneous) {
		r.FirstPublishedAt = utcOf(firstAt)
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	return row, nil
}

func nullInt64(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

func utcOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// reportInput gathers everything Compile needs for the org's year.
func (tx *Tx) reportInput(ctx context.Context, org *gongkai.Org, year int, row *reportRow, refs bool) (annualreport.Input, error) {
	in := annualreport.Input{Org: reportOrgOf(org), Year: year, Today: tx.today()}
	r := &row.rec
	in.Figures = annualreport.Figures{Licensing: r.Licensing, Penalty: r.Penalty, Enforcement: r.Enforcement}
	if r.Fees != nil {
		a := annualreport.Amount(*r.Fees)
		in.Figures.Fees = &a
	}
	in.Texts = annualreport.Texts{Overview: r.Overview, Shortcomings: r.Shortcomings, Other: r.Other}
	jan1 := gongkai.NewDate(year, time.January, 1)
	dec31 := gongkai.NewDate(year, time.December, 31)
	var err error
	if in.Applications, err = tx.reportApplications(ctx, org.ID, jan1, dec31, refs); err != nil {
		return in, err
	}
	if in.Appeals, err = tx.reportAppeals(ctx, org.ID, jan1, dec31); err != nil {
		return in, err
	}
	if in.Documents, err = tx.reportDocuments(ctx, org.ID); err != nil {
		return in, err
	}
	if in.FeeNotices, err = tx.reportFeeNotices(ctx, org.ID); err != nil {
		return in, err
	}
	if in.Published, err = tx.reportPublished(ctx, org.ID, year); err != nil {
		return in, err
	}
	err = tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT r.from_id) FROM document_public_relations r JOIN document_public p ON p.id = r.from_id
		WHERE r.kind = 'interprets' AND p.org_id = $1 AND p.year = $2 AND p.state <> 'erroneous'`, org.ID, year).Scan(&in.Interpretations)
	return in, err
}

// reportApplications are the applications that can touch the year: received
// by 31 December and not closed before 1 January. Online submissions not
// yet confirmed have no receipt date and are not received in the sense of
// Art. 31, so they are left out.
//
// This is the one query that grows with an org's caseload (100,000 rows is
// the target), so it reads as little as it can: dates as YYYYMMDD
// integers (no date parsing, no strings), codes through reused buffers,
// and the application's number only when refs is set — Compile uses the
// number only to name an inconsistent application, so the store asks again
// with refs when Compile refuses the data.
func (tx *Tx) reportApplications(ctx context.Context, orgID int64, jan1, dec31 gongkai.Date, refs bool) ([]annualreport.Application, error) {
	ref := `''`
	if refs {
		ref = `tracking_no`
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+ref+`, applicant_kind, `+dateInt(tx.db.dialect, "received_on")+`, `+dateInt(tx.db.dialect, "due_on")+`,
		`+dateInt(tx.db.dialect, "closed_on")+`, COALESCE(outcome, '') FROM applications
		WHERE org_id = $1 AND received_on <= $2 AND (closed_on IS NULL OR closed_on >= $3)`, orgID, dec31, jan1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]annualreport.Application, 0, 1024)
	var no, kind, outcome sql.RawBytes
	var received, due, closed sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&no, &kind, &received, &due, &closed, &outcome); err != nil {
			return nil, err
		}
		a := annualreport.Application{Applicant: applicantKinds[string(kind)], Outcome: outcomes[string(outcome)],
			ReceivedOn: intDate(received), DueOn: intDate(due), ClosedOn: intDate(closed)}
		if a.Applicant == "" {
			a.Applicant = gongkai.ApplicantKind(kind) // unknown: Compile names it
		}
		if a.Outcome == "" && len(outcome) > 0 {
			a.Outcome = gongkai.Outcome(outcome)
		}
		if refs {
			a.Ref = string(no)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// The codes, so that a row's code maps to a shared string instead of a new
// one per row.
var (
	applicantKinds = map[string]gongkai.ApplicantKind{}
	outcomes       = map[string]gongkai.Outcome{}
)

func init() {
	for _, k := range gongkai.ApplicantKinds {
		applicantKinds[string(k)] = k
	}
	for _, o := range gongkai.Outcomes {
		outcomes[string(o)] = o
	}
}

// intDate decodes a YYYYMMDD integer (dateInt); NULL is the zero Date.
func intDate(v sql.NullInt64) gongkai.Date {
	if !v.Valid {
		return gongkai.Date{}
	}
	n := int(v.Int64)
	return gongkai.Date{Year: n / 10000, Month: time.Month(n / 100 % 100), Day: n % 100}
}

// reportAppeals are the appeals pending at some time in the year.
func (tx *Tx) reportAppeals(ctx context.Context, orgID int64, jan1, dec31 gongkai.Date) ([]annualreport.Appeal, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.tracking_no, p.id, p.kind, p.filed_on, p.result, p.closed_on
		FROM application_appeals p JOIN applications a ON a.id = p.application_id
		WHERE a.org_id = $1 AND p.filed_on <= $2 AND (p.closed_on IS NULL OR p.closed_on >= $3) ORDER BY p.id`, orgID, dec31, jan1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annualreport.Appeal
	for rows.Next() {
		var p annualreport.Appeal
		var no, kind, result string
		var id int64
		if err := rows.Scan(&no, &id, &kind, &p.FiledOn, &result, &p.ClosedOn); err != nil {
			return nil, err
		}
		p.Ref = fmt.Sprintf("%s（第%d号复议诉讼记录）", no, id)
		p.Kind, p.Result = annualreport.AppealKind(kind), annualreport.AppealResult(result)
		out = append(out, p)
	}
	return out, rows.Err()
}

// reportDocuments are the org's issued 规章 and 行政规范性文件: documents with
// a public version (withdrawn ones too: they were issued; not those
// published in error) listed in the 规章 or 行政规范性文件 column or a
// column below them. The public version's 成文日期 and 有效性 count, since a
// revision in progress changes nothing until it is published. A document
// that is no longer in force without a recorded date is taken as ending on
// the day its public version last changed, the best evidence there is.
func (tx *Tx) reportDocuments(ctx context.Context, orgID int64) ([]annualreport.Document, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.index_no, p.signed_on, p.published_at, p.validity, p.validity_on, p.updated_at,
		MAX(CASE WHEN k.slug = 'gz' THEN 1 ELSE 0 END)
		FROM document_public p
		JOIN document_columns dc ON dc.document_id = p.id
		JOIN site_columns c ON c.id = dc.column_id
		JOIN site_columns k ON k.site_id = c.site_id AND k.slug IN ('gz', 'gfxwj') AND c.path LIKE k.path || '%'
		WHERE p.org_id = $1 AND p.state <> 'erroneous'
		GROUP BY p.id, p.index_no, p.signed_on, p.published_at, p.validity, p.validity_on, p.updated_at ORDER BY p.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annualreport.Document
	for rows.Next() {
		var d annualreport.Document
		var id int64
		var validity string
		var validityOn gongkai.Date
		var updated time.Time
		var rule int
		if err := rows.Scan(&id, &d.Ref, &d.SignedOn, &d.PublishedAt, &validity, &validityOn, &updated, &rule); err != nil {
			return nil, err
		}
		d.PublishedAt = d.PublishedAt.UTC()
		d.Kind = annualreport.DocumentNormative
		if rule == 1 {
			d.Kind = annualreport.DocumentRule
		}
		if !taxonomy.Validity(validity).InForce() {
			d.RepealedOn = validityOn
			if d.RepealedOn.IsZero() {
				d.RepealedOn = gongkai.DateOf(updated)
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// reportFeeNotices are the org's 信息处理费 收费通知 with the date each was
// paid (the first payment recorded after it).
func (tx *Tx) reportFeeNotices(ctx context.Context, orgID int64) ([]annualreport.FeeNotice, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.tracking_no, n.on_date, COALESCE(n.fee_amount, 0),
		(SELECT MIN(p.on_date) FROM application_events p WHERE p.application_id = n.application_id AND p.kind = 'fee_paid' AND p.seq > n.seq)
		FROM application_events n JOIN applications a ON a.id = n.application_id
		WHERE n.kind = 'fee_notified' AND a.org_id = $1 ORDER BY n.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annualreport.FeeNotice
	for rows.Next() {
		var n annualreport.FeeNotice
		var yuan int64
		if err := rows.Scan(&n.Ref, &n.IssuedOn, &yuan, &n.PaidOn); err != nil {
			return nil, err
		}
		n.Amount = annualreport.Amount(yuan * 100) // fee_amount is whole 元; Amount is 分
		out = append(out, n)
	}
	return out, rows.Err()
}

// reportPublished counts the org's documents first published in the year,
// by column, for the draft of section 一.
func (tx *Tx) reportPublished(ctx context.Context, orgID int64, year int) ([]annualreport.ColumnCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.name, COUNT(*) FROM document_public p
		JOIN document_columns dc ON dc.document_id = p.id JOIN site_columns c ON c.id = dc.column_id
		WHERE p.org_id = $1 AND p.year = $2 AND p.state <> 'erroneous'
		GROUP BY c.name ORDER BY COUNT(*) DESC, c.name`, orgID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annualreport.ColumnCount
	for rows.Next() {
		var c annualreport.ColumnCount
		if err := rows.Scan(&c.Column, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// compileReport compiles the org's report of the year from the current
// data and what staff entered.
func (tx *Tx) compileReport(ctx context.Context, org *gongkai.Org, year int) (*annualreport.Report, *reportRow, error) {
	if err := tx.checkReportYear(ctx, org, year); err != nil {
		return nil, nil, err
	}
	row, err := tx.loadReportRow(ctx, org, year)
	if err != nil {
		return nil, nil, err
	}
	in, err := tx.reportInput(ctx, org, year, row, false)
	if err != nil {
		return nil, nil, err
	}
	rep, err := annualreport.Compile(in)
	if gongkai.ErrorCode(err) == gongkai.EINVALID {
		// Inconsistent data: read it again with the applications'
		// numbers, so that the message names them.
		if in, err = tx.reportInput(ctx, org, year, row, true); err != nil {
			return nil, nil, err
		}
		rep, err = annualreport.Compile(in)
	}
	if err != nil {
		return nil, nil, err
	}
	return rep, row, nil
}

// decodeSnapshot reads a stored report JSON.
func (tx *Tx) decodeSnapshot(s string) (*annualreport.Report, error) {
	r, err := annualreport.Decode(strings.NewReader(s), tx.today())
	if err != nil {
		return nil, fmt.Errorf("stored annual report: %w", err)
	}
	return r, nil
}

// snapshot returns the report of the year as published here or, failing
// that, as imported; nil when there is neither.
func (tx *Tx) snapshot(ctx context.Context, org *gongkai.Org, year int) (*annualreport.Report, error) {
	var published, imported sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT published, imported FROM annual_reports WHERE org_id = $1 AND year = $2`, org.ID, year).Scan(&published, &imported)
	switch {
	case isNoRows(err):
		return nil, nil
	case err != nil:
		return nil, err
	case published.Valid:
		return tx.decodeSnapshot(published.String)
	case imported.Valid:
		return tx.decodeSnapshot(imported.String)
	}
	return nil, nil
}

// FindAnnualReport returns what is stored about the org's report of the
// year (an empty record if nothing has been entered yet).
func (db *DB) FindAnnualReport(ctx context.Context, orgCode string, year int) (*gongkai.AnnualReport, error) {
	var out *gongkai.AnnualReport
	err := db.inReadTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportRead)
		if err != nil {
			return err
		}
		if year < annualreport.FirstYear || year > tx.today().Year {
			return tx.checkReportYear(ctx, org, year)
		}
		row, err := tx.loadReportRow(ctx, org, year)
		if err != nil {
			return err
		}
		out = &row.rec
		return nil
	})
	return out, err
}

// CompileAnnualReport compiles the org's report of the year from the
// current data: the figures and prose staff saved, drafts for prose not
// yet written. During the year itself the report is provisional (AsOf
// set). A year in the future, before the platform's data for the org, or an
// unknown org is refused.
func (db *DB) CompileAnnualReport(ctx context.Context, orgCode string, year int) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inReadTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportRead)
		if err != nil {
			return err
		}
		out, _, err = tx.compileReport(ctx, org, year)
		return err
	})
	return out, err
}

// FindAnnualReportSnapshot returns the org's report of the year as it was
// published here (the frozen snapshot) or, when it was not, as imported
// from an earlier system; ENOTFOUND when there is neither.
func (db *DB) FindAnnualReportSnapshot(ctx context.Context, orgCode string, year int) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inReadTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportRead)
		if err != nil {
			return err
		}
		if out, err = tx.snapshot(ctx, org, year); err != nil {
			return err
		}
		if out == nil {
			return gongkai.Errorf(gongkai.ENOTFOUND, "“%s”%d年的年度报告尚未发布，也没有导入。", org.Name, year)
		}
		return nil
	})
	return out, err
}

// PublicAnnualReport returns the published snapshot of the report whose
// document is documentID, for its portal page; anyone may read it once the
// document is public. ENOTFOUND when the document is no published report.
func (db *DB) PublicAnnualReport(ctx context.Context, documentID int64) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var js string
		err := tx.hotQueryRow(ctx, `SELECT r.published FROM annual_reports r JOIN document_public p ON p.id = r.document_id
			WHERE r.document_id = $1 AND r.published IS NOT NULL AND p.state <> 'erroneous'`, documentID).Scan(&js)
		if isNoRows(err) {
			return gongkai.Errorf(gongkai.ENOTFOUND, "没有这份年度报告。")
		}
		if err != nil {
			return err
		}
		out, err = tx.decodeSnapshot(js)
		return err
	})
	return out, err
}

// FindPublicAnnualReport returns the published snapshot of the org's report
// of the year while its page is on the portal: what the public API serves
// without a token. ENOTFOUND otherwise.
func (db *DB) FindPublicAnnualReport(ctx context.Context, orgCode string, year int) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var js string
		err := tx.QueryRowContext(ctx, `SELECT r.published FROM annual_reports r JOIN orgs o ON o.id = r.org_id JOIN document_public p ON p.id = r.document_id
			WHERE o.code = $1 AND r.year = $2 AND r.published IS NOT NULL AND p.state = 'published'`, orgCode, year).Scan(&js)
		if isNoRows(err) {
			return gongkai.Errorf(gongkai.ENOTFOUND, "“%s”%d年的年度报告尚未在网站上发布。", orgCode, year)
		}
		if err != nil {
			return err
		}
		out, err = tx.decodeSnapshot(js)
		return err
	})
	return out, err
}

// maxReportText caps each prose section.
const maxReportText = 20000

// SaveAnnualReport saves the figures and prose staff entered. Every figure
// is checked first (a whole number, or for 行政事业性收费 an amount of 万元
// with at most two decimals, never negative) and nothing is saved unless
// all are right. Prose equal to the computed draft is stored as empty, so
// it keeps following the data.
func (db *DB) SaveAnnualReport(ctx context.Context, orgCode string, year int, u gongkai.AnnualReportUpdate) (*gongkai.AnnualReport, error) {
	var out *gongkai.AnnualReport
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportWrite)
		if err != nil {
			return err
		}
		rep, row, err := tx.compileReport(ctx, org, year)
		if err != nil {
			return err
		}
		before := row.rec
		r := &row.rec
		var p gongkai.Problems
		for _, f := range []struct {
			field, label string
			src          *string
			dst          **int64
			amount       bool
		}{
			{"licensing", "行政许可本年处理决定数量", u.Licensing, &r.Licensing, false},
			{"penalty", "行政处罚本年处理决定数量", u.Penalty, &r.Penalty, false},
			{"enforcement", "行政强制本年处理决定数量", u.Enforcement, &r.Enforcement, false},
			{"fees", "行政事业性收费本年收费金额", u.Fees, &r.Fees, true},
		} {
			if f.src == nil {
				continue
			}
			s := strings.TrimSpace(*f.src)
			if s == "" {
				*f.dst = nil
				continue
			}
			var n int64
			var err error
			if f.amount {
				var a annualreport.Amount
				a, err = annualreport.ParseAmount(s)
				n = int64(a)
			} else {
				n, err = annualreport.ParseCount(s)
			}
			if err != nil {
				p.Add(f.field, f.label+"：“"+s+"”"+figureFault(gongkai.ErrorMessage(err)))
				continue
			}
			*f.dst = &n
		}
		for _, f := range []struct {
			field, label string
			src          *string
			dst          *string
			draft        string
		}{
			{"overview", "一、总体情况", u.Overview, &r.Overview, rep.Drafts.Overview},
			{"shortcomings", "五、存在的主要问题及改进情况", u.Shortcomings, &r.Shortcomings, rep.Drafts.Shortcomings},
			{"other", "六、其他需要报告的事项", u.Other, &r.Other, rep.Drafts.Other},
		} {
			if f.src == nil {
				continue
			}
			s := strings.TrimSpace(strings.ReplaceAll(*f.src, "\r\n", "\n"))
			if utf8.RuneCountInString(s) > maxReportText {
				p.Add(f.field, fmt.Sprintf("“%s”不能超过%d个字。", f.label, maxReportText))
				continue
			}
			if s == strings.TrimSpace(f.draft) {
				s = ""
			}
			*f.dst = s
		}
		if err := p.Err(); err != nil {
			return err
		}
		r.UpdatedAt, r.UpdatedBy = tx.now, actorName(tx.actor)
		if _, err := tx.ExecContext(ctx, `INSERT INTO annual_reports (org_id, year, licensing, penalty, enforcement, fees, overview, shortcomings, other, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (org_id, year) DO UPDATE SET licensing = excluded.licensing, penalty = excluded.penalty, enforcement = excluded.enforcement,
			fees = excluded.fees, overview = excluded.overview, shortcomings = excluded.shortcomings, other = excluded.other,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			org.ID, year, ptrArg(r.Licensing), ptrArg(r.Penalty), ptrArg(r.Enforcement), ptrArg(r.Fees), r.Overview, r.Shortcomings, r.Other,
			ts(tx.now), r.UpdatedBy); err != nil {
			return err
		}
		if err := tx.audit(ctx, auditEntry{Action: "annual_report.save", ObjectType: "annual_report", ObjectID: reportID(org, year), Org: org,
			Before: reportAuditView(&before), After: reportAuditView(r)}); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// figureFault turns a message of annualreport.ParseCount/ParseAmount
// ("数量“abc”不是有效的数字。", "金额最多保留2位小数。") into the part that follows
// the figure's own name and the quoted input in SaveAnnualReport's message:
// "不是有效的数字。", "最多保留2位小数。".
func figureFault(msg string) string {
	for _, what := range []string{"数量", "金额"} {
		msg = strings.TrimPrefix(msg, what)
	}
	if strings.HasPrefix(msg, "“") {
		if _, rest, ok := strings.Cut(msg, "”"); ok {
			msg = rest
		}
	}
	return msg
}

func ptrArg(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}

func reportID(org *gongkai.Org, year int) string { return fmt.Sprintf("%s/%d", org.Code, year) }

// reportAuditView is what the audit log keeps of a save.
func reportAuditView(r *gongkai.AnnualReport) map[string]any {
	return map[string]any{"licensing": r.Licensing, "penalty": r.Penalty, "enforcement": r.Enforcement, "fees": r.Fees,
		"overview": r.Overview, "shortcomings": r.Shortcomings, "other": r.Other}
}

// reportBlocked is the error of a submission Check refuses: every blocking
// problem, named by its cell.
func reportBlocked(rep *annualreport.Report, problems []annualreport.Problem) error {
	var p gongkai.Problems
	for _, x := range problems {
		if x.Blocking() {
			p.Add("report", x.Cell.String()+"："+x.Message)
		}
	}
	e := gongkai.AsError(p.Err())
	e.Message = fmt.Sprintf("%s未通过发布前核对，有%d处须改正，不能提交发布。第一处：%s", rep.Title(), len(p), p[0].Message)
	return e
}

// reportDocumentBody renders the report for the document's body: the same
// fragment as its portal page, cleaned like any body (the portal page
// itself shows the snapshot with every accessibility attribute).
func reportDocumentBody(rep *annualreport.Report) (string, error) {
	h, err := rep.HTML()
	if err != nil {
		return "", err
	}
	body, _ := cleanBody(string(h))
	return body, nil
}

// SubmitAnnualReport sends the org's report of the year for review as a
// document in the 政府信息公开年报 column: compiled from the current data,
// checked (a blocking problem refuses it, naming the cell), rendered, and
// submitted to the org's 三审 like any document. A report already published
// is submitted again as a revision of the same document, with note as its
// 修订说明. Everything that could refuse the submission is checked before
// anything is written.
func (db *DB) SubmitAnnualReport(ctx context.Context, orgCode string, year int, note string) (*gongkai.Document, error) {
	var docID int64
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportWrite)
		if err != nil {
			return err
		}
		rep, row, body, err := tx.publishableReport(ctx, org, year)
		if err != nil {
			return err
		}
		var d *gongkai.Document
		if row.rec.DocumentID != 0 {
			if d, err = tx.loadDocument(ctx, row.rec.DocumentID); err != nil {
				return err
			}
		}
		if d != nil && d.Status == gongkai.DocumentWithdrawn {
			d = nil // a withdrawn report is replaced by a new document
		}
		if !row.exists {
			if _, err := tx.ExecContext(ctx, `INSERT INTO annual_reports (org_id, year, updated_at, updated_by) VALUES ($1, $2, $3, $4)`,
				org.ID, year, ts(tx.now), actorName(tx.actor)); err != nil {
				return err
			}
		}
		note = strings.TrimSpace(note)
		if d == nil {
			siteID, err := tx.homeSite(ctx, org)
			if err != nil {
				return err
			}
			levels, err := tx.reviewLevels(ctx, org.ID)
			if err != nil {
				return err
			}
			d = &gongkai.Document{OrgID: org.ID, OrgCode: org.Code, OrgName: org.Name, SiteID: siteID, Status: gongkai.DocumentDraft, ReviewLevels: levels,
				Title: rep.Title(), Body: body, Genre: taxonomy.GenreOther.Code, Topic: reportTopic, Disclosure: string(taxonomy.DisclosureProactive),
				Keywords: []string{"政府信息公开", "年度报告"}, Issuers: []string{}, Columns: []string{reportColumn}, Attachments: []gongkai.Attachment{},
				Interprets: []int64{}, Repeals: []int64{}, Amends: []int64{}}
			if err := tx.insertDocument(ctx, org, d); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE annual_reports SET document_id = $1 WHERE org_id = $2 AND year = $3`, d.ID, org.ID, year); err != nil {
				return err
			}
		} else {
			switch d.Status {
			case gongkai.DocumentInReview, gongkai.DocumentScheduled:
				return gongkai.Errorf(gongkai.ECONFLICT, "该年度报告已提交，正在审核中（%s）；如需修改，请审核人退回后再提交。", d.Status.Label())
			case gongkai.DocumentPublished:
				// A revision: the public version stays until it passes review.
				d.RevisionNote = note
				if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'draft', revision_note = $1, updated_at = $2 WHERE id = $3`, note, ts(tx.now), d.ID); err != nil {
					return err
				}
				if err := tx.audit(ctx, auditEntry{Action: "document.revise", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org,
					After: map[string]any{"revisionNote": note}}); err != nil {
					return err
				}
				d.Status = gongkai.DocumentDraft
			case gongkai.DocumentDraft:
				if note != "" && d.Version > 0 {
					d.RevisionNote = note
					if _, err := tx.ExecContext(ctx, `UPDATE documents SET revision_note = $1 WHERE id = $2`, note, d.ID); err != nil {
						return err
					}
				}
			}
			d.Title, d.Body = rep.Title(), body
		}
		// What SubmitDocument will check, checked now, so that a refusal
		// leaves nothing behind.
		if !tx.actor.System && !tx.actor.HasRole(gongkai.RoleEditor, org.ID) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的编辑可以提交该机关的年度报告。", org.Name)
		}
		if d.FormedOn.IsZero() {
			d.FormedOn = tx.today()
		}
		if err := tx.validate(ctx, d, true); err != nil {
			return err
		}
		if err := tx.checkContent(ctx, d); err != nil {
			return err
		}
		docID = d.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.SubmitDocument(ctx, docID)
}

// The report's place in the catalogue: the statutory 年报 column, topic
// 综合政务\政务公开, genre 其他 (a report to the public is none of the 15
// kinds of 公文).
const (
	reportColumn = "nb"
	reportTopic  = "0201"
)

// refreshReportDocument is SubmitDocument's hook: when d is an annual
// report's document, the report is compiled again from the current data
// and checked, d's title and body are rewritten from it, and it is kept as
// the snapshot under review. A report that fails the check cannot be
// submitted, whichever page it is submitted from.
func (tx *Tx) refreshReportDocument(ctx context.Context, d *gongkai.Document, org *gongkai.Org) error {
	var year int
	err := tx.QueryRowContext(ctx, `SELECT year FROM annual_reports WHERE document_id = $1`, d.ID).Scan(&year)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	rep, _, body, err := tx.publishableReport(ctx, org, year)
	if err != nil {
		return err
	}
	var js bytes.Buffer
	if err := annualreport.Encode(&js, rep); err != nil {
		return err
	}
	d.Title, d.Body = rep.Title(), body
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET title = $1, body = $2 WHERE id = $3`, d.Title, d.Body, d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE annual_reports SET submitted = $1, submitted_at = $2 WHERE org_id = $3 AND year = $4`,
		js.String(), ts(tx.now), org.ID, year); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "annual_report.submit", ObjectType: "annual_report", ObjectID: reportID(org, year), Org: org,
		After: map[string]any{"documentId": d.ID}})
}

// publishableReport compiles the report from the current data, refuses it
// when a check blocks publication (naming the cells), and renders the body
// of its document: the one sequence both submission paths run.
func (tx *Tx) publishableReport(ctx context.Context, org *gongkai.Org, year int) (*annualreport.Report, *reportRow, string, error) {
	rep, row, err := tx.compileReport(ctx, org, year)
	if err != nil {
		return nil, row, "", err
	}
	prev, err := tx.snapshot(ctx, org, year-1)
	if err != nil {
		return nil, row, "", err
	}
	if problems := rep.Check(prev); annualreport.Blocking(problems) {
		return nil, row, "", reportBlocked(rep, problems)
	}
	body, err := reportDocumentBody(rep)
	return rep, row, body, err
}

// freezeReport is publish's hook: when d is an annual report's document,
// the snapshot the reviewers approved becomes the published one.
func (tx *Tx) freezeReport(ctx context.Context, d *gongkai.Document, org *gongkai.Org) error {
	var year int
	err := tx.QueryRowContext(ctx, `SELECT year FROM annual_reports WHERE document_id = $1 AND submitted IS NOT NULL`, d.ID).Scan(&year)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE annual_reports SET published = submitted, published_at = $1 WHERE org_id = $2 AND year = $3`,
		ts(tx.now), org.ID, year); err != nil {
		return err
	}
	if err := tx.annualReportSearchHook(ctx, d.ID); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "annual_report.publish", ObjectType: "annual_report", ObjectID: reportID(org, year), Org: org,
		After: map[string]any{"documentId": d.ID, "version": d.Version}})
}

// annualReportSearchHook is where a published report is marked as changed
// for the search index. The search outbox (issue 6, branch i6-search) is
// not on main yet; publish already passes the document to publicChanged,
// and when the outbox's store function lands it is called here for the
// report's own entry.
func (tx *Tx) annualReportSearchHook(ctx context.Context, documentID int64) error {
	_, _ = ctx, documentID
	return nil
}

// isReportDocument reports whether the document is an annual report's.
func (tx *Tx) isReportDocument(ctx context.Context, id int64) (bool, error) {
	if id == 0 {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM annual_reports WHERE document_id = $1`, id).Scan(&n)
	return n > 0, err
}

// checkReportColumns is part of validate: the 政府信息公开年报 column (and
// any column of its kind) carries only annual reports, which are made on
// the report page, so that nothing unchecked is published as one.
func (tx *Tx) checkReportColumns(ctx context.Context, d *gongkai.Document, cols []*gongkai.Column, p *gongkai.Problems) error {
	for _, c := range cols {
		if taxonomy.Kind(c.Kind) != taxonomy.KindReport {
			continue
		}
		for _, slug := range d.Columns {
			if slug != c.Slug {
				continue
			}
			ok, err := tx.isReportDocument(ctx, d.ID)
			if err != nil {
				return err
			}
			if !ok {
				p.Add("columns", "“"+c.Name+"”栏目只登载政府信息公开工作年度报告，请在“年度报告”页面编制并提交，系统会生成报告文件。")
			}
			return nil
		}
	}
	return nil
}

// ImportAnnualReport reads an earlier year's report from JSON (the 2021
// format, or the 2019 trial format) for year-on-year comparison. The file
// must name the org (its code) and match the official format character for
// character: a label that differs is refused with the label named. A year
// already published here is refused; importing a year again replaces the
// earlier import. Nothing is saved unless the whole file is right.
func (db *DB) ImportAnnualReport(ctx context.Context, orgCode string, r io.Reader) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.reportOrg(ctx, orgCode, reportImport)
		if err != nil {
			return err
		}
		rep, err := annualreport.Decode(io.LimitReader(r, maxReportImport+1), tx.today())
		if err != nil {
			return err
		}
		if !rep.AsOf.IsZero() {
			return gongkai.FieldError("as_of", fmt.Sprintf("文件是截至%s的临时报告，不是正式发布的年度报告，不能作为历史报告导入。", rep.AsOf.Chinese()))
		}
		if rep.Org.Code != org.Code {
			return gongkai.FieldError("org.code", fmt.Sprintf("文件中的机构代码为“%s”，与导入的机关“%s”（%s）不一致；请核对文件是否属于该机关，或改正文件中的 org.code。", rep.Org.Code, org.Name, org.Code))
		}
		if rep.Org.Kind != reportKind(org) {
			return gongkai.FieldError("org.kind", fmt.Sprintf("文件中的机关类别与“%s”不一致（该机关是%s）。", org.Name, org.Kind.Label()))
		}
		var published sql.NullString
		var exists bool
		err = tx.QueryRowContext(ctx, `SELECT published FROM annual_reports WHERE org_id = $1 AND year = $2`, org.ID, rep.Year).Scan(&published)
		switch {
		case isNoRows(err):
		case err != nil:
			return err
		default:
			exists = true
		}
		if published.Valid {
			return gongkai.FieldError("year", fmt.Sprintf("“%s”%d年的年度报告已在本平台发布，不需要导入。", org.Name, rep.Year))
		}
		var js bytes.Buffer
		if err := annualreport.Encode(&js, rep); err != nil {
			return err
		}
		if exists {
			_, err = tx.ExecContext(ctx, `UPDATE annual_reports SET imported = $1, imported_at = $2 WHERE org_id = $3 AND year = $4`, js.String(), ts(tx.now), org.ID, rep.Year)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO annual_reports (org_id, year, imported, imported_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $4, $5)`,
				org.ID, rep.Year, js.String(), ts(tx.now), actorName(tx.actor))
		}
		if err != nil {
			return err
		}
		out = rep
		return tx.audit(ctx, auditEntry{Action: "annual_report.import", ObjectType: "annual_report", ObjectID: reportID(org, rep.Year), Org: org,
			After: map[string]any{"format": rep.Format, "year": rep.Year}})
	})
	return out, err
}

// maxReportImport caps an imported report file: a complete report is
// about 10 KB of JSON.
const maxReportImport = 1 << 20

// SumAnnualReports adds up the reports of the year of the orgs named, as
// compiled from the current data, for a 政务公开办's internal use. The actor
// must supervise every one of them.
func (db *DB) SumAnnualReports(ctx context.Context, orgCodes []string, year int) (*annualreport.Report, error) {
	var out *annualreport.Report
	err := db.inReadTx(ctx, func(tx *Tx) error {
		a := tx.actor
		if a == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		seen := map[string]bool{}
		var reports []*annualreport.Report
		for _, code := range orgCodes {
			if seen[code] {
				continue
			}
			seen[code] = true
			org, err := tx.reportOrg(ctx, code, reportRead)
			if err != nil {
				return err
			}
			if !a.CanSupervise(org) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "汇总年度报告须由上级政务公开办（监督或管理员）进行，您不能汇总“%s”的报告。", org.Name)
			}
			rep, _, err := tx.compileReport(ctx, org, year)
			if err != nil {
				if e := gongkai.AsError(err); e != nil && e.Code == gongkai.EINVALID {
					e.Message = org.Name + "：" + e.Message
				}
				return err
			}
			reports = append(reports, rep)
		}
		if len(reports) == 0 {
			return gongkai.FieldError("org", "请至少选择一个机关进行汇总。")
		}
		name := reports[0].Org.Name
		if len(reports) > 1 {
			name = fmt.Sprintf("所选%d个机关（%s等）汇总", len(reports), name)
		}
		var err error
		out, err = annualreport.Sum(annualreport.Org{Code: "rollup", Name: name, Kind: annualreport.OrgGovernment}, reports)
		return err
	})
	return out, err
}
