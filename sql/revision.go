package sql

// Revision returns the newest published commit revision: a snapshot taken
// now sees exactly the commits at or below it. A backup records it.
func (e *Engine) Revision() uint64 { return uint64(e.tm.Published()) }
