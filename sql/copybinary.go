package sql

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// COPY's binary format, as PostgreSQL defines it: the signature
// "PGCOPY\n\377\r\n\0", a 32-bit flags field (bit 16: each row carries an
// OID, which cairn's rows do not have; bits 17-31 must be zero), a 32-bit
// length of a header extension that readers skip; then each row as a
// 16-bit field count and each field as a 32-bit length (-1 for NULL) and
// that many bytes of the type's binary form (its send and recv
// functions); then a 16-bit -1. All integers are big-endian. A line
// number in an error's CONTEXT counts rows, as in PostgreSQL.

// copySignature opens every binary COPY stream.
var copySignature = []byte("PGCOPY\n\377\r\n\x00")

// CopyDecoder and CopyEncoder convert values from and to their binary
// form for COPY in FORMAT binary. The wire layer's CopySource implements
// the first and its CopySink the second (the binary forms are the
// protocol's); without them binary COPY fails with 0A000.
type CopyDecoder interface {
	DecodeBinary(t types.T, raw []byte) (types.Datum, error)
}

// CopyEncoder: see CopyDecoder.
type CopyEncoder interface {
	AppendBinary(buf []byte, t types.T, d types.Datum) ([]byte, error)
}

// copyBinaryHeader is the header COPY TO writes: no flags, no extension.
func copyBinaryHeader() []byte {
	return append(bytes.Clone(copySignature), 0, 0, 0, 0, 0, 0, 0, 0)
}

// copyBinaryTrailer ends a binary COPY stream.
var copyBinaryTrailer = []byte{0xff, 0xff}

// binaryCopyReader reads rows of binary COPY data.
type binaryCopyReader struct {
	br     *bufio.Reader
	codec  CopyDecoder
	types  []types.T // each field's type, as the column's without modifier
	lineNo int
	done   bool
	buf    []byte
	// reserve, when set, is asked for the bytes the field buffer grows by.
	reserve func(int64) error
}

func newBinaryCopyReader(src io.Reader, codec CopyDecoder, fieldTypes []types.T) *binaryCopyReader {
	return &binaryCopyReader{br: bufio.NewReaderSize(src, 64<<10), codec: codec, types: fieldTypes}
}

// readFull reads len(p) bytes; a short read is the end of the data
// mid-row.
func (r *binaryCopyReader) readFull(p []byte) error {
	if _, err := io.ReadFull(r.br, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return badCopy("unexpected EOF in COPY data")
		}
		return err
	}
	return nil
}

// header checks the signature and flags and skips the extension.
func (r *binaryCopyReader) header() error {
	var h [19]byte
	if _, err := io.ReadFull(r.br, h[:11]); err != nil || !bytes.Equal(h[:11], copySignature) {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return badCopy("COPY file signature not recognized")
	}
	if _, err := io.ReadFull(r.br, h[11:15]); err != nil {
		return badCopy("invalid COPY file header (missing flags)")
	}
	flags := binary.BigEndian.Uint32(h[11:15])
	if flags&(1<<16) != 0 {
		return badCopy("invalid COPY file header (WITH OIDS)")
	}
	if flags&^(1<<16)&0xffff0000 != 0 {
		return badCopy("unrecognized critical flags in COPY file header")
	}
	if _, err := io.ReadFull(r.br, h[15:19]); err != nil {
		return badCopy("invalid COPY file header (missing length)")
	}
	ext := int64(int32(binary.BigEndian.Uint32(h[15:19])))
	if ext < 0 {
		return badCopy("invalid COPY file header (missing length)")
	}
	if n, err := io.CopyN(io.Discard, r.br, ext); n != ext {
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return badCopy("invalid COPY file header (wrong length)")
	}
	return nil
}

// next returns the next row's values, or io.EOF after the trailer (or at
// the end of the data where a row would start, as PostgreSQL allows).
func (r *binaryCopyReader) next() ([]types.Datum, error) {
	if r.done {
		return nil, io.EOF
	}
	var n [4]byte
	if _, err := io.ReadFull(r.br, n[:2]); err != nil {
		if errors.Is(err, io.EOF) {
			r.done = true
			return nil, io.EOF
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, badCopy("unexpected EOF in COPY data")
		}
		return nil, err
	}
	r.lineNo++
	count := int(int16(binary.BigEndian.Uint16(n[:2])))
	if count == -1 {
		r.done = true
		// Nothing may follow the trailer.
		if _, err := r.br.ReadByte(); err == nil {
			return nil, badCopy("received copy data after EOF marker")
		} else if !errors.Is(err, io.EOF) {
			return nil, err
		}
		return nil, io.EOF
	}
	if count != len(r.types) {
		return nil, badCopy("row field count is %d, expected %d", count, len(r.types))
	}
	row := make([]types.Datum, len(r.types))
	for i, t := range r.types {
		if err := r.readFull(n[:]); err != nil {
			return nil, &copyFieldError{err: err, field: i}
		}
		size := int64(int32(binary.BigEndian.Uint32(n[:])))
		if size == -1 {
			continue
		}
		if size < 0 || size > allocBytesMax {
			return nil, &copyFieldError{err: badCopy("invalid field size"), field: i}
		}
		if int(size) > cap(r.buf) {
			if r.reserve != nil {
				if err := r.reserve(size - int64(cap(r.buf))); err != nil {
					return nil, err
				}
			}
			r.buf = make([]byte, size)
		}
		raw := r.buf[:size]
		if err := r.readFull(raw); err != nil {
			return nil, &copyFieldError{err: err, field: i}
		}
		v, err := r.codec.DecodeBinary(t, raw)
		if err != nil {
			return nil, &copyFieldError{err: err, field: i}
		}
		row[i] = v
	}
	return row, nil
}

// drain reads whatever follows, so that the source's own end is seen.
func (r *binaryCopyReader) drain() error {
	_, err := io.Copy(io.Discard, r.br)
	return err
}

// appendBinaryRow appends one row in binary COPY form.
func appendBinaryRow(buf []byte, codec CopyEncoder, cols []Column, row []types.Datum) ([]byte, error) {
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
	for i, d := range row {
		if d == nil {
			buf = binary.BigEndian.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = codec.AppendBinary(buf, cols[i].Type, d); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

// errNoCodec refuses binary COPY through a source or sink without one.
func errNoCodec() error {
	return pgerr.New(pgerr.FeatureNotSupported, "COPY in binary format needs the wire protocol")
}
