package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gongkai"
	"gongkai/internal/annualreport"
)

// The 政务公开办's overview of annual reports, and the reminders of
// unpublished ones (in-app notices, through River jobs).

// FindAnnualReportProgress lists where the reports of the year stand: for
// the org named and every org below it (the 政务公开办's overview; the actor
// must supervise the org), or with orgCode "" for the orgs the actor works
// in. Orgs are in tree order.
func (db *DB) FindAnnualReportProgress(ctx context.Context, orgCode string, year int) ([]*gongkai.AnnualReportProgress, error) {
	var out []*gongkai.AnnualReportProgress
	err := db.inReadTx(ctx, func(tx *Tx) error {
		a := tx.actor
		if a == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		if year < annualreport.FirstYear || year > tx.today().Year {
			return gongkai.FieldError("year", fmt.Sprintf("年度应为%d年至%d年之间。", annualreport.FirstYear, tx.today().Year))
		}
		var orgs []*gongkai.Org
		if orgCode == "" {
			for _, id := range a.OrgIDs() {
				o, err := tx.findOrgByID(ctx, id)
				if err != nil {
					return err
				}
				orgs = append(orgs, o)
			}
		} else {
			org, err := tx.findOrgByCode(ctx, orgCode)
			if err != nil {
				return err
			}
			if !a.CanSupervise(org) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”或其上级的监督人员、管理员可以查看所属机关的年度报告发布情况。", org.Name)
			}
			if orgs, err = tx.findOrgs(ctx, gongkai.OrgFilter{Within: &org.ID}); err != nil {
				return err
			}
		}
		var err error
		out, err = tx.reportProgress(ctx, orgs, year)
		return err
	})
	return out, err
}

// reportProgress works out each org's state for the year.
func (tx *Tx) reportProgress(ctx context.Context, orgs []*gongkai.Org, year int) ([]*gongkai.AnnualReportProgress, error) {
	out := make([]*gongkai.AnnualReportProgress, 0, len(orgs))
	if len(orgs) == 0 {
		return out, nil
	}
	type stored struct {
		docID             int64
		status, state     string
		first             sql.NullTime
		entered, imported bool
	}
	byOrg := map[int64]stored{}
	rows, err := tx.QueryContext(ctx, `SELECT r.org_id, COALESCE(r.document_id, 0), COALESCE(d.status, ''), COALESCE(p.state, ''), d.published_at,
		CASE WHEN r.licensing IS NOT NULL OR r.penalty IS NOT NULL OR r.enforcement IS NOT NULL OR r.fees IS NOT NULL
			OR r.overview <> '' OR r.shortcomings <> '' OR r.other <> '' THEN 1 ELSE 0 END,
		CASE WHEN r.imported IS NOT NULL THEN 1 ELSE 0 END
		FROM annual_reports r LEFT JOIN documents d ON d.id = r.document_id LEFT JOIN document_public p ON p.id = r.document_id
		WHERE r.year = $1 AND r.org_id IN (`+orgIDs(orgs)+`)`, year)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var s stored
		var entered, imported int
		if err := rows.Scan(&id, &s.docID, &s.status, &s.state, &s.first, &entered, &imported); err != nil {
			rows.Close()
			return nil, err
		}
		s.entered, s.imported = entered == 1, imported == 1
		byOrg[id] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	today := tx.today()
	for _, o := range orgs {
		p := &gongkai.AnnualReportProgress{Org: o, Year: year, Deadline: annualreport.Deadline(reportKind(o), year), State: gongkai.ReportNotStarted}
		p.DaysLeft = today.DaysUntil(p.Deadline)
		s, ok := byOrg[o.ID]
		switch {
		case !ok:
			first, err := tx.firstReportYear(ctx, o)
			if err != nil {
				return nil, err
			}
			if year < first {
				p.State = gongkai.ReportNoData
			}
		case s.state == string(gongkai.PublicPublished):
			p.State, p.FirstPublishedAt = gongkai.ReportPublished, utcOf(s.first)
		case s.state == string(gongkai.PublicWithdrawn) || s.state == string(gongkai.PublicErroneous):
			p.State = gongkai.ReportWithdrawn
		case s.status == string(gongkai.DocumentInReview) || s.status == string(gongkai.DocumentScheduled):
			p.State = gongkai.ReportInReview
		case s.imported && s.docID == 0:
			// Published elsewhere before the platform; figures typed in
			// for it since do not make it a draft.
			p.State = gongkai.ReportImported
		case s.docID != 0 || s.entered:
			p.State = gongkai.ReportDrafting
		}
		if ok {
			p.DocumentID = s.docID
		}
		out = append(out, p)
	}
	return out, nil
}

// AnnualReportRemindArgs is the River job that reminds orgs whose report is
// not published. The zero value is the periodic sweep: every org, for the
// report due this year, from ReportReminderDays before the deadline (once)
// and after it (once). With Year and OrgIDs set it is a reminder a
// 政务公开办 asked for (RequestAnnualReportReminders), sent once a day.
type AnnualReportRemindArgs struct {
	Year   int          `json:"year,omitempty"`
	OrgIDs []int64      `json:"orgIds,omitempty"`
	By     string       `json:"by,omitempty"`
	On     gongkai.Date `json:"on,omitzero"`
}

// Kind names the job in River's table.
func (AnnualReportRemindArgs) Kind() string { return "annual_report_remind" }

// RemindAnnualReports does the work of an AnnualReportRemindArgs job: each
// org whose report is not published, and is due for a reminder, gets one
// in-app notice per editor and supervisor of the org (deduplicated per org,
// year and kind, so several nodes may run it). It returns the number of
// notices written.
func (db *DB) RemindAnnualReports(ctx context.Context, args AnnualReportRemindArgs) (int, error) {
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor("job:annual_reports"))
	sent := 0
	var work []*gongkai.AnnualReportProgress
	var today gongkai.Date
	err := db.inReadTx(ctx, func(tx *Tx) error {
		today = tx.today()
		year := args.Year
		var orgs []*gongkai.Org
		var err error
		if year == 0 {
			year = today.Year - 1
			if orgs, err = tx.findOrgs(ctx, gongkai.OrgFilter{}); err != nil {
				return err
			}
		} else {
			for _, id := range args.OrgIDs {
				o, err := tx.findOrgByID(ctx, id)
				if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
					continue
				}
				if err != nil {
					return err
				}
				orgs = append(orgs, o)
			}
		}
		work, err = tx.reportProgress(ctx, orgs, year)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, p := range work {
		if p.State == gongkai.ReportPublished || p.State == gongkai.ReportImported || p.State == gongkai.ReportNoData {
			continue
		}
		var kind, msg string
		report := fmt.Sprintf("%s%d年政府信息公开工作年度报告", p.Org.Name, p.Year)
		switch {
		case args.Year != 0:
			kind = "request:" + args.On.String()
			msg = fmt.Sprintf("%s提醒：%s应于%s前发布，目前%s。", args.By, report, p.Deadline.Chinese(), p.State.Label())
		case p.DaysLeft < 0:
			kind = "overdue"
			msg = fmt.Sprintf("%s应于%s前发布，已逾期%d天，目前%s；请尽快编制并提交审核（《政府信息公开条例》第四十九条）。", report, p.Deadline.Chinese(), -p.DaysLeft, p.State.Label())
		case p.DaysLeft <= gongkai.ReportReminderDays:
			kind = "due_soon"
			msg = fmt.Sprintf("%s应于%s前发布，还有%d天，目前%s。", report, p.Deadline.Chinese(), p.DaysLeft, p.State.Label())
		default:
			continue
		}
		err := db.inTx(ctx, func(tx *Tx) error {
			n, err := tx.remindReport(ctx, p.Org, p.Year, kind, msg)
			sent += n
			return err
		})
		if err != nil {
			return sent, fmt.Errorf("annual report reminder for %s: %w", p.Org.Code, err)
		}
	}
	return sent, nil
}

// remindReport records one reminder and, the first time only, notifies the
// org's editors and supervisors.
func (tx *Tx) remindReport(ctx context.Context, org *gongkai.Org, year int, kind, msg string) (int, error) {
	r, err := tx.ExecContext(ctx, `INSERT INTO annual_report_reminders (org_id, year, kind, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		org.ID, year, kind, ts(tx.now))
	if err != nil {
		return 0, err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return 0, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT u.id FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE r.org_id = $1 AND r.role IN ('editor', 'supervisor') AND NOT u.disabled ORDER BY u.id`, org.ID)
	if err != nil {
		return 0, err
	}
	var users []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		users = append(users, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (user_id, kind, message, created_at) VALUES ($1, $2, $3, $4)`,
			u, "annual_report", msg, ts(tx.now)); err != nil {
			return 0, err
		}
	}
	return len(users), nil
}

// RequestAnnualReportReminders is the 政务公开办's button: every org below
// orgCode (and the org itself) whose report of the year is not published
// is reminded, by a job enqueued in this transaction. It returns how many
// orgs will be reminded.
func (db *DB) RequestAnnualReportReminders(ctx context.Context, orgCode string, year int) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		a := tx.actor
		if a == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		org, err := tx.findOrgByCode(ctx, orgCode)
		if err != nil {
			return err
		}
		if !a.CanSupervise(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”或其上级的监督人员、管理员可以提醒所属机关发布年度报告。", org.Name)
		}
		if year < annualreport.FirstYear || year >= tx.today().Year {
			return gongkai.FieldError("year", "只能提醒已结束年度的年度报告。")
		}
		orgs, err := tx.findOrgs(ctx, gongkai.OrgFilter{Within: &org.ID})
		if err != nil {
			return err
		}
		progress, err := tx.reportProgress(ctx, orgs, year)
		if err != nil {
			return err
		}
		var ids []int64
		var names []string
		for _, p := range progress {
			if p.State != gongkai.ReportPublished && p.State != gongkai.ReportImported && p.State != gongkai.ReportNoData {
				ids = append(ids, p.Org.ID)
				names = append(names, p.Org.Code)
			}
		}
		if n = len(ids); n == 0 {
			return nil
		}
		by := org.DisplayName() + "政务公开办"
		if err := tx.Enqueue(ctx, Job{Args: AnnualReportRemindArgs{Year: year, OrgIDs: ids, By: by, On: tx.today()}}); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "annual_report.remind", ObjectType: "org", ObjectID: org.Code, Org: org,
			After: map[string]any{"year": year, "orgs": strings.Join(names, ",")}})
	})
	return n, err
}
