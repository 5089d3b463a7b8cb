package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"

	"gongkai"
	"gongkai/internal/seal"
)

// appState is what the applications module keeps per open database: the
// data key in use and where it came from, and the calendar it counts with.
type appState struct {
	keys    *seal.Keys
	file    string // the key file, "" when the key came from the environment
	created bool   // the key file was created by this Open

	calOnce sync.Once
	cal     *CalendarService
}

// workdays is the calendar in force, cached for CalendarRefresh like any
// CalendarService (one per database, so queues replaying many ledgers do
// not re-read the corrections for each).
func (db *DB) workdays(ctx context.Context) (gongkai.Workdays, error) {
	db.apps.calOnce.Do(func() { db.apps.cal = db.Calendar() })
	return db.apps.cal.Workdays(ctx)
}

// DataKeyFile is the name of the key file in the data directory.
const DataKeyFile = "data.key"

// loadDataKey sets up the key that encrypts personal data: the configured
// one, else the key file in the data directory, created on first start.
func (db *DB) loadDataKey(cfg Config) error {
	key := cfg.DataKey
	if len(key) == 0 {
		dir := cfg.DataDir
		if dir == "" {
			dir = "gongkai-data"
		}
		path := filepath.Join(dir, DataKeyFile)
		k, created, err := seal.LoadOrCreateKeyFile(path)
		if err != nil {
			return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法读取或创建数据密钥文件 %s：%v", path, err)
		}
		key, db.apps.file, db.apps.created = k, path, created
	}
	keys, err := seal.New(key)
	if err != nil {
		return gongkai.Errorf(gongkai.EINVALID, "数据密钥（GONGKAI_DATA_KEY）无效：须为32字节。")
	}
	db.apps.keys = keys
	return nil
}

// DataKeyInfo says where the data key came from: the key file (and whether
// this start created it, so the operator is told to back it up) or the
// environment (file ""), and its fingerprint.
func (db *DB) DataKeyInfo() (file string, created bool, fingerprint string) {
	return db.apps.file, db.apps.created, db.apps.keys.Fingerprint()
}

// CheckDataKey makes sure the data key is the one the database's personal
// data was encrypted with: the first start records the key's fingerprint,
// and a later start with another key (a lost key file, a node of a cluster
// with its own key file) is refused before it can write data that other
// nodes cannot read.
func (db *DB) CheckDataKey(ctx context.Context) error {
	fp := db.apps.keys.Fingerprint()
	stored, ok, err := db.Setting(ctx, settingDataKey)
	if err != nil {
		return err
	}
	if ok {
		if stored != fp && db.resumeRotation(stored) {
			return nil
		}
		if stored != fp {
			return gongkai.Errorf(gongkai.ECONFLICT, "数据密钥（指纹 %s）与本数据库加密个人信息所用的密钥（指纹 %s）不一致。请使用原数据密钥：设置 GONGKAI_DATA_KEY，或把备份的 %s 放回数据目录；多台服务器共用一个数据库时，每台都必须使用同一密钥。", fp, stored, DataKeyFile)
		}
		return nil
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
			settingDataKey, fp, ts(tx.now))
		return err
	})
	if err != nil {
		return err
	}
	// Another node may have recorded its key first: compare again.
	return db.CheckDataKey(ctx)
}

// resumeRotation finishes a key rotation that committed but crashed before
// its key file was moved into place: the database names the fingerprint
// of the key waiting in KEYFILE.new. It reports whether the key in use is
// now the database's.
func (db *DB) resumeRotation(stored string) bool {
	if db.apps.file == "" {
		return false
	}
	b, err := os.ReadFile(db.apps.file + ".new")
	if err != nil {
		return false
	}
	key, err := seal.ParseKey(string(b))
	if err != nil {
		return false
	}
	keys, err := seal.New(key)
	if err != nil || keys.Fingerprint() != stored {
		return false
	}
	if err := finishRotation(db.apps.file, db.apps.keys.Fingerprint()); err != nil {
		db.Logger.Error("finishing the data key rotation", "err", err)
		return false
	}
	db.Logger.Info("data key rotation finished at start", "fingerprint", stored)
	db.apps.keys = keys
	return true
}
