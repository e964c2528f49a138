// Package flows embeds the conversation definitions: menus and multi-step
// dialogs as data, read and validated by internal/dialog at start.
package flows

import "embed"

// FS holds every flow file.
//
//go:embed *.toml words/*.toml
var FS embed.FS
