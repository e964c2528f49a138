package app

import (
	"strconv"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/holiday"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/reminder"
)

// OfficerSeat is the terminal chat officers type in, and where requests are
// announced when no Telegram group is configured.
const OfficerSeat = "petugas"

// OptionsFrom turns the settings into Options: the products and policy, the
// officers, and their Telegram group when Telegram is on.
func OptionsFrom(cfg config.Config) Options {
	opts := Options{
		Clock:        cfg.Clock(),
		Location:     cfg.Location(),
		Loans:        LoanOptions{Catalog: cfg.Catalog(), Policy: cfg.Policy()},
		Duties:       cfg.Duties(),
		Withdraw:     cfg.WithdrawRules(),
		Chart:        cfg.Chart(),
		Kolek:        cfg.Kolek(),
		SHU:          cfg.SHU(),
		Health:       cfg.Health(),
		HealthKey:    cfg.Books.HealthProfile,
		ReasonWait:   cfg.Telegram.ReasonWait.Duration,
		WajibAmount:  cfg.Reminders.WajibAmount.Decimal,
		OfficerGroup: member.Address{Channel: channel.Console, Chat: OfficerSeat},
		Payments: PaymentOptions{ProofsDir: cfg.Payment.ProofsDir, MaxFileBytes: cfg.Payment.MaxFileBytes,
			Banks: cfg.Banks(), CodeDays: cfg.Payment.CodeDays},
		AnnounceValidDays: cfg.Announce.ValidDays,
		Joining: JoiningOptions{FirstNumber: cfg.Joining.FirstNumber, ProspectDays: cfg.Joining.ProspectDays,
			Requirements: map[string]string{"id": cfg.Joining.Requirements, "en": cfg.Joining.RequirementsEN}},
	}
	if cfg.Telegram.Enabled && cfg.Telegram.OfficersChatID != 0 {
		opts.OfficerGroup = member.Address{Channel: channel.Telegram, Chat: strconv.FormatInt(cfg.Telegram.OfficersChatID, 10)}
	}
	for _, o := range cfg.Officers {
		opts.Officers = append(opts.Officers, officer.Officer{ID: strconv.FormatInt(o.TelegramID, 10), Name: o.Name, Role: o.Role,
			Member: o.Member})
	}
	return opts
}

// BulkWindow is how long the sending window of unasked messages is open on
// a sending day.
func BulkWindow(cfg config.Config) time.Duration {
	r := cfg.Reminders
	return time.Duration(r.WindowEnd.Hour*60+r.WindowEnd.Minute-r.WindowStart.Hour*60-r.WindowStart.Minute) * time.Minute
}

// ReminderConfig turns the reminder settings into the planner's; the
// morning summary goes where requests are announced.
func ReminderConfig(cfg config.Config) reminder.Config {
	r := cfg.Reminders
	days := make([]time.Weekday, len(r.Days))
	for i, d := range r.Days {
		days[i] = d.Weekday
	}
	extra := make([]time.Time, len(r.Holidays))
	for i, d := range r.Holidays {
		extra[i] = d.Time
	}
	return reminder.Config{
		OffsetsInstallment: r.OffsetsInstallment,
		OffsetsWajib:       r.OffsetsWajib,
		WindowStart:        reminder.TimeOfDay{Hour: r.WindowStart.Hour, Minute: r.WindowStart.Minute},
		WindowEnd:          reminder.TimeOfDay{Hour: r.WindowEnd.Hour, Minute: r.WindowEnd.Minute},
		Days:               days,
		Holidays:           holiday.Indonesia().With("reminders.holidays", extra...),
		WajibAmount:        r.WajibAmount.Decimal,
		WajibDueDay:        r.WajibDueDay,
		Location:           cfg.Location(),
		OfficerGroup:       OptionsFrom(cfg).OfficerGroup,
	}
}
