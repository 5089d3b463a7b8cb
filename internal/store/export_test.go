package store

import (
	"context"
	"errors"
)

// ErrSimulatedCrash is what PublishThenCrash fails with.
var ErrSimulatedCrash = errors.New("simulated crash before commit")

// PublishThenCrash runs the real publication of a document and then fails
// before the transaction commits, as a process killed at that moment would:
// nothing of it, the search outbox row included, may remain.
func (db *DB) PublishThenCrash(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		d, err := tx.loadDocument(ctx, id)
		if err != nil {
			return err
		}
		org, err := tx.findOrgByID(ctx, d.OrgID)
		if err != nil {
			return err
		}
		if err := tx.publish(ctx, d, org); err != nil {
			return err
		}
		return ErrSimulatedCrash
	})
}
