package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"gongkai"
)

// The 三审 workflow: submit → level 1 → … → the org's last level →
// published or scheduled. Publication itself is in publish.go.

// PublishArgs is the River job that publishes a scheduled document. Round
// ties the job to one approval: a job left over from a schedule that was
// cancelled, or from an earlier round, finds the round changed and does
// nothing.
type PublishArgs struct {
	DocumentID int64 `json:"documentId"`
	Round      int   `json:"round"`
}

// Kind names the job in River's table.
func (PublishArgs) Kind() string { return "document_publish" }

// event appends a step to the document's review history.
func (tx *Tx) event(ctx context.Context, d *gongkai.Document, level int, action, comment string) error {
	a := tx.actor
	name := "system"
	var id int64
	if a != nil {
		name, id = a.Name, a.UserID
		if name == "" {
			name = a.Username
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO document_reviews (document_id, round, level, action, comment, actor_id, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, d.Round, level, action, comment, nullInt(id), name, ts(tx.now))
	return err
}

// checkContent runs the pre-publication content check, when one is set.
func (tx *Tx) checkContent(ctx context.Context, d *gongkai.Document) error {
	if tx.db.CheckDocument == nil {
		return nil
	}
	return tx.db.CheckDocument(ctx, d)
}

// SubmitDocument sends a draft to the first level of review. The complete
// rules run here: what the genre and columns require, and that only 主动公开
// information is sent for publication.
func (db *DB) SubmitDocument(ctx context.Context, id int64) (*gongkai.Document, error) {
	var d *gongkai.Document
	pre := db.precheck(ctx, id, func(d *gongkai.Document) bool { return d.Status == gongkai.DocumentDraft })
	err := db.inTx(ctx, func(tx *Tx) error {
		var org *gongkai.Org
		var err error
		if d, org, err = tx.editable(ctx, id); err != nil {
			return err
		}
		if d.Status != gongkai.DocumentDraft {
			return gongkai.Errorf(gongkai.ECONFLICT, "只有草稿可以提交审核（当前状态：%s）。", d.Status.Label())
		}
		if err := tx.refreshReportDocument(ctx, d, org); err != nil {
			return err
		}
		if d.FormedOn.IsZero() {
			d.FormedOn = d.SignedOn
			if d.FormedOn.IsZero() {
				d.FormedOn = gongkai.DateOf(d.CreatedAt)
			}
		}
		if err := tx.validate(ctx, d, true); err != nil {
			return err
		}
		if err := tx.checkContent(ctx, d); err != nil {
			return err
		}
		d.Status, d.ReviewLevel, d.Round, d.SubmittedBy, d.UpdatedAt = gongkai.DocumentInReview, 1, d.Round+1, tx.actor.UserID, tx.now
		if _, err := tx.checkStep(ctx, d, org, gongkai.CheckAtSubmit, 0, pre, gongkai.Review{}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'in_review', review_level = 1, review_round = $1, submitted_by = $2, formed_on = $3, updated_at = $4 WHERE id = $5`,
			d.Round, nullInt(d.SubmittedBy), d.FormedOn, ts(tx.now), d.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, d, 0, "submit", ""); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "document.submit", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: statusOf(d)})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// statusOf is the part of a document a workflow step changes, for the
// audit record.
func statusOf(d *gongkai.Document) map[string]any {
	m := map[string]any{"status": d.Status, "reviewLevel": d.ReviewLevel, "round": d.Round}
	if d.IndexNo != "" {
		m["indexNo"] = d.IndexNo
	}
	if !d.PublishAt.IsZero() {
		m["publishAt"] = d.PublishAt
	}
	return m
}

// ReviewDocument records a decision at the level the document waits at.
// Nobody approves a document they drafted or submitted, nor at two levels
// of one round; a rejection needs a comment and returns the document to
// its editor as a draft.
func (db *DB) ReviewDocument(ctx context.Context, id int64, decision gongkai.ReviewDecision, comment string) (*gongkai.Document, error) {
	return db.DecideReview(ctx, id, gongkai.Review{Decision: decision, Comment: comment})
}

// DecideReview is ReviewDocument with the rest of a reviewer's answer: at
// the last level, the written override of block findings of the content
// checks (documentcheck.go). Every approval runs the checks and stores
// the result with it.
func (db *DB) DecideReview(ctx context.Context, id int64, rv gongkai.Review) (*gongkai.Document, error) {
	decision, comment := rv.Decision, rv.Comment
	var d *gongkai.Document
	var pre *precheck
	if decision == gongkai.Approve {
		pre = db.precheck(ctx, id, func(d *gongkai.Document) bool { return d.Status == gongkai.DocumentInReview })
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		org, err := tx.docOrg(ctx, d)
		if err != nil {
			return err
		}
		comment = strings.TrimSpace(comment)
		switch {
		case decision != gongkai.Approve && decision != gongkai.Reject:
			return gongkai.FieldError("decision", "审核意见须为 approve（通过）或 reject（退回）。")
		case utf8.RuneCountInString(comment) > 1000:
			return gongkai.FieldError("comment", "审核意见不能超过1000个字。")
		case d.Status != gongkai.DocumentInReview:
			return gongkai.Errorf(gongkai.ECONFLICT, "该文件当前不在审核中（状态：%s）。", d.Status.Label())
		}
		a := tx.actor
		level := d.ReviewLevel
		label := gongkai.ReviewLevelLabel(level, d.ReviewLevels)
		if !a.System {
			var approvedAt int
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(level), 0) FROM document_reviews WHERE document_id = $1 AND round = $2 AND action = 'approve' AND actor_id = $3`,
				d.ID, d.Round, a.UserID).Scan(&approvedAt)
			if err != nil {
				return err
			}
			if approvedAt > 0 {
				return gongkai.Errorf(gongkai.ECONFLICT, "您已在%s中审核通过了该文件，同一人不能在两个审核级别重复审核。", gongkai.ReviewLevelLabel(approvedAt, d.ReviewLevels))
			}
			if !a.HasRole(gongkai.ReviewerRole(level), org.ID) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "该文件正等待%s，您不是“%s”的%s人员。", label, org.Name, label)
			}
			if decision == gongkai.Approve && (a.UserID == d.CreatedBy || a.UserID == d.SubmittedBy) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "不能审核通过自己起草或提交的文件，请由其他审核人审核。")
			}
		}
		if decision == gongkai.Reject {
			if comment == "" {
				return gongkai.FieldError("comment", "退回时请填写退回意见，告诉编辑需要修改什么。")
			}
			if err := tx.event(ctx, d, level, "reject", comment); err != nil {
				return err
			}
			d.Status, d.ReviewLevel, d.UpdatedAt = gongkai.DocumentDraft, 0, tx.now
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'draft', review_level = 0, updated_at = $1 WHERE id = $2`, ts(tx.now), d.ID); err != nil {
				return err
			}
			return tx.audit(ctx, auditEntry{Action: "document.reject", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: map[string]any{"level": level, "comment": comment}})
		}
		if err := tx.event(ctx, d, level, "approve", comment); err != nil {
			return err
		}
		if err := tx.audit(ctx, auditEntry{Action: "document.approve", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: map[string]any{"level": level, "comment": comment}}); err != nil {
			return err
		}
		if _, err := tx.checkStep(ctx, d, org, gongkai.CheckAtReview, level, pre, rv); err != nil {
			return err
		}
		if level < d.ReviewLevels {
			d.ReviewLevel, d.UpdatedAt = level+1, tx.now
			_, err := tx.ExecContext(ctx, `UPDATE documents SET review_level = $1, updated_at = $2 WHERE id = $3`, d.ReviewLevel, ts(tx.now), d.ID)
			return err
		}
		// The last level: the pre-publication check once more, then
		// publish now or at the requested time.
		if err := tx.checkContent(ctx, d); err != nil {
			return err
		}
		if d.PublishAt.After(tx.now) {
			return tx.schedule(ctx, d, org)
		}
		return tx.publish(ctx, d, org)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// schedule enqueues the publication job in this transaction, so the job
// exists exactly when the approval does; River keeps it across restarts and
// runs a job whose time passed while the server was down at start-up.
func (tx *Tx) schedule(ctx context.Context, d *gongkai.Document, org *gongkai.Org) error {
	if err := tx.Enqueue(ctx, Job{Args: PublishArgs{DocumentID: d.ID, Round: d.Round}, RunAt: d.PublishAt}); err != nil {
		return err
	}
	d.Status, d.ReviewLevel, d.UpdatedAt = gongkai.DocumentScheduled, 0, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'scheduled', review_level = 0, updated_at = $1 WHERE id = $2`, ts(tx.now), d.ID); err != nil {
		return err
	}
	if err := tx.event(ctx, d, 0, "schedule", d.PublishAt.In(gongkai.Shanghai).Format("2006-01-02 15:04")); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "document.schedule", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: statusOf(d)})
}

// PublishScheduled is the job's work: publish the document if it is still
// scheduled in the same round. Anything else means the schedule was
// cancelled or replaced, and the job does nothing.
func (db *DB) PublishScheduled(ctx context.Context, id int64, round int) error {
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor("job:publish"))
	published := false
	err := db.inTx(ctx, func(tx *Tx) error {
		d, err := tx.loadDocument(ctx, id)
		if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if d.Status != gongkai.DocumentScheduled || d.Round != round {
			return nil
		}
		org, err := tx.findOrgByID(ctx, d.OrgID)
		if err != nil {
			return err
		}
		published = true
		return tx.publish(ctx, d, org)
	})
	if err == nil && published {
		db.recheckPublished(ctx, id)
	}
	return err
}

// CancelSchedule returns a scheduled document to its editor as a draft; it
// must pass review again. The org's editors, its final reviewers and its
// admins may cancel.
func (db *DB) CancelSchedule(ctx context.Context, id int64) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		org, err := tx.docOrg(ctx, d)
		if err != nil {
			return err
		}
		a := tx.actor
		if !a.HasRole(gongkai.RoleEditor, org.ID) && !a.HasRole(gongkai.ReviewerRole(d.ReviewLevels), org.ID) && !a.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有本机构的编辑、%s人员或管理员可以取消定时发布。", gongkai.ReviewLevelLabel(d.ReviewLevels, d.ReviewLevels))
		}
		if d.Status != gongkai.DocumentScheduled {
			return gongkai.Errorf(gongkai.ECONFLICT, "该文件没有等待定时发布（状态：%s）。", d.Status.Label())
		}
		d.Status, d.UpdatedAt = gongkai.DocumentDraft, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'draft', review_level = 0, updated_at = $1 WHERE id = $2`, ts(tx.now), d.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, d, 0, "unschedule", ""); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "document.unschedule", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: statusOf(d)})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// WithdrawDocument takes a published document off the portal's lists,
// feeds and search. In mode withdrawn its page stays with a banner and the
// public reason; in mode erroneous (published in error) the page answers
// 410 and what the document did to others (repeal, amendment) is undone.
// The 索引号 stays taken. The org's final reviewers and its admins may
// withdraw: taking information down is a decision of the same weight as
// publishing it.
func (db *DB) WithdrawDocument(ctx context.Context, id int64, mode gongkai.WithdrawMode, reason string) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		org, err := tx.docOrg(ctx, d)
		if err != nil {
			return err
		}
		a := tx.actor
		final := gongkai.ReviewLevelLabel(d.ReviewLevels, d.ReviewLevels)
		if !a.HasRole(gongkai.ReviewerRole(d.ReviewLevels), org.ID) && !a.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "撤回已发布的文件须由“%s”的%s人员或管理员操作。", org.Name, final)
		}
		reason = strings.TrimSpace(reason)
		var p gongkai.Problems
		if mode != gongkai.WithdrawNormal && mode != gongkai.WithdrawErroneous {
			p.Add("mode", "撤回方式须为 withdrawn（撤回，保留页面并说明原因）或 erroneous（错误发布，页面不再提供）。")
		}
		if reason == "" {
			p.Add("reason", "请填写撤回原因；原因将在页面上向公众说明。")
		} else if utf8.RuneCountInString(reason) > 500 {
			p.Add("reason", "撤回原因不能超过500个字。")
		}
		if err := p.Err(); err != nil {
			return err
		}
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT state FROM document_public WHERE id = $1), '')`, d.ID).Scan(&state); err != nil {
			return err
		}
		if state != string(gongkai.PublicPublished) {
			return gongkai.Errorf(gongkai.ECONFLICT, "该文件没有在网站上发布，无需撤回。")
		}
		before := statusOf(d)
		d.Status, d.ReviewLevel, d.UpdatedAt = gongkai.DocumentWithdrawn, 0, tx.now
		d.Withdrawal = &gongkai.Withdrawal{Mode: mode, Reason: reason, At: tx.now}
		d.Live = mode == gongkai.WithdrawNormal
		if !d.Live {
			d.URL = ""
		}
		// A revision in progress is dropped with the document: the working
		// copy goes back to what was published.
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'withdrawn', review_level = 0, body = NULL, withdrawn_at = $1, withdraw_mode = $2, withdraw_reason = $3, updated_at = $1 WHERE id = $4`,
			ts(tx.now), string(mode), reason, d.ID); err != nil {
			return err
		}
		if err := tx.withdrawPublic(ctx, d, mode, reason); err != nil {
			return err
		}
		if err := tx.event(ctx, d, 0, "withdraw", mode.Label()+"："+reason); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "document.withdraw", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, Before: before,
			After: map[string]any{"status": d.Status, "mode": mode, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// PublishWorker works PublishArgs jobs; register it with the job runner
// before the runner opens (jobs.Register(runner, &store.PublishWorker{DB: db})).
type PublishWorker struct {
	river.WorkerDefaults[PublishArgs]
	DB *DB
}

// Work publishes the document if it still waits for this job.
func (w *PublishWorker) Work(ctx context.Context, j *river.Job[PublishArgs]) error {
	return w.DB.PublishScheduled(ctx, j.Args.DocumentID, j.Args.Round)
}
