//go:build !linux

package vfs

// SyncData is Sync where fdatasync(2) is not available.
func (f osFile) SyncData() error { return f.File.Sync() }
