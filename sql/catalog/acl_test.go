package catalog

import "testing"

func TestACLFormatGrantRevoke(t *testing.T) {
	names := map[uint32]string{10: "postgres", 20: "bob", 30: "a b"}
	name := func(oid uint32) string { return names[oid] }
	format := func(acl []ACLItem) string {
		s := "{"
		for i, it := range acl {
			if i > 0 {
				s += ","
			}
			s += it.Format(name)
		}
		return s + "}"
	}
	def := DefaultACL(KindRelation, 10)
	for _, tc := range []struct {
		name string
		acl  []ACLItem
		want string
	}{
		{"default table", def, "{postgres=arwdDxt/postgres}"},
		{"default sequence", DefaultACL(KindSequence, 10), "{postgres=rwU/postgres}"},
		{"default database", DefaultACL(KindDatabase, 10), "{=Tc/postgres,postgres=CTc/postgres}"},
		{"grant", Grant(def, 20, 10, PrivSelect|PrivUpdate, false), "{postgres=arwdDxt/postgres,bob=rw/postgres}"},
		{"grant option", Grant(def, 20, 10, PrivSelect, true), "{postgres=arwdDxt/postgres,bob=r*/postgres}"},
		{"public, quoted", Grant(Grant(def, PublicOID, 10, PrivSelect, false), 30, 10, PrivInsert, false), `{postgres=arwdDxt/postgres,=r/postgres,"a b"=a/postgres}`},
		{"revoke all", Revoke(Grant(def, 20, 10, PrivSelect, false), 20, 10, PrivSelect, false), "{postgres=arwdDxt/postgres}"},
		{"revoke grant option", Revoke(Grant(def, 20, 10, PrivSelect, true), 20, 10, PrivSelect, true), "{postgres=arwdDxt/postgres,bob=r/postgres}"},
		{"owner changes", ReplaceRole(Grant(def, 20, 10, PrivSelect, false), 10, 20), "{bob=arwdDxt/bob}"},
	} {
		if got := format(tc.acl); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	acl := Grant(Grant(def, PublicOID, 10, PrivSelect, false), 20, 10, PrivUpdate, true)
	for _, tc := range []struct {
		holders map[uint32]bool
		want    Priv
		grant   bool
		got     Priv
	}{
		{map[uint32]bool{20: true}, PrivSelect | PrivUpdate | PrivDelete, false, PrivSelect | PrivUpdate},
		{map[uint32]bool{20: true}, AllRelationPrivs, true, PrivUpdate},
		{map[uint32]bool{30: true}, AllRelationPrivs, false, PrivSelect},
		{map[uint32]bool{10: true}, AllRelationPrivs, false, AllRelationPrivs},
	} {
		if got := Mask(acl, tc.holders, tc.want, tc.grant); got != tc.got {
			t.Errorf("Mask(%v, %s, grant %v) = %s, want %s", tc.holders, PrivString(tc.want, 0), tc.grant, PrivString(got, 0), PrivString(tc.got, 0))
		}
	}
}
