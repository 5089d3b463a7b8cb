package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gongkai"
	"gongkai/internal/seal"
)

// settingDataKey holds the fingerprint of the key the personal data is
// encrypted with.
const settingDataKey = "datakey.fingerprint"

// DataKeyRotation is what RotateDataKey did.
type DataKeyRotation struct {
	OldFingerprint, NewFingerprint string
	Applications, Files            int
	// KeyFile is where the new key now is; OldKeyFile keeps the old key for
	// restoring backups made before the rotation ("" when the key came from
	// the environment).
	KeyFile, OldKeyFile string
}

// RotateDataKey re-encrypts every applicant's personal data and attachment
// under newKey, and recomputes the keyed hashes that find applications by
// name, ID number and phone, in one transaction: either all data is under
// the new key or, after a failure, all of it is still under the old one.
//
// Where the key is kept matters as much as the data. With a key file, the
// new key is written beside it (data.key.new) before the transaction
// commits and moved into place after; a crash in between is finished at
// the next start (finishRotation), because the database then names the new
// key's fingerprint. The old key stays as data.key.FINGERPRINT: backups
// made before the rotation need it. With GONGKAI_DATA_KEY, newKeyFile must
// name a new file for the key, which the operator then configures on every
// node.
//
// Other processes still holding the old key are refused when they next
// encrypt (requireDataKey) and cannot decrypt the rotated data: every node
// must be restarted with the new key.
func (db *DB) RotateDataKey(ctx context.Context, newKey []byte, newKeyFile string) (*DataKeyRotation, error) {
	newKeys, err := seal.New(newKey)
	if err != nil {
		return nil, gongkai.Errorf(gongkai.EINVALID, "新数据密钥无效：须为32字节。")
	}
	old := db.apps.keys
	r := &DataKeyRotation{OldFingerprint: old.Fingerprint(), NewFingerprint: newKeys.Fingerprint()}
	if r.NewFingerprint == r.OldFingerprint {
		return nil, gongkai.Errorf(gongkai.EINVALID, "新数据密钥与现用密钥相同。")
	}
	switch {
	case db.apps.file != "" && newKeyFile != "":
		return nil, gongkai.Errorf(gongkai.EINVALID, "数据密钥保存在密钥文件 %s 中，新密钥将写入同一位置，不需要另行指定文件。", db.apps.file)
	case db.apps.file == "" && newKeyFile == "":
		return nil, gongkai.Errorf(gongkai.EINVALID, "数据密钥来自环境变量 GONGKAI_DATA_KEY：请指定保存新密钥的文件。")
	case db.apps.file != "":
		r.KeyFile = db.apps.file
		r.OldKeyFile = db.apps.file + "." + r.OldFingerprint
		newKeyFile = db.apps.file + ".new"
		if err := writeKeyFile(newKeyFile, newKey, true); err != nil {
			return nil, err
		}
	default:
		r.KeyFile = newKeyFile
		if err := writeKeyFile(newKeyFile, newKey, false); err != nil {
			return nil, err
		}
	}
	cleanup := func() {
		if db.apps.file != "" {
			os.Remove(newKeyFile)
		}
	}

	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.requireDataKey(ctx); err != nil {
			return err
		}
		if r.Applications, r.Files, err = tx.resealApplications(ctx, old, newKeys); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, settingDataKey, r.NewFingerprint, ts(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "datakey.rotate", ObjectType: "datakey", ObjectID: r.NewFingerprint,
			Before: map[string]any{"fingerprint": r.OldFingerprint},
			After:  map[string]any{"fingerprint": r.NewFingerprint, "applications": r.Applications, "files": r.Files}})
	})
	if err != nil {
		cleanup()
		if gongkai.AsError(err) == nil {
			err = &gongkai.Error{Code: gongkai.EINTERNAL, Message: "更换数据密钥失败，数据仍用原密钥加密。", Err: err}
		}
		return nil, err
	}
	if db.apps.file != "" {
		if err := finishRotation(db.apps.file, r.OldFingerprint); err != nil {
			return r, gongkai.Errorf(gongkai.EINTERNAL, "数据已用新密钥加密，但密钥文件未能就位（%v）：新密钥在 %s，下次启动时会自动换入。", err, newKeyFile)
		}
	}
	// This handle still holds the old key; requireDataKey now refuses it.
	return r, nil
}

// resealApplications decrypts with old and encrypts with next every
// application's personal data and attachments, and recomputes the keyed
// hashes from the decrypted data.
func (tx *Tx) resealApplications(ctx context.Context, old, next *seal.Keys) (apps, files int, err error) {
	type row struct {
		id         int64
		trackingNo string
		personal   string
		clientHash string
	}
	var rows []row
	rs, err := tx.QueryContext(ctx, `SELECT id, tracking_no, personal, client_hash FROM applications ORDER BY id`)
	if err != nil {
		return 0, 0, err
	}
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.trackingNo, &r.personal, &r.clientHash); err != nil {
			rs.Close()
			return 0, 0, err
		}
		rows = append(rows, r)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return 0, 0, err
	}
	for _, r := range rows {
		plain, err := old.Open(r.personal, personalAAD(r.trackingNo))
		if err != nil {
			return 0, 0, fmt.Errorf("application %s: %w", r.trackingNo, err)
		}
		var p gongkai.Applicant
		if err := json.Unmarshal(plain, &p); err != nil {
			return 0, 0, fmt.Errorf("application %s: %w", r.trackingNo, err)
		}
		name, id, phone, key := applicantIndexes(next, &p)
		// The client address is not kept, so its hash cannot be redone:
		// the per-address submission cap starts afresh.
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET personal = $1, name_index = $2, id_index = $3, phone_index = $4, applicant_key = $5, client_hash = ''
			WHERE id = $6`, next.Seal(plain, personalAAD(r.trackingNo)), name, id, phone, key, r.id); err != nil {
			return 0, 0, err
		}
		n, err := tx.resealFiles(ctx, r.id, r.trackingNo, old, next)
		if err != nil {
			return 0, 0, fmt.Errorf("application %s: %w", r.trackingNo, err)
		}
		apps++
		files += n
	}
	return apps, files, nil
}

// resealFiles re-encrypts one application's attachments, numbered in id
// order as loadFileList numbers them for their associated data.
func (tx *Tx) resealFiles(ctx context.Context, appID int64, trackingNo string, old, next *seal.Keys) (int, error) {
	rs, err := tx.QueryContext(ctx, `SELECT id FROM application_files WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			rs.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return 0, err
	}
	for i, id := range ids {
		aad := fileAAD(trackingNo, i+1)
		var name string
		var content []byte
		if err := tx.QueryRowContext(ctx, `SELECT name, content FROM application_files WHERE id = $1`, id).Scan(&name, &content); err != nil {
			return 0, err
		}
		plainName, err := old.Open(name, aad+":name")
		if err != nil {
			return 0, err
		}
		plain, err := old.OpenBytes(content, aad)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE application_files SET name = $1, content = $2 WHERE id = $3`,
			next.Seal(plainName, aad+":name"), next.SealBytes(plain, aad), id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// requireDataKey refuses to encrypt with a key the database no longer
// uses: a process started before a rotation would otherwise write
// personal data nobody else can read. On PostgreSQL the shared row lock
// makes a writer wait for a rotation in progress and then see its result;
// SQLite has one writer.
func (tx *Tx) requireDataKey(ctx context.Context) error {
	q := `SELECT value FROM settings WHERE key = $1`
	if tx.db.dialect == Postgres {
		q += ` FOR SHARE`
	}
	var stored string
	err := tx.QueryRowContext(ctx, q, settingDataKey).Scan(&stored)
	if isNoRows(err) {
		return nil // CheckDataKey has not run: tests and tools without personal data
	}
	if err != nil {
		return err
	}
	if fp := tx.db.apps.keys.Fingerprint(); stored != fp {
		return gongkai.Errorf(gongkai.ECONFLICT, "数据密钥已更换（现用密钥指纹 %s，本服务进程使用的是 %s）：请使用新密钥重新启动本服务。", stored, fp)
	}
	return nil
}

// writeKeyFile writes a key file with mode 0600 and syncs it. replace
// allows overwriting a leftover data.key.new of a rotation that failed
// before it committed (a committed one is finished at start, so any file
// left when a rotation starts is stale).
func writeKeyFile(path string, key []byte, replace bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if replace {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return gongkai.Errorf(gongkai.ECONFLICT, "文件 %s 已存在：为免覆盖其他密钥，请指定一个新文件。", path)
	}
	if err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法写入新密钥文件 %s：%v", path, err)
	}
	if _, err := f.WriteString(seal.FormatKey(key) + "\n"); err != nil {
		f.Close()
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法写入新密钥文件 %s：%v", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法写入新密钥文件 %s：%v", path, err)
	}
	return f.Close()
}

// finishRotation moves the new key file into place, keeping the old key
// as KEYFILE.FINGERPRINT. The old key is linked first and the new one
// renamed over the key file, so at every instant the key file holds one of
// the two keys: a start after a crash never finds it missing (which would
// create a third key).
func finishRotation(keyFile, oldFingerprint string) error {
	if err := os.Link(keyFile, keyFile+"."+oldFingerprint); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err := os.Rename(keyFile+".new", keyFile); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(keyFile))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
