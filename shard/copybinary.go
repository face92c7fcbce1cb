package shard

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// COPY's binary format: the signature, 32-bit flags, a 32-bit header
// extension length and the extension; then each row as a 16-bit field
// count and each field as a 32-bit length (-1 for NULL) and its bytes;
// then a 16-bit -1. The coordinator reads only the frame and the
// distribution column's field: the nodes check the rest as they would
// on one server.
var (
	copySignature = []byte("PGCOPY\n\377\r\n\x00")
	copyTrailer   = []byte{0xff, 0xff}
)

func badCopy(format string, args ...any) *pgerr.Error {
	return pgerr.New(pgerr.BadCopyFileFormat, format, args...)
}

// copySplitBinary sends each row of binary COPY data to the node of its
// shard, the header to every node, and a trailer to every node at the
// end.
func copySplitBinary(src sql.CopySource, a *stmt, keyCol int, byID map[string]*nodeCopy) error {
	dec, ok := src.(sql.CopyDecoder)
	if !ok {
		return pgerr.New(pgerr.FeatureNotSupported, "binary COPY needs a client connection that decodes binary values")
	}
	t := a.table
	keyType := types.T{ID: types.ID(t.TypeOID), Mod: -1}
	br := bufio.NewReaderSize(src, 64<<10)
	full := func(p []byte) error {
		if _, err := io.ReadFull(br, p); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return badCopy("unexpected EOF in COPY data")
			}
			return err
		}
		return nil
	}
	header := make([]byte, 19)
	if _, err := io.ReadFull(br, header); err != nil || !bytes.Equal(header[:11], copySignature) {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return badCopy("COPY file signature not recognized")
	}
	ext := int32(binary.BigEndian.Uint32(header[15:19]))
	if ext < 0 {
		return badCopy("invalid COPY file header (missing length)")
	}
	extension := make([]byte, ext)
	if err := full(extension); err != nil {
		return badCopy("invalid COPY file header (wrong length)")
	}
	header = append(header, extension...)
	for _, nc := range byID {
		if _, err := nc.buf.Write(header); err != nil {
			return err
		}
	}
	var row []byte
	for line := 1; ; line++ {
		row = row[:0]
		var n [4]byte
		if _, err := io.ReadFull(br, n[:2]); err != nil {
			if errors.Is(err, io.EOF) {
				break // the end where a row would start, as PostgreSQL allows
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return badCopy("unexpected EOF in COPY data")
			}
			return err
		}
		count := int(int16(binary.BigEndian.Uint16(n[:2])))
		if count == -1 {
			// The nodes get their trailers below; nothing may follow.
			if _, err := br.ReadByte(); err == nil {
				return badCopy("received copy data after EOF marker")
			} else if !errors.Is(err, io.EOF) {
				return err
			}
			break
		}
		if count <= keyCol {
			return copyContext(badCopy("row field count is %d, expected more than %d", count, keyCol), a, line)
		}
		row = append(row, n[:2]...)
		var key types.Datum
		null := false
		for i := range count {
			if err := full(n[:]); err != nil {
				return copyContext(err, a, line)
			}
			row = append(row, n[:]...)
			size := int32(binary.BigEndian.Uint32(n[:]))
			if size == -1 {
				null = null || i == keyCol
				continue
			}
			if size < 0 {
				return copyContext(badCopy("invalid field size"), a, line)
			}
			at := len(row)
			row = append(row, make([]byte, size)...)
			if err := full(row[at:]); err != nil {
				return copyContext(err, a, line)
			}
			if i == keyCol {
				d, err := dec.DecodeBinary(keyType, row[at:])
				if err != nil {
					return copyContext(err, a, line)
				}
				key = d
			}
		}
		if null {
			return copyContext(pgerr.New(pgerr.NotNullViolation, "the distribution column %s of table %s cannot be NULL", t.Column, t.Name), a, line)
		}
		id, err := t.nodeOf(key)
		if err != nil {
			return copyContext(err, a, line)
		}
		nc := byID[id]
		if nc == nil {
			return pgerr.New(pgerr.InternalError, "a row of table %s belongs on node %s, which the COPY does not write", t.Name, id)
		}
		if _, err := nc.buf.Write(row); err != nil {
			return err
		}
	}
	for _, nc := range byID {
		if _, err := nc.buf.Write(copyTrailer); err != nil {
			return err
		}
	}
	return nil
}
