package officer

// AfterRead has fn run whenever a command's read is done, its read
// transaction still open: what a test does there comes between the read
// and the write.
func AfterRead(d *Desk, fn func()) { d.afterRead = fn }
