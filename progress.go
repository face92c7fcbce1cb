package cairn

import "context"

// Progress is how far a long operation has come: DB.Backup,
// Restore and DB.CheckContext report it to the function WithProgress
// puts in their context.
type Progress struct {
	// Phase names the step: "copying" (a backup's tables and WAL),
	// "restoring files", "checking storage" (sorted tables), "checking
	// data" (SQL tables against their definitions and indexes); a
	// backup's verification prefixes its checks with "verifying: ".
	Phase string
	// Done of Total, in Unit ("bytes" or "tables"); Total may grow as
	// the step goes (the WAL written while a backup runs).
	Done, Total int64
	Unit        string
}

type progressKey struct{}

// WithProgress returns a context that makes Backup, Restore and
// CheckContext call report as they go, on their own goroutine: after each
// file or table, and as a step starts.
func WithProgress(ctx context.Context, report func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, report)
}

// progressOf returns ctx's progress function, or one that does nothing.
func progressOf(ctx context.Context) func(Progress) {
	if f, ok := ctx.Value(progressKey{}).(func(Progress)); ok && f != nil {
		return f
	}
	return func(Progress) {}
}

// tableProgress reports a check's tables under phase.
func tableProgress(report func(Progress), phase string) func(done, total int) {
	return func(done, total int) {
		report(Progress{Phase: phase, Done: int64(done), Total: int64(total), Unit: "tables"})
	}
}
