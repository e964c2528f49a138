//go:build race

package ledger

// raceEnabled trims the property test: the race detector slows the pure-Go
// SQLite about tenfold, and a third of the run still mixes every operation.
const raceEnabled = true
