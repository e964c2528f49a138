//go:build race

package whatsapp

// raceOn: the race detector slows the whole-day simulation tenfold.
const raceOn = true
