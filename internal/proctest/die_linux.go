package proctest

import (
	"os/exec"
	"syscall"
)

// DieWithParent has the kernel kill c when the test process dies: a test
// binary that times out or panics leaves no child (a serve, a killed
// worker) running on the machine.
func DieWithParent(c *exec.Cmd) {
	if c.SysProcAttr == nil {
		c.SysProcAttr = &syscall.SysProcAttr{}
	}
	c.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
