package cairn_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cairndb/cairn/pgwire"
)

// TestGeometricTypesThroughPgx sends point, lseg, box, path, polygon,
// line and circle values to cairn as pgx's pgtype values and reads them
// back: in binary with the extended protocol (their send and receive
// forms) and as text with the simple one. money goes as text, which is
// how pgx handles it.
func TestGeometricTypesThroughPgx(t *testing.T) {
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	ctx := context.Background()
	pt := pgtype.Point{P: pgtype.Vec2{X: 1.5, Y: -2}, Valid: true}
	ls := pgtype.Lseg{P: [2]pgtype.Vec2{{X: 1, Y: 2}, {X: 3, Y: 4}}, Valid: true}
	bx := pgtype.Box{P: [2]pgtype.Vec2{{X: 3, Y: 4}, {X: 1, Y: 2}}, Valid: true}
	open := pgtype.Path{P: []pgtype.Vec2{{X: 0, Y: 0}, {X: 3, Y: 0}, {X: 4, Y: 5}}, Closed: false, Valid: true}
	closed := pgtype.Path{P: []pgtype.Vec2{{X: 1, Y: 2}, {X: 3, Y: 4}}, Closed: true, Valid: true}
	poly := pgtype.Polygon{P: []pgtype.Vec2{{X: 0, Y: 0}, {X: 0, Y: 1}, {X: 1, Y: 0}}, Valid: true}
	ln := pgtype.Line{A: 1, B: -1, C: 0.25, Valid: true}
	ci := pgtype.Circle{P: pgtype.Vec2{X: 1, Y: 2}, R: 3, Valid: true}
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"extended", pgx.QueryExecModeCacheStatement},
		{"simple", pgx.QueryExecModeSimpleProtocol},
	} {
		t.Run(m.name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(wireURL(addr))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			table := "geo_" + m.name[:3]
			if _, err := conn.Exec(ctx, "CREATE TABLE "+table+
				" (id int PRIMARY KEY, p point, s lseg, b box, o path, c path, g polygon, l line, r circle, m money)"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, "INSERT INTO "+table+" VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)",
				pt, ls, bx, open, closed, poly, ln, ci, "$1,234.50"); err != nil {
				t.Fatalf("insert: %v", err)
			}
			var (
				gp  pgtype.Point
				gs  pgtype.Lseg
				gb  pgtype.Box
				gop pgtype.Path
				gcp pgtype.Path
				gg  pgtype.Polygon
				gl  pgtype.Line
				gc  pgtype.Circle
				gm  string
				arr []pgtype.Point
			)
			err = conn.QueryRow(ctx, "SELECT p, s, b, o, c, g, l, r, m::text, ARRAY[p, p + $1] FROM "+table+" WHERE p ~= $1", pt).
				Scan(&gp, &gs, &gb, &gop, &gcp, &gg, &gl, &gc, &gm, &arr)
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			wantArr := []pgtype.Point{pt, {P: pgtype.Vec2{X: 3, Y: -4}, Valid: true}}
			for _, c := range []struct{ got, want any }{
				{gp, pt}, {gs, ls}, {gb, bx}, {gop, open}, {gcp, closed}, {gg, poly}, {gl, ln}, {gc, ci}, {gm, "$1,234.50"}, {arr, wantArr},
			} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("read back %#v, want %#v", c.got, c.want)
				}
			}
			var dist float64
			if err := conn.QueryRow(ctx, "SELECT $1::point <-> $2::point", pt, pgtype.Point{P: pgtype.Vec2{X: 4.5, Y: 2}, Valid: true}).Scan(&dist); err != nil || dist != 5 {
				t.Errorf("distance %v %v, want 5", dist, err)
			}
		})
	}
}
