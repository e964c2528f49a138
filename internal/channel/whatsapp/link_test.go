package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
)

func code(c string) whatsmeow.QRChannelItem {
	return whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: c, Timeout: 20 * time.Second}
}

func feed(items ...whatsmeow.QRChannelItem) <-chan whatsmeow.QRChannelItem {
	ch := make(chan whatsmeow.QRChannelItem, len(items))
	for _, it := range items {
		ch <- it
	}
	close(ch)
	return ch
}

func TestAwaitPairing(t *testing.T) {
	t.Parallel()
	errPair := errors.New("pair refused")
	tests := []struct {
		name    string
		items   []whatsmeow.QRChannelItem
		wantErr bool
	}{
		{"success after rotating codes", []whatsmeow.QRChannelItem{code("2@a"), code("2@b"), whatsmeow.QRChannelSuccess}, false},
		{"codes ran out", []whatsmeow.QRChannelItem{code("2@a"), whatsmeow.QRChannelTimeout}, true},
		{"pairing error", []whatsmeow.QRChannelItem{code("2@a"), {Event: whatsmeow.QRChannelEventError, Error: errPair}}, true},
		{"client outdated", []whatsmeow.QRChannelItem{whatsmeow.QRChannelClientOutdated}, true},
		{"channel closed", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := awaitPairing(context.Background(), feed(tt.items...), drawQR(&out))
			if (err != nil) != tt.wantErr {
				t.Fatalf("awaitPairing = %v, want error %v", err, tt.wantErr)
			}
			codes := 0
			for _, it := range tt.items {
				if it.Event == whatsmeow.QRChannelEventCode {
					codes++
				}
			}
			if got := strings.Count(out.String(), "Link a device"); got != codes {
				t.Errorf("drew %d codes, want %d", got, codes)
			}
			if codes > 0 && !strings.Contains(out.String(), "█") {
				t.Error("no QR code drawn")
			}
		})
	}
}

func TestAwaitPairingHonoursContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := awaitPairing(ctx, make(chan whatsmeow.QRChannelItem), drawQR(&bytes.Buffer{}))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("awaitPairing = %v, want context.Canceled", err)
	}
}

func TestPairingCodeAskedOnce(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	asks := 0
	onCode := askPairingCode(&out, func(context.Context) (string, error) {
		asks++
		return "ABCD-EFGH", nil
	})
	err := awaitPairing(context.Background(), feed(code("2@a"), code("2@b"), whatsmeow.QRChannelSuccess), onCode)
	if err != nil || asks != 1 || !strings.Contains(out.String(), "ABCD-EFGH") || strings.Contains(out.String(), "█") {
		t.Errorf("err %v, asks %d, out %q; want one code shown and no QR", err, asks, out.String())
	}

	errPair := errors.New("rate limited")
	onCode = askPairingCode(&out, func(context.Context) (string, error) { return "", errPair })
	if err := awaitPairing(context.Background(), feed(code("2@a")), onCode); !errors.Is(err, errPair) {
		t.Errorf("awaitPairing = %v, want the pairing error", err)
	}
}
