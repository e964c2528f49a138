//go:build !linux

package proctest

import "os/exec"

// DieWithParent is Linux's alone; elsewhere a child outlives a test binary
// that dies before it could stop the child.
func DieWithParent(*exec.Cmd) {}
