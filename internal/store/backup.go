package store

import (
	"context"
	"os"
	"path/filepath"

	"gongkai"
)

// Backup writes a consistent copy of the SQLite database to out while the
// server keeps running. VACUUM INTO reads one snapshot, so writes made during
// the copy are simply not in it. PostgreSQL deployments use pg_dump, which
// does the same for a server database.
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.dialect != SQLite {
		return gongkai.Errorf(gongkai.EINVALID, "PostgreSQL 数据库请使用 pg_dump 备份，例如：pg_dump --format=custom --file=gongkai.dump \"$GONGKAI_DATABASE_URL\"")
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return gongkai.Errorf(gongkai.ECONFLICT, "备份文件 %s 已存在，请换一个文件名或先删除它。", out)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法创建备份目录：%v", err)
	}
	// The path goes in as a bound parameter, never spliced into the SQL.
	_, err = db.write.ExecContext(ctx, `VACUUM INTO $1`, abs)
	return err
}
