package whatsapp

import (
	"log/slog"

	signallog "go.mau.fi/libsignal/logger"
)

// libsignal installs its logger lazily, unsynchronised, on the first
// signature it computes; two sessions opening at once race on it. Setting
// it once at package start removes the race and routes its words to slog.
func init() {
	var l signallog.Loggable = signalLogger{}
	signallog.Setup(&l)
}

// signalLogger passes libsignal's warnings and errors on; its debug and info
// lines are per-message key chatter.
type signalLogger struct{}

func (signalLogger) Debug(string, string) {}
func (signalLogger) Info(string, string)  {}
func (signalLogger) Configure(string)     {}
func (signalLogger) Warning(caller, msg string) {
	slog.Warn(msg, "module", "libsignal", "caller", caller)
}
func (signalLogger) Error(caller, msg string) {
	slog.Error(msg, "module", "libsignal", "caller", caller)
}
