package app

import (
	"strconv"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
)

// OfficerSeat is the terminal chat officers type in, and where requests are
// announced when no Telegram group is configured.
const OfficerSeat = "petugas"

// OptionsFrom turns the settings into Options: the products and policy, the
// officers, and their Telegram group when Telegram is on.
func OptionsFrom(cfg config.Config) Options {
	opts := Options{
		Loans:        LoanOptions{Catalog: cfg.Catalog(), Policy: cfg.Policy()},
		OfficerGroup: member.Address{Channel: channel.Console, Chat: OfficerSeat},
	}
	if cfg.Telegram.Enabled && cfg.Telegram.OfficersChatID != 0 {
		opts.OfficerGroup = member.Address{Channel: channel.Telegram, Chat: strconv.FormatInt(cfg.Telegram.OfficersChatID, 10)}
	}
	for _, o := range cfg.Officers {
		opts.Officers = append(opts.Officers, officer.Officer{ID: strconv.FormatInt(o.TelegramID, 10), Name: o.Name, Role: o.Role})
	}
	return opts
}
