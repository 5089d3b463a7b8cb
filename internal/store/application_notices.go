package store

import (
	"context"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/clock"
	"gongkai/internal/letter"
)

// FindLetterTemplate returns the template an org uses for key: its own,
// else the nearest ancestor's. ENOTFOUND means none was saved and the
// built-in wording applies.
func (db *DB) FindLetterTemplate(ctx context.Context, orgID int64, key string) (*gongkai.LetterTemplate, error) {
	var out *gongkai.LetterTemplate
	err := db.inReadTx(ctx, func(tx *Tx) error {
		if tx.actor == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		org, err := tx.findOrgByID(ctx, orgID)
		if err != nil {
			return err
		}
		// Nearest first: walk the path from the org up.
		for i := len(org.Path) - 1; i >= 0 && out == nil; i-- {
			var t gongkai.LetterTemplate
			err := tx.QueryRowContext(ctx, `SELECT org_id, key, title, body, updated_at, updated_by FROM letter_templates WHERE org_id = $1 AND key = $2`,
				org.Path[i], key).Scan(&t.OrgID, &t.Key, &t.Title, &t.Body, &t.UpdatedAt, &t.UpdatedBy)
			if isNoRows(err) {
				continue
			}
			if err != nil {
				return err
			}
			t.UpdatedAt = t.UpdatedAt.UTC()
			out = &t
		}
		if out == nil {
			return gongkai.Errorf(gongkai.ENOTFOUND, "未设置该文书模板。")
		}
		return nil
	})
	return out, err
}

// SetLetterTemplate saves an org's wording of a letter; admins of the org
// (or an ancestor) may. It applies to the org and, unless they have their
// own, to the orgs below it.
func (db *DB) SetLetterTemplate(ctx context.Context, t *gongkai.LetterTemplate) error {
	return db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByID(ctx, t.OrgID)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”或其上级机关的管理员可以修改其文书模板。", org.Name)
		}
		if !letter.ValidKey(t.Key) {
			return gongkai.FieldError("key", "文书模板“"+t.Key+"”不存在。")
		}
		lt := letter.Template{Title: t.Title, Body: t.Body}
		if err := lt.Validate(); err != nil {
			return err
		}
		t.Title, t.Body, t.UpdatedAt, t.UpdatedBy = lt.Title, lt.Body, tx.now, actorName(tx.actor)
		var before any
		var old gongkai.LetterTemplate
		err = tx.QueryRowContext(ctx, `SELECT title, body FROM letter_templates WHERE org_id = $1 AND key = $2`, t.OrgID, t.Key).Scan(&old.Title, &old.Body)
		switch {
		case err == nil:
			before = map[string]string{"title": old.Title, "body": old.Body}
		case !isNoRows(err):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO letter_templates (org_id, key, title, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (org_id, key) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.OrgID, t.Key, t.Title, t.Body, ts(tx.now), t.UpdatedBy); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "letter_template.set", ObjectType: "letter_template", ObjectID: org.Code + "/" + t.Key, Org: org,
			Before: before, After: map[string]string{"title": t.Title, "body": t.Body}})
	})
}

// DeleteLetterTemplate removes an org's own wording, so the inherited or
// built-in one applies again.
func (db *DB) DeleteLetterTemplate(ctx context.Context, orgID int64, key string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByID(ctx, orgID)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”或其上级机关的管理员可以修改其文书模板。", org.Name)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM letter_templates WHERE org_id = $1 AND key = $2`, orgID, key)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return gongkai.Errorf(gongkai.ENOTFOUND, "该机关没有自定义这一文书模板。")
		}
		return tx.audit(ctx, auditEntry{Action: "letter_template.delete", ObjectType: "letter_template", ObjectID: org.Code + "/" + key, Org: org})
	})
}

// FindNotices returns the actor's in-app reminders, newest first, and the
// number unread: about applications, and about documents (new findings of
// a recheck, issue 7).
func (db *DB) FindNotices(ctx context.Context, unreadOnly bool, limit int) ([]*gongkai.Notice, int, error) {
	a := gongkai.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return nil, 0, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []*gongkai.Notice
	var unread int
	err := db.inReadTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_at IS NULL`, a.UserID).Scan(&unread); err != nil {
			return err
		}
		// Annual-report reminders (issue 5) belong to no application or document.
		q := `SELECT n.id, COALESCE(n.application_id, 0), COALESCE(a.tracking_no, ''), COALESCE(n.document_id, 0), n.kind, n.message, n.created_at, n.read_at
			FROM notices n LEFT JOIN applications a ON a.id = n.application_id WHERE n.user_id = $1`
		if unreadOnly {
			q += ` AND n.read_at IS NULL`
		}
		rows, err := tx.QueryContext(ctx, q+` ORDER BY n.created_at DESC, n.id DESC LIMIT `+strconv.Itoa(limit), a.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n gongkai.Notice
			var read *time.Time
			if err := rows.Scan(&n.ID, &n.ApplicationID, &n.TrackingNo, &n.DocumentID, &n.Kind, &n.Message, &n.CreatedAt, &read); err != nil {
				return err
			}
			n.CreatedAt = n.CreatedAt.UTC()
			if read != nil {
				r := read.UTC()
				n.ReadAt = &r
			}
			out = append(out, &n)
		}
		return rows.Err()
	})
	return out, unread, err
}

// MarkNoticesRead marks all of the actor's reminders read.
func (db *DB) MarkNoticesRead(ctx context.Context) error {
	a := gongkai.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, ts(tx.now), a.UserID)
		return err
	})
}

// NoticeEmail returns the address the actor's reminders are also mailed
// to ("" for none).
func (db *DB) NoticeEmail(ctx context.Context) (string, error) {
	a := gongkai.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return "", gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	var email string
	err := db.read.QueryRowContext(ctx, `SELECT email FROM notice_emails WHERE user_id = $1`, a.UserID).Scan(&email)
	if isNoRows(err) {
		return "", nil
	}
	return email, err
}

// SetNoticeEmail sets (or, with "", removes) the actor's reminder address.
func (db *DB) SetNoticeEmail(ctx context.Context, email string) error {
	a := gongkai.ActorFrom(ctx)
	if a == nil || a.UserID == 0 {
		return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	email = strings.TrimSpace(email)
	if email != "" {
		if m, err := mail.ParseAddress(email); err != nil || m.Address != email || len(email) > 200 {
			return gongkai.FieldError("email", "电子邮箱格式不正确。")
		}
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var err error
		if email == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM notice_emails WHERE user_id = $1`, a.UserID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO notice_emails (user_id, email, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at`, a.UserID, email, ts(tx.now))
		}
		if err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "user.notice_email", ObjectType: "user", ObjectID: a.Username})
	})
}

// Reminder is an e-mail the reminder job should send. It carries no
// personal data of the applicant: the number, the org and the due date.
type Reminder struct {
	To      []string
	Subject string
	Body    string
}

// SweepResult says what a sweep did.
type SweepResult struct {
	Checked   int
	Closed    int
	Notified  int
	Refreshed int
	Emails    []Reminder
}

// SweepApplications is the periodic work on open applications, run by the
// reminder job (and `gongkai application sweep`):
//
//   - an application whose 补正 or fee deadline has passed is closed as
//     other.no_supplement or other.fee_unpaid (clock.State.CloseAs), on the
//     first day after the deadline;
//   - an application that has become due soon or overdue gets one in-app
//     notice per officer of its org (and an e-mail where the officer gave
//     an address), once per status and due date;
//   - the stored due date is refreshed where an open pause moved it.
//
// It acts as the system and is safe to run on several nodes at once: each
// change happens in its own transaction that re-reads the application, and
// reminders are deduplicated by a unique key.
func (db *DB) SweepApplications(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor("job:applications"))
	var ids []int64
	err := db.inReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM applications WHERE state = 'open' ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		res.Checked++
		err := db.inTx(ctx, func(tx *Tx) error { return tx.sweepOne(ctx, id, &res) })
		if err != nil {
			return res, fmt.Errorf("application %d: %w", id, err)
		}
	}
	return res, nil
}

func (tx *Tx) sweepOne(ctx context.Context, id int64, res *SweepResult) error {
	a, org, err := tx.loadApplication(ctx, id)
	if err != nil {
		return err
	}
	c := a.Clock
	if a.State != gongkai.StateOpen || c == nil || c.Problem != "" {
		return nil
	}
	today := tx.today()
	if c.CloseAs != "" && !today.Before(c.CloseFrom) {
		on := c.CloseFrom
		if n := len(a.Events); n > 0 && a.Events[n-1].Date.After(on) {
			on = a.Events[n-1].Date
		}
		r := gongkai.Reply{Outcome: c.CloseAs, Date: on, Basis: c.CloseAs.DefaultBasis()}
		if c.CloseAs == gongkai.OutcomeOtherNoSupplement {
			r.Reason = fmt.Sprintf("申请人未在补正期限（%s）内补正", c.SupplementDeadline.Chinese())
		} else {
			r.Reason = fmt.Sprintf("申请人未在缴费期限（%s）内缴纳信息处理费", c.FeeDeadline.Chinese())
		}
		if _, err := tx.reply(ctx, a, org, r, nil); err != nil {
			return err
		}
		res.Closed++
		return tx.notify(ctx, a, org, "closed", fmt.Sprintf("申请 %s 已因%s自动办结（%s）。", a.TrackingNo, r.Reason, c.CloseAs.Label()), c.CloseFrom, res)
	}
	if !c.DueOn.IsZero() && c.DueOn != a.DueOn {
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET due_on = $1 WHERE id = $2`, c.DueOn, a.ID); err != nil {
			return err
		}
		res.Refreshed++
	}
	switch c.Status {
	case gongkai.ApplicationStatus(clock.StatusDueSoon):
		return tx.notify(ctx, a, org, "due_soon", fmt.Sprintf("申请 %s 的答复期限为%s，还剩%d个工作日。", a.TrackingNo, c.DueOn.Chinese(), c.DaysLeft), c.DueOn, res)
	case gongkai.ApplicationStatus(clock.StatusOverdue):
		return tx.notify(ctx, a, org, "overdue", fmt.Sprintf("申请 %s 已超过答复期限（%s），请尽快答复。", a.TrackingNo, c.DueOn.Chinese()), c.DueOn, res)
	}
	return nil
}

// notify records one reminder of kind for the application's due date and,
// the first time only, gives every officer of the org an in-app notice and
// queues e-mails.
func (tx *Tx) notify(ctx context.Context, a *gongkai.Application, org *gongkai.Org, kind, msg string, due gongkai.Date, res *SweepResult) error {
	r, err := tx.ExecContext(ctx, `INSERT INTO application_reminders (application_id, kind, due_on, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		a.ID, kind, due, ts(tx.now))
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil
	}
	users, emails, err := tx.noticeRecipients(ctx, org.ID, gongkai.RoleOfficer)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (user_id, application_id, kind, message, created_at) VALUES ($1, $2, $3, $4, $5)`,
			u, a.ID, kind, msg, ts(tx.now)); err != nil {
			return err
		}
		res.Notified++
	}
	if len(emails) > 0 {
		res.Emails = append(res.Emails, Reminder{To: emails, Subject: "【依申请公开提醒】" + msg,
			Body: msg + "\n\n承办机关：" + org.Name + "\n请登录政务公开工作平台，在“依申请公开”中查看编号为 " + a.TrackingNo + " 的申请。\n\n（本邮件由系统自动发送，不含申请人个人信息。）"})
	}
	return nil
}

// noticeRecipients returns the active users holding any of roles in the
// org, and the e-mail addresses those of them gave for notices.
func (tx *Tx) noticeRecipients(ctx context.Context, orgID int64, roles ...gongkai.Role) ([]int64, []string, error) {
	marks := make([]string, len(roles))
	args := []any{orgID}
	for i, r := range roles {
		args = append(args, string(r))
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT u.id, COALESCE(e.email, '') FROM user_roles r JOIN users u ON u.id = r.user_id
		LEFT JOIN notice_emails e ON e.user_id = u.id WHERE r.org_id = $1 AND r.role IN (`+strings.Join(marks, ", ")+`) AND NOT u.disabled ORDER BY u.id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var users []int64
	var emails []string
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, nil, err
		}
		users = append(users, id)
		if email != "" {
			emails = append(emails, email)
		}
	}
	return users, emails, rows.Err()
}
