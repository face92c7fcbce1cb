package clienttest

import (
	"errors"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// The models of a small shop: a customer has a profile and orders, an
// order has items, each item names a product. Foreign keys cascade from
// customers to orders to items.
type Customer struct {
	ID        uint   `gorm:"primaryKey"`
	Email     string `gorm:"uniqueIndex;size:200;not null"`
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Profile   Profile `gorm:"constraint:OnDelete:CASCADE"`
	Orders    []Order `gorm:"constraint:OnDelete:CASCADE"`
}

type Profile struct {
	ID         uint `gorm:"primaryKey"`
	CustomerID uint `gorm:"uniqueIndex"`
	Bio        *string
}

type Product struct {
	Code  string `gorm:"primaryKey;size:20"`
	Title string
	Price float64
}

type Order struct {
	ID         uint64 `gorm:"primaryKey"`
	CustomerID uint   `gorm:"index"`
	PlacedAt   time.Time
	Paid       bool   `gorm:"default:false"`
	Items      []Item `gorm:"constraint:OnDelete:CASCADE"`
}

type Item struct {
	ID          uint `gorm:"primaryKey"`
	OrderID     uint64
	ProductCode string  `gorm:"size:20"`
	Product     Product `gorm:"foreignKey:ProductCode;references:Code"`
	Quantity    int16
}

func TestGORM(t *testing.T) {
	db, err := gorm.Open(postgres.Open(startCairn(t)), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	models := []any{&Customer{}, &Profile{}, &Product{}, &Order{}, &Item{}}
	if err := db.AutoMigrate(models...); err != nil {
		t.Fatalf("AutoMigrate: %v", err)
	}
	// A second AutoMigrate reads the schema back through the catalogs
	// and must find nothing to change.
	if err := db.AutoMigrate(models...); err != nil {
		t.Fatalf("second AutoMigrate: %v", err)
	}
	for _, m := range models {
		if !db.Migrator().HasTable(m) {
			t.Fatalf("HasTable(%T) = false after AutoMigrate", m)
		}
	}
	if !db.Migrator().HasIndex(&Customer{}, "Email") {
		t.Error("HasIndex(Customer.Email) = false")
	}
	if !db.Migrator().HasConstraint(&Customer{}, "Orders") {
		t.Error("HasConstraint(Customer.Orders) = false")
	}

	bio := "likes tea"
	ann := Customer{Email: "ann@example.com", Name: "Ann", Profile: Profile{Bio: &bio}}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&[]Product{{Code: "TEA", Title: "Tea", Price: 3.5}, {Code: "CUP", Title: "Cup", Price: 7}}).Error; err != nil {
			return err
		}
		ann.Orders = []Order{
			{PlacedAt: time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), Items: []Item{{ProductCode: "TEA", Quantity: 2}, {ProductCode: "CUP", Quantity: 1}}},
			{PlacedAt: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Items: []Item{{ProductCode: "TEA", Quantity: 5}}},
		}
		return tx.Create(&ann).Error
	})
	if err != nil {
		t.Fatalf("Create in a transaction: %v", err)
	}
	if ann.ID == 0 || ann.Profile.ID == 0 || ann.Orders[1].Items[0].ID == 0 {
		t.Fatalf("generated keys not returned: %+v", ann)
	}

	// Save of a loaded row updates it; Save of a product with a known
	// primary key and changed fields goes through ON CONFLICT.
	ann.Name = "Ann B."
	if err := db.Save(&ann).Error; err != nil {
		t.Fatalf("Save: %v", err)
	}
	if err := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Product{Code: "TEA", Title: "Green tea", Price: 4}).Error; err != nil {
		t.Fatalf("upsert: %v", err)
	}

	var got Customer
	if err := db.Preload("Profile").Preload("Orders.Items.Product").Where("email = ?", "ann@example.com").First(&got).Error; err != nil {
		t.Fatalf("Preload: %v", err)
	}
	if got.Name != "Ann B." || got.Profile.Bio == nil || *got.Profile.Bio != bio || len(got.Orders) != 2 {
		t.Fatalf("loaded %+v", got)
	}
	var total float64
	for _, o := range got.Orders {
		for _, it := range o.Items {
			total += float64(it.Quantity) * it.Product.Price
		}
	}
	if total != 2*4+7+5*4 {
		t.Errorf("order total from preloaded products = %v, want 35", total)
	}

	// A duplicate email is a unique violation GORM translates.
	dup := db.Create(&Customer{Email: "ann@example.com"}).Error
	if dup == nil {
		t.Fatal("duplicate email accepted")
	}

	// Deleting the customer cascades to its profile, orders and items.
	err = db.Transaction(func(tx *gorm.DB) error {
		return tx.Delete(&Customer{}, ann.ID).Error
	})
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, m := range []any{&Profile{}, &Order{}, &Item{}} {
		var n int64
		if err := db.Model(m).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%T: %d rows left after the cascading delete", m, n)
		}
	}
	if err := db.First(&Customer{}, ann.ID).Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("First after Delete: %v, want ErrRecordNotFound", err)
	}
}
