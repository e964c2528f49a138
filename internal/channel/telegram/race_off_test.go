//go:build !race

package telegram

const raceOn = false
