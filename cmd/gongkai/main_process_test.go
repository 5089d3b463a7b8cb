package main

import (
	"os"
	"testing"
)

// TestMain lets a test run this test binary as the gongkai command itself
// (GONGKAI_TEST_MAIN=1 and the command line as arguments), so tests can
// start real serve processes without building the binary first.
func TestMain(m *testing.M) {
	if os.Getenv("GONGKAI_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}
