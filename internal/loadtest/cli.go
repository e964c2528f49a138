package loadtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// ErrUsage is RunLoad's answer to arguments it cannot take (or -help),
// once it has printed why and how to call it.
var ErrUsage = errors.New("kopbot load: usage")

// RunLoad is `kopbot load`: it parses args, runs the load and prints the
// report.
func RunLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kopbot load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := Options{Mix: DefaultMix}
	fs.StringVar(&o.Dir, "dir", os.TempDir(), "folder for the generated databases, reused by size")
	fs.IntVar(&o.Size.Members, "members", 100_000, "members in the cooperative")
	fs.IntVar(&o.Size.Postings, "postings", 5_000_000, "ledger postings in the cooperative")
	fs.IntVar(&o.Concurrency, "concurrency", 10_000, "simulated members chatting at once")
	fs.IntVar(&o.Messages, "messages", 100_000, "messages to send in all")
	fs.Float64Var(&o.Rate, "rate", 0, "offered messages/s over all members (think time between messages); 0: no pause")
	fs.IntVar(&o.Mix.Saldo, "saldo", o.Mix.Saldo, "weight of balance checks")
	fs.IntVar(&o.Mix.Mutasi, "mutasi", o.Mix.Mutasi, "weight of statements")
	fs.IntVar(&o.Mix.Simulasi, "simulasi", o.Mix.Simulasi, "weight of loan simulations (4 messages)")
	fs.IntVar(&o.Mix.Pinjam, "pinjam", o.Mix.Pinjam, "weight of loan requests to the confirmation (6 messages)")
	fs.IntVar(&o.Mix.Kalimat, "kalimat", o.Mix.Kalimat, "weight of questions written as a sentence (saldo saya berapa ya)")
	fs.IntVar(&o.Mix.Submit, "submit", o.Mix.Submit, "percent of loan requests confirmed")
	fs.BoolVar(&o.CheckLedger, "check", true, "run the ledger check on the database the run leaves")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return ErrUsage // the flag set printed the error and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kopbot load: unexpected %q\n", fs.Args())
		fs.Usage()
		return ErrUsage
	}
	o.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return fmt.Errorf("kopbot load: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return errors.Join(fmt.Errorf("kopbot load: %w", err), f.Close())
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	r, err := Run(ctx, o)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, r)
	return err
}
