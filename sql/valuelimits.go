package sql

import (
	"fmt"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
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
