package plpgsql

// Trigger functions. pg_query's parser declares a trigger function's
// NEW and OLD records (a function declared RETURNS trigger) but, having
// no trigger data, not the TG_ variables PostgreSQL declares beside
// them; triggerParams declares those too, in the function's outermost
// scope, and makes all of them the function's parameters, in the order
// of TriggerParams, so that the engine passes a firing's values as a
// call's arguments.

// TriggerParams are the names of a trigger function's parameters, in
// order, with their types as the engine resolves them: NEW and OLD (the
// table's row type; NULL where the event has no such row) and the TG_
// variables.
var TriggerParams = []struct{ Name, Type string }{
	{"new", ""}, {"old", ""},
	{"tg_name", "name"}, {"tg_when", "text"}, {"tg_level", "text"}, {"tg_op", "text"},
	{"tg_relid", "oid"}, {"tg_relname", "name"}, {"tg_table_name", "name"}, {"tg_table_schema", "name"},
	{"tg_nargs", "integer"}, {"tg_argv", "text[]"},
}

// triggerParams makes the NEW and OLD records (datums newNo and oldNo)
// and new TG_ variables the function's parameters.
func (b *builder) triggerParams(sc *Scope, newNo, oldNo int) {
	f := b.f
	f.Trigger = true
	f.Params = []int{newNo, oldNo}
	for _, d := range []int{newNo, oldNo} {
		if d < len(b.claimed) {
			b.claimed[d] = true
		}
		sc.Names[f.Datums[d].Name] = d
	}
	for _, p := range TriggerParams[2:] {
		d := len(f.Datums)
		f.Datums = append(f.Datums, &Datum{Kind: DatumVar, Name: p.Name, TypeName: p.Type})
		b.claimed = append(b.claimed, true)
		f.Params = append(f.Params, d)
		sc.Names[p.Name] = d
	}
}
