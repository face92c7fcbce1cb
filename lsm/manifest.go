package lsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	iofs "io/fs"

	"github.com/cairndb/cairn/internal/vfs"
)

const (
	manifestName      = "MANIFEST"
	manifestTmpName   = "MANIFEST.tmp"
	manifestMagic     = 0x6d6e6663 // "cfnm"
	manifestVersion   = 1
	manifestFixedSize = 4 + 4 + 8 + 8 + 4
)

// manifest is the durable description of the store.
type manifest struct {
	flushedLSN  uint64
	nextFileNum uint64
	tables      []uint64 // file numbers, newest first
}

func (m *manifest) encode() []byte {
	out := make([]byte, 0, manifestFixedSize+8*len(m.tables)+crcSize)
	out = binary.LittleEndian.AppendUint32(out, manifestMagic)
	out = binary.LittleEndian.AppendUint32(out, manifestVersion)
	out = binary.LittleEndian.AppendUint64(out, m.flushedLSN)
	out = binary.LittleEndian.AppendUint64(out, m.nextFileNum)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(m.tables)))
	for _, n := range m.tables {
		out = binary.LittleEndian.AppendUint64(out, n)
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

func decodeManifest(data []byte) (*manifest, error) {
	if len(data) < manifestFixedSize+crcSize {
		return nil, fmt.Errorf("%w: manifest: %d bytes, too short", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-crcSize], binary.LittleEndian.Uint32(data[len(data)-crcSize:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: manifest: checksum mismatch", ErrCorrupt)
	}
	if binary.LittleEndian.Uint32(body[0:4]) != manifestMagic {
		return nil, fmt.Errorf("%w: manifest: bad magic number", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(body[4:8]); v != manifestVersion {
		return nil, fmt.Errorf("%w: manifest: unsupported version %d", ErrCorrupt, v)
	}
	m := &manifest{
		flushedLSN:  binary.LittleEndian.Uint64(body[8:16]),
		nextFileNum: binary.LittleEndian.Uint64(body[16:24]),
	}
	count := binary.LittleEndian.Uint32(body[24:28])
	if count > maxTableFiles || len(body) != manifestFixedSize+8*int(count) {
		return nil, fmt.Errorf("%w: manifest: %d tables in %d bytes", ErrCorrupt, count, len(body))
	}
	seen := make(map[uint64]bool, count)
	for i := range int(count) {
		n := binary.LittleEndian.Uint64(body[manifestFixedSize+8*i:])
		if n >= m.nextFileNum || seen[n] {
			return nil, fmt.Errorf("%w: manifest: bad table number %d", ErrCorrupt, n)
		}
		seen[n] = true
		m.tables = append(m.tables, n)
	}
	return m, nil
}

// readManifest returns the manifest in dir, or nil if there is none.
func readManifest(fs vfs.FS, dir string) (*manifest, error) {
	name := fs.PathJoin(dir, manifestName)
	f, err := fs.Open(name)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lsm: open manifest: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, manifestFixedSize+8*maxTableFiles+crcSize+1))
	if err != nil {
		return nil, fmt.Errorf("lsm: read manifest %s: %w", name, err)
	}
	m, err := decodeManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, name)
	}
	return m, nil
}

// writeManifest atomically replaces the manifest in dir: write a temporary
// file, fsync it, rename it over MANIFEST and sync the directory. renamed
// reports whether the new manifest took MANIFEST's name: after an error
// with renamed true, either manifest may be the one a crash leaves, so the
// files of both must stay.
func writeManifest(fs vfs.FS, dir string, m *manifest) (renamed bool, err error) {
	tmp := fs.PathJoin(dir, manifestTmpName)
	f, err := fs.Create(tmp)
	if err != nil {
		return false, fmt.Errorf("lsm: create manifest: %w", err)
	}
	// On failure before the rename the temporary file goes (Open would
	// remove it anyway).
	if _, err := f.Write(m.encode()); err != nil {
		return false, errors.Join(fmt.Errorf("lsm: write %s: %w", tmp, err), f.Close(), fs.Remove(tmp))
	}
	if err := f.Sync(); err != nil {
		return false, errors.Join(fmt.Errorf("lsm: sync %s: %w", tmp, err), f.Close(), fs.Remove(tmp))
	}
	if err := f.Close(); err != nil {
		return false, errors.Join(fmt.Errorf("lsm: close %s: %w", tmp, err), fs.Remove(tmp))
	}
	if err := fs.Rename(tmp, fs.PathJoin(dir, manifestName)); err != nil {
		return false, errors.Join(fmt.Errorf("lsm: install manifest: %w", err), fs.Remove(tmp))
	}
	if err := fs.SyncDir(dir); err != nil {
		return true, fmt.Errorf("lsm: sync dir %s after installing manifest: %w", dir, err)
	}
	return true, nil
}
