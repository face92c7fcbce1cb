// Command backupvs compares an online backup of cairn with PostgreSQL
// 15's pg_basebackup, both holding the same pgbench data, in one run.
//
// Both servers start fresh (PostgreSQL from initdb with fsync=on, run as
// the unprivileged user cairntest when backupvs runs as root; cairn from
// cmd/cairn built with go build) and are loaded with pgbench -i -s SCALE.
// Each round then takes, in alternating order:
//
//	postgres   pg_basebackup -D DIR -c fast -X stream   (a fast checkpoint,
//	           the WAL streamed alongside, a backup manifest, synced)
//	cairn      cairn backup --url URL --to DIR          (cairn_backup() on the
//	           server: a checkpoint, tables hard-linked, WAL copied, the
//	           copy restored into a scratch directory and fully checked,
//	           then the label)
//
// and removes the directory again. The ratio is PostgreSQL's median time
// over cairn's (above 1: cairn's backup is faster), with each side's
// spread and the size of its backup directory. The two do different work:
// pg_basebackup copies every byte over the replication protocol and does
// not verify the copy; cairn hard-links its immutable tables when the
// backup directory is on the same file system (as here), copies only the
// WAL and control files, and verifies the copy the way `cairn check`
// does. The output says so next to the figures. No figure is asserted.
package main
