//go:build !unix

package main

import "os"

// lockFile does nothing where flock is not available (gongkai is deployed
// on Linux; other systems are for development), so serve starts as before.
func lockFile(*os.File) error { return nil }
