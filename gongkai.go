// Package gongkai holds the domain of the gongkai open-government platform:
// the types, rules vocabulary, error codes and service interfaces that every
// implementation under internal/ shares. It imports only the standard library,
// so the words of the domain (Org, Document, Application, Outcome …) read the
// same in storage, web handlers, jobs and tests.
package gongkai

import "time"

// Version is the release of this build; main overrides it with -ldflags.
var Version = "0.1.0-dev"

// Shanghai is the time zone of every date shown, every deadline and every
// "day" in the product (DESIGN.md: instants are stored in UTC, days are
// Asia/Shanghai). China has not observed daylight saving time since 1991, so
// a fixed +08:00 zone is exact and does not depend on the host's tzdata.
var Shanghai = mustShanghai()

func mustShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}
