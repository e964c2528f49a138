// Package console is the terminal adapter: each line typed (or piped in) is a
// message from one seat, and replies are printed as they are sent. Lines are
// handled one at a time, so a script gets one line's replies before the next
// line is read.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
)

// MaxLine is the longest line kept; the rest of a longer line is dropped.
const MaxLine = 64 << 10

// Options configure a Console.
type Options struct {
	// Phone is the member's number in E.164 digits; empty for an officer seat.
	Phone string
	// Chat is the address replies to this seat carry.
	Chat string
	// Color renders markup with ANSI escapes (a TTY); otherwise it is removed.
	Color bool
	// Prompt is printed before each line is read; empty for scripts.
	Prompt string
	// Now tells the time messages are stamped with; time.Now when nil.
	Now func() time.Time
}

// Console reads messages from in and writes replies to out.
type Console struct {
	in     *bufio.Reader
	opts   Options
	render func(string) string
	// idPrefix makes ids unique across runs: the inbox keeps (channel, ID)
	// in a persistent database, so a counter alone would collide with the
	// previous run's messages and be dropped as redeliveries.
	idPrefix string
	seq      atomic.Uint64

	mu  sync.Mutex // serialises writes to out: replies may come from several goroutines
	out io.Writer
}

// New returns a Console for one seat.
func New(in io.Reader, out io.Writer, opts Options) *Console {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	render := markup.Plain
	if opts.Color {
		render = markup.ANSI
	}
	var nonce [4]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	return &Console{
		in:       bufio.NewReaderSize(in, 4096),
		opts:     opts,
		render:   render,
		idPrefix: strconv.FormatInt(opts.Now().UnixNano(), 36) + hex.EncodeToString(nonce[:]),
		out:      out,
	}
}

// Run reads lines until in ends or ctx is done, and calls handle for each
// non-blank line, waiting for it to return before reading the next. Blank
// lines are skipped. It returns nil at the end of input, ctx's error when
// cancelled, and handle's or the reader's error otherwise.
func (c *Console) Run(ctx context.Context, handle func(context.Context, channel.Message) error) error {
	type result struct {
		line string
		err  error
	}
	// Reading happens on its own goroutine so a cancelled ctx ends Run while
	// a terminal read is blocked; it reads only when asked, never ahead, so
	// the prompt follows the previous line's replies.
	want, got := make(chan struct{}), make(chan result)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-want:
			case <-done:
				return
			}
			line, err := c.readLine()
			select {
			case got <- result{line, err}:
			case <-done:
				return
			}
		}
	}()
	for {
		if c.opts.Prompt != "" {
			if err := c.write(c.opts.Prompt); err != nil {
				return err
			}
		}
		select {
		case want <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		var r result
		select {
		case r = <-got:
		case <-ctx.Done():
			return ctx.Err()
		}
		if strings.TrimSpace(r.line) != "" {
			if err := handle(ctx, c.message(r.line)); err != nil {
				return fmt.Errorf("console: handle line: %w", err)
			}
		}
		if errors.Is(r.err, io.EOF) {
			return nil
		}
		if r.err != nil {
			return fmt.Errorf("console: read: %w", r.err)
		}
	}
}

func (c *Console) message(line string) channel.Message {
	return channel.Message{
		Channel: channel.Console,
		ID:      c.idPrefix + "-" + strconv.FormatUint(c.seq.Add(1), 10),
		Chat:    c.opts.Chat,
		Phone:   c.opts.Phone,
		Text:    line,
		Kind:    channel.Text,
		At:      c.opts.Now(),
	}
}

// readLine returns the next line without its line ending. A line longer than
// MaxLine is cut there (at a character boundary) and its rest discarded, so
// a pasted blob cannot exhaust memory. A last line without a newline is
// returned as a line; io.EOF comes on the next call.
func (c *Console) readLine() (string, error) {
	var line []byte
	truncated := false
	for {
		chunk, isPrefix, err := c.in.ReadLine()
		if room := MaxLine - len(line); len(chunk) > room {
			chunk, truncated = chunk[:room], true
		}
		line = append(line, chunk...)
		if err != nil {
			if len(line) > 0 && errors.Is(err, io.EOF) {
				break
			}
			return string(line), err
		}
		if !isPrefix {
			break
		}
	}
	if truncated {
		line = dropPartialRune(line)
		slog.Warn("console: line too long, truncated", "max_bytes", MaxLine)
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}

// dropPartialRune removes a character cut in half at the end of b.
func dropPartialRune(b []byte) []byte {
	i := len(b) - 1
	for i > 0 && i > len(b)-utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	if i >= 0 && !utf8.FullRune(b[i:]) {
		return b[:i]
	}
	return b
}

// Send prints a reply followed by a blank line. A reply addressed to another
// chat than this seat's (a notice to a member while an officer types) is
// headed with its address so it is not mistaken for an answer.
func (c *Console) Send(_ context.Context, r channel.Reply) error {
	if r.Channel != "" && r.Channel != channel.Console {
		return fmt.Errorf("console: reply for channel %q", r.Channel)
	}
	if r.EditOf != "" {
		return nil // a terminal shows no buttons, so there are none to take away
	}
	var b strings.Builder
	if r.Chat != c.opts.Chat {
		fmt.Fprintf(&b, "→ %s\n", r.Chat)
	}
	text := r.Text
	if a := r.Attachment; a != nil {
		// A terminal shows no pictures: where the file is kept, to open it.
		text = "📎 " + a.Name + " (" + a.Path + ")\n" + text
	}
	b.WriteString(strings.TrimRight(c.render(text), "\n"))
	b.WriteString("\n\n")
	return c.write(b.String())
}

func (c *Console) write(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.out, s); err != nil {
		return fmt.Errorf("console: write: %w", err)
	}
	return nil
}
