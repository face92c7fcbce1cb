package sql

import (
	"bytes"
	"io"

	"github.com/cairndb/cairn/sql/ast"
)

// PreparedCopy is the Prepared of COPY statement st (text its SQL) for a
// session of another engine, the cluster coordinator's, that runs COPY
// through CopyIn and CopyOut of its own: it carries st so that the wire
// layer sees CopyFromStdin or CopyToStdout.
func PreparedCopy(text string, st *ast.CopyStmt) *Prepared {
	return &Prepared{SQL: text, Tag: st.Tag(), stmt: st}
}

// CopyRowReader splits the data of a COPY ... FROM STDIN in text or CSV
// format into rows exactly as COPY reads them (escapes, quoted newlines,
// \r\n line ends, the end-of-data marker), for a router that sends each
// row on unchanged: the cluster coordinator sends each to the node of its
// shard.
type CopyRowReader struct {
	r      *copyReader
	fields []copyField
}

// NewCopyRowReader reads src with st's format options. Binary data is
// not split (st.Binary must be unset).
func NewCopyRowReader(src io.Reader, st *ast.CopyStmt) *CopyRowReader {
	if st.CSV {
		return &CopyRowReader{r: newCSVReader(src, st.Delimiter, st.Null, st.Quote, st.Escape)}
	}
	return &CopyRowReader{r: newCopyReader(src, st.Delimiter, st.Null)}
}

// Next returns the next row's line as it was sent, without its end of
// line (nor an end-of-data marker that ends it), its fields decoded and
// available through Field until the next call. It returns io.EOF after
// the last row; other errors are COPY's (22P04 and the like).
func (r *CopyRowReader) Next() ([]byte, error) {
	fields, err := r.r.next()
	if err != nil {
		r.fields = nil
		return nil, err
	}
	r.fields = fields
	line := r.r.cur
	if r.r.done && !r.r.csv {
		// A last row the end-of-data marker ends: "1\t2\.".
		line = bytes.TrimSuffix(line, []byte(`\.`))
	}
	return line, nil
}

// Fields is the number of fields of the row Next returned.
func (r *CopyRowReader) Fields() int { return len(r.fields) }

// Field is field i of the row Next returned: its text, or null.
func (r *CopyRowReader) Field(i int) (text string, null bool) {
	f := r.fields[i]
	return f.text, f.null
}

// LineNumber is the number of the line that ended the row Next returned,
// counting from 1, for error context.
func (r *CopyRowReader) LineNumber() int { return r.r.lineNo }
