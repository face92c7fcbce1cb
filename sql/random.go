package sql

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// prng is a session's source for random(): xoroshiro128**, seeded as
// PostgreSQL 15 seeds its own, so that after setseed(x) a session draws the
// same numbers PostgreSQL would. Each session has its own; it is not safe for
// concurrent use, as a session runs one statement at a time.
type prng struct {
	s0, s1 uint64
	seeded bool
}

// seed sets the state from a 64-bit seed through splitmix64.
func (p *prng) seed(seed uint64) {
	p.s0 = splitmix64(&seed)
	p.s1 = splitmix64(&seed)
	if p.s0 == 0 && p.s1 == 0 {
		// xoroshiro's one fixed point; PostgreSQL moves off it the same way.
		p.s0, p.s1 = 0x5851F42D4C957F2D, 0x14057B7EF767814F
	}
	p.seeded = true
}

// seedFloat is setseed's mapping of a seed in [-1, 1] onto 64 bits: about
// 52 bits of mantissa, and the sign.
func (p *prng) seedFloat(f float64) {
	p.seed(uint64(int64(float64(uint64(1)<<52-1) * f)))
}

func (p *prng) next() uint64 {
	s0 := p.s0
	sx := p.s1 ^ s0
	val := bitsRotl(s0*5, 7) * 9
	p.s0 = bitsRotl(s0, 24) ^ sx ^ (sx << 16)
	p.s1 = bitsRotl(sx, 37)
	return val
}

// float draws a double in [0, 1) from the top 52 bits of the next value.
func (p *prng) float() (float64, error) {
	if !p.seeded {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, pgerr.Wrapf(err, pgerr.InternalError, "could not generate random seed")
		}
		p.seed(binary.LittleEndian.Uint64(b[:]))
	}
	return math.Ldexp(float64(p.next()>>12), -52), nil
}

func splitmix64(state *uint64) uint64 {
	*state += 0x9E3779B97F4A7C15
	v := *state
	v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9
	v = (v ^ (v >> 27)) * 0x94D049BB133111EB
	return v ^ (v >> 31)
}

func bitsRotl(x uint64, k int) uint64 { return x<<k | x>>(64-k) }

// bindRandomFunc binds random() and setseed(double precision); ok is false
// for any other name. Both are volatile: they are evaluated on every call.
func (b *binder) bindRandomFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	switch name {
	case "random":
		if len(args) != 0 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		return &ctxFuncExpr{t: types.New(types.Float8), fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
			return x.s.random.float()
		}}, true, nil
	case "setseed":
		if len(args) != 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if err := b.coerceArg(args, 0, types.New(types.Float8), name, pos); err != nil {
			return nil, true, err
		}
		return &ctxFuncExpr{t: types.New(types.Void), args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			f := a[0].(float64)
			if f < -1 || f > 1 || math.IsNaN(f) {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "setseed parameter %s is out of allowed range [-1,1]", cFormatG(f))
			}
			x.s.random.seedFloat(f)
			return "", nil
		}}, true, nil
	}
	return nil, false, nil
}

// cFormatG formats f as C's %g does in PostgreSQL's messages.
func cFormatG(f float64) string {
	if math.IsNaN(f) {
		return "nan"
	}
	return fmt.Sprintf("%.6g", f)
}
