package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mdp/qrterminal/v3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/phone"
)

// loginWait bounds the wait for the login that follows pairing or precedes
// a logout; WhatsApp answers in seconds when it answers at all.
const loginWait = time.Minute

// Link pairs the cooperative's number with this session. With phone == ""
// it draws QR codes on out as WhatsApp rotates them (Linked devices → Link
// a device); otherwise it prints a pairing code for the phone with that
// number (Link with phone number instead). It returns once paired and
// logged in, or when the codes run out or ctx ends.
func (s *Session) Link(ctx context.Context, out io.Writer, number string) error {
	if s.Paired() {
		return fmt.Errorf("whatsapp already linked as %s: unlink first", s.ID())
	}
	cli := s.client("Link")
	onCode := drawQR(out)
	if number != "" {
		e164, err := phone.Normalize(number)
		if err != nil {
			return fmt.Errorf("link whatsapp: %w", err)
		}
		onCode = askPairingCode(out, func(ctx context.Context) (string, error) {
			return cli.PairPhone(ctx, e164, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
		})
	}
	return s.link(ctx, cli, out, onCode)
}

func (s *Session) link(ctx context.Context, cli *whatsmeow.Client, out io.Writer, onCode func(context.Context, whatsmeow.QRChannelItem) error) error {
	qrs, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("link whatsapp: %w", err)
	}
	login := watchLogin(cli)
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("link whatsapp: connect: %w", err)
	}
	defer cli.Disconnect()
	if err := awaitPairing(ctx, qrs, onCode); err != nil {
		return err
	}
	// whatsmeow reconnects after pairing to log in and upload its keys;
	// disconnecting before that finishes leaves a half-made session.
	if err := awaitLogin(ctx, login); err != nil {
		return fmt.Errorf("link whatsapp: paired, but first login failed: %w", err)
	}
	fmt.Fprintf(out, "Linked as %s.\n", s.ID())
	return nil
}

// awaitPairing feeds QR codes to onCode until pairing succeeds or fails.
func awaitPairing(ctx context.Context, qrs <-chan whatsmeow.QRChannelItem, onCode func(context.Context, whatsmeow.QRChannelItem) error) error {
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("link whatsapp: %w", ctx.Err())
		case item, ok := <-qrs:
			switch {
			case !ok:
				return errors.New("link whatsapp: pairing ended without success")
			case item.Event == whatsmeow.QRChannelEventCode:
				if err := onCode(ctx, item); err != nil {
					return err
				}
			case item.Event == whatsmeow.QRChannelSuccess.Event:
				return nil
			case item.Event == whatsmeow.QRChannelEventError:
				return fmt.Errorf("link whatsapp: %w", item.Error)
			case item.Event == whatsmeow.QRChannelTimeout.Event:
				return errors.New("link whatsapp: no device linked before the codes ran out; try again")
			default:
				return fmt.Errorf("link whatsapp: %s", item.Event)
			}
		}
	}
}

// drawQR shows each code as it comes; the previous one has expired.
func drawQR(out io.Writer) func(context.Context, whatsmeow.QRChannelItem) error {
	return func(_ context.Context, item whatsmeow.QRChannelItem) error {
		fmt.Fprintf(out, "\nScan in WhatsApp → Linked devices → Link a device (valid %s):\n", item.Timeout)
		qrterminal.GenerateHalfBlock(item.Code, qrterminal.L, out)
		return nil
	}
}

// askPairingCode asks once, when the first QR code shows the connection is
// ready (whatsmeow's rule for PairPhone); the codes that follow are not
// for the phone-number flow.
func askPairingCode(out io.Writer, pair func(context.Context) (string, error)) func(context.Context, whatsmeow.QRChannelItem) error {
	asked := false
	return func(ctx context.Context, _ whatsmeow.QRChannelItem) error {
		if asked {
			return nil
		}
		asked = true
		code, err := pair(ctx)
		if err != nil {
			return fmt.Errorf("link whatsapp: pairing code: %w", err)
		}
		fmt.Fprintf(out, "In WhatsApp on the phone: Linked devices → Link a device → Link with phone number instead, and enter\n\n    %s\n\n", code)
		return nil
	}
}

// Unlink logs the device out on WhatsApp's side and deletes the session.
func (s *Session) Unlink(ctx context.Context) error {
	if !s.Paired() {
		return ErrNotPaired
	}
	cli := s.client("Unlink")
	login := watchLogin(cli)
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("unlink whatsapp: connect: %w", err)
	}
	defer cli.Disconnect()
	if err := awaitLogin(ctx, login); err != nil {
		return fmt.Errorf("unlink whatsapp: %w", err)
	}
	if err := cli.Logout(ctx); err != nil {
		return fmt.Errorf("unlink whatsapp: %w", err)
	}
	return nil
}

// watchLogin reports how the client's next login ends: nil once connected,
// or why WhatsApp refused. It must be set up before connecting.
func watchLogin(cli *whatsmeow.Client) <-chan error {
	done := make(chan error, 1)
	cli.AddEventHandler(func(evt any) {
		var err error
		if _, ok := evt.(*events.Connected); !ok {
			kind, detail, halts := halting(evt)
			if !halts {
				return
			}
			err = fmt.Errorf("%s: %s", kind, detail)
		}
		select {
		case done <- err:
		default:
		}
	})
	return done
}

func awaitLogin(ctx context.Context, login <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, loginWait)
	defer cancel()
	select {
	case err := <-login:
		return err
	case <-ctx.Done():
		return fmt.Errorf("waiting for login: %w", ctx.Err())
	}
}
