package proctest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

const roleEnv = "KOPBOT_PROCTEST_ROLE"

// TestMain plays the parent that dies and the child that must die with it.
func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "parent":
		c := exec.Command(os.Args[0])
		c.Env = append(os.Environ(), roleEnv+"=child")
		DieWithParent(c)
		if err := c.Start(); err != nil {
			os.Exit(2)
		}
		fmt.Println(c.Process.Pid)
		os.Exit(0) // without waiting: the child is orphaned here
	case "child":
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestChildDiesWithTheParent: the child of a process that exits is gone
// soon after, not left running for its minute.
func TestChildDiesWithTheParent(t *testing.T) {
	t.Parallel()
	parent := exec.Command(os.Args[0])
	parent.Env = append(os.Environ(), roleEnv+"=parent")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(line[:len(line)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Wait(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		// Signal 0 asks whether the process exists; a zombie awaiting its
		// reaper has exited too.
		if err := syscall.Kill(pid, 0); err != nil || exited(pid) {
			return
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	t.Fatalf("child %d still runs after its parent exited", pid)
}

// exited reports whether pid is a zombie: dead, not yet reaped.
func exited(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses: "123 (name) Z …".
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == ')' {
			return i+2 < len(b) && b[i+2] == 'Z'
		}
	}
	return false
}
