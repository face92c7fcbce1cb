package pgerr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCode(t *testing.T) {
	base := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, SuccessfulCompletion},
		{"plain", base, InternalError},
		{"coded", New(UniqueViolation, "dup"), UniqueViolation},
		{"wrapped by fmt", fmt.Errorf("ctx: %w", New(UndefinedTable, "x")), UndefinedTable},
		{"inner wins", Wrap(New(DivisionByZero, "div"), DataException), DivisionByZero},
		{"inner XX000 loses", Wrap(Wrap(base, InternalError), DiskFull), DiskFull},
		{"Wrap plain", Wrap(base, IOError), IOError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.want {
				t.Errorf("Code() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestWrapKeepsCause(t *testing.T) {
	base := errors.New("boom")
	err := Wrapf(base, IOError, "reading %s", "f")
	if !errors.Is(err, base) {
		t.Fatal("errors.Is lost the cause")
	}
	if err.Error() != "reading f: boom" {
		t.Fatalf("message = %q", err.Error())
	}
	if Find(err).Code != IOError {
		t.Fatal("Find did not return the coded error")
	}
}
