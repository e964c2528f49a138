// Package locales embeds every text a member or officer reads: one
// <area>.<lang>.toml file per area and language, loaded by internal/i18n.
package locales

import "embed"

// FS holds the message files; the binary carries them so a deployment cannot
// run with texts that differ from the code that uses them.
//
//go:embed *.toml
var FS embed.FS
