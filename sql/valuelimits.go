package sql

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Values stop below 1 GB, as PostgreSQL's do (allocBytesMax is its
// MaxAllocSize). The checks come before the allocation they guard.

// enlargeText checks that a text of have bytes may grow by add more,
// as PostgreSQL's string buffers do (enlargeStringInfo): no text reaches
// allocBytesMax.
func enlargeText(have, add int) error {
	if int64(add) >= allocBytesMax-int64(have) {
		return pgerr.New(pgerr.ProgramLimitExceeded, "out of memory").
			WithDetail(fmt.Sprintf("Cannot enlarge string buffer containing %d bytes by %d more bytes.", have, add))
	}
	return nil
}

// concatTexts joins parts, checking each step with enlargeText before
// anything is allocated.
func concatTexts(parts ...string) (string, error) {
	n := 0
	for _, p := range parts {
		if err := enlargeText(n, len(p)); err != nil {
			return "", err
		}
		n += len(p)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, p := range parts {
		sb.WriteString(p)
	}
	return sb.String(), nil
}

// arrayTooLarge is PostgreSQL's error for an array_agg result past
// arrayAggElemsMax elements or allocBytesMax bytes (54000).
func arrayTooLarge() error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", allocBytesMax)
}

// pgArrayElemBytes is the bytes PostgreSQL's array representation gives
// v: a text's length and 4-byte header, aligned to 4; a number's width
// (8: cairn does not tell int4 from int8 here, and the element limit
// comes first for fixed-width types).
func pgArrayElemBytes(v types.Datum) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return (int64(len(x)) + 4 + 3) &^ 3
	case bool:
		return 1
	case *apd.Decimal:
		return 8 + int64(x.NumDigits()+3)/4*2
	}
	return 8
}
