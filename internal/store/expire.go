package store

import (
	"context"

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

// ExpireDocuments marks 失效 every published document that is still 有效
// and whose 有效期至 has passed in Asia/Shanghai (gongkai.ApplyTerm), with
// ValidityOn the day after 有效期至. It goes through setValidity, the path
// of every validity change of a public version (repeal, amendment), so the
// working copy and the public version change together, the audit record
// and the search outbox row are written in the same transaction, and
// publicChanged drops the portal's page cache. Each document also gets an
// entry in its review history. It is idempotent: a document already
// 失效, 废止 or 已修订 is not selected again. It returns how many documents
// it marked.
func (db *DB) ExpireDocuments(ctx context.Context) (int, error) {
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor(ExpireActor))
	total := 0
	for {
		n := 0
		err := db.inTx(ctx, func(tx *Tx) error {
			today := gongkai.DateOf(tx.now)
			rows, err := tx.QueryContext(ctx, `SELECT p.id, p.valid_until, d.review_round FROM document_public p JOIN documents d ON d.id = p.id
				WHERE p.validity = 'valid' AND p.state = 'published' AND p.valid_until IS NOT NULL AND p.valid_until < $1
				ORDER BY p.valid_until, p.id LIMIT $2`, today, expireBatch)
			if err != nil {
				return err
			}
			type lapse struct {
				doc   gongkai.Document
				until gongkai.Date
			}
			var due []lapse
			for rows.Next() {
				var l lapse
				if err := rows.Scan(&l.doc.ID, &l.until, &l.doc.Round); err != nil {
					rows.Close()
					return err
				}
				due = append(due, l)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			var ids []int64
			for _, l := range due {
				on, lapsed := gongkai.TermLapsed(l.until, today)
				if !lapsed {
					continue
				}
				if _, err := tx.setValidity(ctx, l.doc.ID, taxonomy.ValidityExpired, on, 0); err != nil {
					return err
				}
				if err := tx.event(ctx, &l.doc, 0, "expire", "有效期至"+l.until.Chinese()+"，自"+on.Chinese()+"起失效"); err != nil {
					return err
				}
				ids = append(ids, l.doc.ID)
			}
			n = len(ids)
			if n == 0 {
				return nil
			}
			return tx.publicChanged(ctx, ids...)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < expireBatch {
			return total, nil
		}
	}
}
