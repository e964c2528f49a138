package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// metrics are what /metrics exposes. A registry of its own keeps tests
// (several servers in one process) from colliding on the global one.
type metrics struct {
	reg        *prometheus.Registry
	in         *prometheus.CounterVec
	out        *prometheus.CounterVec
	sendFailed *prometheus.CounterVec
	handling   *prometheus.HistogramVec
	// fallbacks counts member messages answered by the fallback, as the
	// router commits them (Router.OnFallback).
	fallbacks prometheus.Counter
}

func newMetrics(db *store.DB) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		in: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kopbot_messages_in_total", Help: "Inbound messages and button presses handled, by channel.",
		}, []string{"channel"}),
		out: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kopbot_messages_out_total", Help: "Messages delivered, by channel.",
		}, []string{"channel"}),
		sendFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kopbot_send_failures_total", Help: "Failed delivery attempts, by channel.",
		}, []string{"channel"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kopbot_handling_seconds", Help: "Time to handle one inbound message, by channel.",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"channel"}),
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kopbot_understand_fallback_total",
			Help: "Member messages kopbot did not understand (answered by the fallback); officers see the most frequent with /tidakpaham.",
		}),
	}
	m.reg.MustRegister(m.in, m.out, m.sendFailed, m.handling, m.fallbacks, outboxDepth{db: db},
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

var depthDesc = prometheus.NewDesc("kopbot_outbox_depth", "Messages in the outbox, by channel and status.",
	[]string{"channel", "status"}, nil)

// outboxDepth counts the outbox at scrape time, so the figure is the
// database's, not a counter that drifts from it.
type outboxDepth struct{ db *store.DB }

func (outboxDepth) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

func (o outboxDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := o.db.R.QueryContext(ctx, `SELECT channel, status, count(*) FROM outbox WHERE status IN ('pending', 'failed') GROUP BY 1, 2`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var c, s string
		var n float64
		if err := rows.Scan(&c, &s, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(depthDesc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, n, c, s)
	}
}

// counted wraps a handler so every message and press is counted and timed.
type counted struct {
	h channel.Handler
	m *metrics
}

func (c counted) HandleMessage(ctx context.Context, msg channel.Message) error {
	start := time.Now()
	err := c.h.HandleMessage(ctx, msg)
	c.m.in.WithLabelValues(string(msg.Channel)).Inc()
	c.m.handling.WithLabelValues(string(msg.Channel)).Observe(time.Since(start).Seconds())
	return err
}

func (c counted) HandleCallback(ctx context.Context, cb channel.Callback) (string, error) {
	start := time.Now()
	notice, err := c.h.HandleCallback(ctx, cb)
	c.m.in.WithLabelValues(string(cb.Channel)).Inc()
	c.m.handling.WithLabelValues(string(cb.Channel)).Observe(time.Since(start).Seconds())
	return notice, err
}

// countSends wraps s so what it delivers and fails to is counted. The
// wrapper keeps what s can do beyond Send: a channel.Tracer stays a Tracer,
// or the outbox would never learn the platform ids of what was sent and
// every officer's reply in Telegram would be untraceable.
func countSends(s channel.Sender, ch channel.Name, m *metrics) channel.Sender {
	c := countedSender{s: s, ch: ch, m: m}
	if t, ok := s.(channel.Tracer); ok {
		return countedTracer{countedSender: c, t: t}
	}
	return c
}

// countedSender counts what a channel delivers and fails to.
type countedSender struct {
	s  channel.Sender
	ch channel.Name
	m  *metrics
}

func (c countedSender) Send(ctx context.Context, r channel.Reply) error {
	return c.count(c.s.Send(ctx, r))
}

func (c countedSender) count(err error) error {
	if err != nil {
		c.m.sendFailed.WithLabelValues(string(c.ch)).Inc()
	} else {
		c.m.out.WithLabelValues(string(c.ch)).Inc()
	}
	return err
}

// countedTracer is countedSender for a channel.Tracer.
type countedTracer struct {
	countedSender
	t channel.Tracer
}

func (c countedTracer) SendTraced(ctx context.Context, r channel.Reply) (string, error) {
	id, err := c.t.SendTraced(ctx, r)
	return id, c.count(err)
}
