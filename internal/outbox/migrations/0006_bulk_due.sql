-- Bulk goes in the order of when each message may go: a day's reminders
-- are spread over the sending window (next_try), so a delivery round reads
-- the ones due now first, not the ones queued first.
CREATE INDEX outbox_bulk_due ON outbox (channel, coalesce(next_try, created_at), id) WHERE status = 'pending' AND lane = 3;
