//go:build race

package telegram

// raceOn: the race detector slows the simulated morning tenfold.
const raceOn = true
