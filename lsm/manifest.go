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
	manifestName    = "MANIFEST"
	manifestTmpName = "MANIFEST.tmp"
	manifestMagic   = 0x6d6e6663 // "cfnm"
	// manifestVersion is what the writer produces: the whole version as
	// one version edit. manifestVersion1 (a list of table numbers, newest
	// first) is still read.
	manifestVersion      = 2
	manifestVersion1     = 1
	manifestHeaderSize   = 4 + 4
	manifestV1FixedSize  = 4 + 4 + 8 + 8 + 4
	maxManifestBodyBytes = 64 << 20
)

// manifest is the durable description of the store: a version edit that
// builds the whole version from nothing, with FlushedLSN and the next file
// number set.
type manifest struct {
	edit *versionEdit
	// legacy: read from a version 1 manifest, whose tables carry no size
	// or key range; Open reads them from the tables.
	legacy bool
}

func (m *manifest) encode() []byte {
	out := make([]byte, 0, 256)
	out = binary.LittleEndian.AppendUint32(out, manifestMagic)
	out = binary.LittleEndian.AppendUint32(out, manifestVersion)
	out = m.edit.encode(out)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

func decodeManifest(data []byte) (*manifest, error) {
	if len(data) < manifestHeaderSize+crcSize {
		return nil, fmt.Errorf("%w: manifest: %d bytes, too short", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-crcSize], binary.LittleEndian.Uint32(data[len(data)-crcSize:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: manifest: checksum mismatch", ErrCorrupt)
	}
	if binary.LittleEndian.Uint32(body[0:4]) != manifestMagic {
		return nil, fmt.Errorf("%w: manifest: bad magic number", ErrCorrupt)
	}
	var m *manifest
	switch v := binary.LittleEndian.Uint32(body[4:8]); v {
	case manifestVersion:
		e, err := decodeVersionEdit(body[manifestHeaderSize:])
		if err != nil {
			return nil, fmt.Errorf("%w: manifest: %w", ErrCorrupt, err)
		}
		m = &manifest{edit: e}
	case manifestVersion1:
		var err error
		if m, err = decodeManifestV1(body); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: manifest: unsupported version %d", ErrCorrupt, v)
	}
	if err := checkSnapshot(m.edit); err != nil {
		return nil, fmt.Errorf("%w: manifest: %w", ErrCorrupt, err)
	}
	return m, nil
}

// checkSnapshot checks what a whole-version edit must hold: the next file
// number above every table's, no table twice, and no deletions.
func checkSnapshot(e *versionEdit) error {
	if !e.hasNextFileNum || !e.hasFlushedLSN {
		return errors.New("snapshot without next file number or flushed LSN")
	}
	if len(e.deleted) > 0 {
		return errors.New("snapshot deletes tables")
	}
	if len(e.added) > maxTableFiles {
		return fmt.Errorf("%d tables, over the limit of %d", len(e.added), maxTableFiles)
	}
	seen := make(map[uint64]bool, len(e.added))
	for _, a := range e.added {
		if n := a.meta.fileNum; n == 0 || n >= e.nextFileNum || seen[n] {
			return fmt.Errorf("bad table number %d", n)
		}
		seen[a.meta.fileNum] = true
	}
	return nil
}

// decodeManifestV1 reads the version 1 format (magic, version, FlushedLSN
// u64, next file number u64, count u32, count file numbers u64 newest
// first, CRC): the oldest table becomes L1 (in version 1 it is the only one
// a compaction may have written with a number above newer tables') and the
// others L0.
func decodeManifestV1(body []byte) (*manifest, error) {
	if len(body) < manifestV1FixedSize {
		return nil, fmt.Errorf("%w: manifest: %d bytes, too short", ErrCorrupt, len(body))
	}
	e := &versionEdit{}
	e.setFlushedLSN(binary.LittleEndian.Uint64(body[8:16]))
	e.setNextFileNum(binary.LittleEndian.Uint64(body[16:24]))
	count := binary.LittleEndian.Uint32(body[24:28])
	if count > maxTableFiles || len(body) != manifestV1FixedSize+8*int(count) {
		return nil, fmt.Errorf("%w: manifest: %d tables in %d bytes", ErrCorrupt, count, len(body))
	}
	for i := range int(count) {
		n := binary.LittleEndian.Uint64(body[manifestV1FixedSize+8*i:])
		level := 0
		if i == int(count)-1 {
			level = 1
		} else if i > 0 && n >= e.added[i-1].meta.fileNum {
			return nil, fmt.Errorf("%w: manifest: version 1 tables out of order", ErrCorrupt)
		}
		e.addFile(level, &fileMeta{fileNum: n})
	}
	return &manifest{edit: e, legacy: true}, nil
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
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("lsm: read manifest %s: %w", name, err)
	}
	if len(data) > maxManifestBodyBytes {
		return nil, fmt.Errorf("%w: manifest %s: over %d bytes", ErrCorrupt, name, maxManifestBodyBytes)
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
