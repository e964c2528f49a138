//go:build !race

package whatsapp

const raceOn = false
