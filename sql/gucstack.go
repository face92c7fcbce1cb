package sql

// Run-time parameters are transactional, as PostgreSQL's GUCs are
// (guc.c's push_old_value and AtEOXact_GUC): a value set in a transaction
// is undone if the transaction (or the savepoint it was set under) rolls
// back, and a value set with SET LOCAL or set_config(..., true) lasts only
// until the transaction ends. gucStack keeps, per parameter, the values to
// go back to, one entry per transaction nesting level that changed it:
// level 1 is the transaction, level n+1 the n-th open savepoint. Outside a
// transaction (level 0) a change is final at once.

// gucState is what a level did to a parameter.
type gucState uint8

const (
	// gucSet: SET; the value stays when the level commits.
	gucSet gucState = iota
	// gucLocal: SET LOCAL; the value is undone when the transaction ends.
	gucLocal
	// gucSetLocal: SET, then SET LOCAL; at transaction end the value goes
	// back to the SET's (masked).
	gucSetLocal
)

type gucEntry struct {
	level  int
	state  gucState
	prior  string // the value before the level changed it
	masked string // gucSetLocal: the SET's value
}

// gucStack maps a parameter (lower case) to its entries, innermost last.
type gucStack map[string][]gucEntry

// push records that name, whose value is now current, is about to be
// changed at level (0: outside a transaction, nothing to record), by SET
// LOCAL when local is set.
func (g gucStack) push(name, current string, level int, local bool) {
	if level == 0 {
		return
	}
	st := g[name]
	if n := len(st); n > 0 && st[n-1].level == level {
		e := &st[n-1]
		switch {
		case !local:
			e.state = gucSet
		case e.state == gucSet:
			e.masked, e.state = current, gucSetLocal
		}
		return
	}
	state := gucSet
	if local {
		state = gucLocal
	}
	g[name] = append(st, gucEntry{level: level, state: state, prior: current})
}

// end ends nesting level level (the innermost one that may have entries),
// committing or aborting it, and sets, through set, the values it
// restores.
func (g gucStack) end(level int, commit bool, set func(name, value string)) {
	for name, st := range g {
		n := len(st)
		if n == 0 || st[n-1].level != level {
			continue
		}
		e := st[n-1]
		pop := true
		switch {
		case !commit:
			set(name, e.prior)
		case level == 1:
			switch e.state {
			case gucSetLocal:
				set(name, e.masked)
			case gucLocal:
				set(name, e.prior)
			}
		case n == 1 || st[n-2].level < level-1:
			// Nothing recorded at the level below: the entry moves
			// down to it.
			st[n-1].level--
			pop = false
		default:
			prev := &st[n-2]
			switch e.state {
			case gucSet:
				prev.state = gucSet
			case gucLocal:
				if prev.state == gucSet {
					prev.masked, prev.state = e.prior, gucSetLocal
				}
			case gucSetLocal:
				prev.masked, prev.state = e.masked, gucSetLocal
			}
		}
		if pop {
			st = st[:n-1]
		}
		if len(st) == 0 {
			delete(g, name)
		} else {
			g[name] = st
		}
	}
}
