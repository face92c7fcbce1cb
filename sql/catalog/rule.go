package catalog

// RuleDesc is one rewrite rule of a table (CREATE RULE): pg_rewrite's
// row. Where and Actions are SQL text in which NEW and OLD name the row
// the rule applies to.
type RuleDesc struct {
	OID     uint32   `json:"oid"`
	Name    string   `json:"name"`
	Event   string   `json:"event"` // "insert", "update" or "delete"
	Instead bool     `json:"instead,omitempty"`
	Where   string   `json:"where,omitempty"`
	Actions []string `json:"actions,omitempty"`
}

// Rule returns the table's rule named name, or nil.
func (d *TableDesc) Rule(name string) *RuleDesc {
	for i := range d.Rules {
		if d.Rules[i].Name == name {
			return &d.Rules[i]
		}
	}
	return nil
}
