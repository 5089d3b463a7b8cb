package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// serveLockFile is the file in the data directory that a running serve
// holds locked.
const serveLockFile = "serve.lock"

// errDataDirLocked reports that another process holds the lock.
var errDataDirLocked = errors.New("data directory locked")

// lockDataDir makes serve the only server process on its data directory.
// Two servers on one directory would share this node's search index, whose
// Bleve files wait for their lock without a timeout (the second server hung
// before listening, and ignored SIGTERM), and on SQLite both would run the
// periodic jobs. CLI commands do not take the lock: they are meant to run
// beside serve. The lock is the operating system's (released when the
// process ends, also by a crash), so a stale file never blocks a start.
// The returned function releases it.
func lockDataDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, serveLockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("无法打开数据目录中的 %s：%w", serveLockFile, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errDataDirLocked) {
			abs, _ := filepath.Abs(dir)
			return nil, &exitError{code: 1, msg: fmt.Sprintf("数据目录 %s 正由另一个 gongkai serve 进程使用。同一数据目录只能运行一个服务进程；多台服务器共用一个 PostgreSQL 数据库时，每台使用自己的 --data 目录。", abs)}
		}
		return nil, fmt.Errorf("无法锁定数据目录：%w", err)
	}
	// The pid helps an operator find the other server; it is informative
	// only, the lock is what counts.
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() { f.Close() }, nil
}
