// Package proctest holds what tests that start processes of their own
// share: a child started by a test must not outlive it.
package proctest
