package store

import (
	"context"
	"fmt"
	"strings"

	"gongkai"
	"gongkai/internal/taxonomy"
)

// ExpireActor is the system actor of the expiry job: the audit trail
// records it by this name, staff see 系统（有效期届满失效）.
const ExpireActor = "job:expire"

// expireBatch is how many documents one transaction marks 失效. The first
// run after an archive with old terms is imported may find many; batches
// keep each transaction (and SQLite's single writer) short.
const expireBatch = 200

// NoticeExpired is the kind of the notice given to an org's staff when
// one of its documents lapses.
const NoticeExpired = "document_expired"

// expireNoticeRoles are the staff of an org told that one of its
// documents lapsed: those who revise it, and the org's admins.
var expireNoticeRoles = []gongkai.Role{gongkai.RoleEditor, gongkai.RoleAdmin}

// ExpireResult says what a run of the expiry did.
type ExpireResult struct {
	// Expired documents were marked 失效; Notified counts the notices
	// given to their orgs' staff.
	Expired, Notified int
	// Emails are the notices to mail to staff who gave an address.
	Emails []Reminder
}

// ExpireDocuments marks 失效 every published document that is still 有效
// and whose 有效期至 has passed in Asia/Shanghai (gongkai.ApplyTerm), with
// ValidityOn the day after 有效期至. It goes through setValidity, the path
// of every validity change of a public version (repeal, amendment), so the
// working copy and the public version change together, the audit record
// and the search outbox row are written in the same transaction, and
// publicChanged drops the portal's page cache. Each document also gets an
// entry in its review history, and the editors and admins of its org an
// in-app notice (and an e-mail in the result, for those who gave an
// address), in the same transaction. It is idempotent: a document already
// 失效, 废止 or 已修订 is not selected again (nor marked, when another run
// marked it after the selection), so it is notified once.
func (db *DB) ExpireDocuments(ctx context.Context) (ExpireResult, error) {
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor(ExpireActor))
	var total ExpireResult
	for {
		var res ExpireResult
		selected := 0
		err := db.inTx(ctx, func(tx *Tx) error {
			res = ExpireResult{}
			today := gongkai.DateOf(tx.now)
			rows, err := tx.QueryContext(ctx, `SELECT p.id, p.valid_until, d.review_round, p.title, p.doc_no, p.org_id, o.name
				FROM document_public p JOIN documents d ON d.id = p.id JOIN orgs o ON o.id = p.org_id
				WHERE p.validity = 'valid' AND p.state = 'published' AND p.valid_until IS NOT NULL AND p.valid_until < $1
				ORDER BY p.valid_until, p.id LIMIT $2`, today, expireBatch)
			if err != nil {
				return err
			}
			var due []*gongkai.Document
			for rows.Next() {
				var d gongkai.Document
				if err := rows.Scan(&d.ID, &d.ValidUntil, &d.Round, &d.Title, &d.DocNo, &d.OrgID, &d.OrgName); err != nil {
					rows.Close()
					return err
				}
				due = append(due, &d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			selected = len(due)
			var ids []int64
			for _, d := range due {
				on, lapsed := gongkai.TermLapsed(d.ValidUntil, today)
				if !lapsed {
					continue
				}
				// Another run (a second node, the CLI) may have marked it
				// since the SELECT: read it again under the lock.
				if err := tx.lockDocument(ctx, d.ID); err != nil {
					return err
				}
				var validity string
				if err := tx.QueryRowContext(ctx, `SELECT validity FROM document_public WHERE id = $1`, d.ID).Scan(&validity); err != nil {
					return err
				}
				if validity != gongkai.ValidityCodeValid {
					continue
				}
				if _, err := tx.setValidity(ctx, d.ID, taxonomy.ValidityExpired, on, 0); err != nil {
					return err
				}
				if err := tx.event(ctx, d, 0, "expire", "有效期至"+d.ValidUntil.Chinese()+"，自"+on.Chinese()+"起失效"); err != nil {
					return err
				}
				if err := tx.notifyExpired(ctx, d, today, &res); err != nil {
					return err
				}
				ids = append(ids, d.ID)
			}
			res.Expired = len(ids)
			if len(ids) == 0 {
				return nil
			}
			return tx.publicChanged(ctx, ids...)
		})
		if err != nil {
			return total, err
		}
		total.Expired += res.Expired
		total.Notified += res.Notified
		total.Emails = append(total.Emails, res.Emails...)
		if selected < expireBatch || res.Expired == 0 {
			return total, nil
		}
	}
}

// ExpiredNotice is the text of the notice given when a document in force
// through until was marked 失效 on the day marked. The title goes in
// 书名号, so the 书名号 within it become single ones (GB/T 15834):
// 《……关于印发〈……办法〉的通知》.
func ExpiredNotice(title, docNo string, until, marked gongkai.Date) string {
	no := ""
	if docNo != "" {
		no = "（" + docNo + "）"
	}
	return fmt.Sprintf("《%s》%s有效期至%s，已于%s自动标注为失效。如需继续执行，请修订后重新发布。", innerTitleMarks.Replace(title), no, until.Chinese(), marked.Chinese())
}

var innerTitleMarks = strings.NewReplacer("《", "〈", "》", "〉")

// notifyExpired gives the editors and admins of d's org an in-app notice
// that d lapsed, through the recipients of the other document notices
// (noticeRecipients), and queues e-mails for those who gave an address.
// It runs in the transaction that turns d from 有效 to 失效, after d was
// read again under its lock, so a lapse is notified once however many
// runs see it (notices has no index by document to look up instead).
func (tx *Tx) notifyExpired(ctx context.Context, d *gongkai.Document, today gongkai.Date, res *ExpireResult) error {
	msg := ExpiredNotice(d.Title, d.DocNo, d.ValidUntil, today)
	users, emails, err := tx.noticeRecipients(ctx, d.OrgID, expireNoticeRoles...)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (user_id, document_id, kind, message, created_at) VALUES ($1, $2, $3, $4, $5)`,
			u, d.ID, NoticeExpired, msg, ts(tx.now)); err != nil {
			return err
		}
		res.Notified++
	}
	if len(emails) > 0 {
		res.Emails = append(res.Emails, Reminder{To: emails, Subject: "【文件失效提醒】" + msg,
			Body: msg + "\n\n发布机构：" + d.OrgName + "\n请登录政务公开工作平台，在“文件管理”中查看编号为 " + itoa64(d.ID) + " 的文件。\n\n（本邮件由系统自动发送。）"})
	}
	return nil
}
