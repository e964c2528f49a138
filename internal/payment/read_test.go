package payment

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		want   Purpose
		amount int64
		months int
	}{
		{"bayar angsuran 491.667", Angsuran, 491667, 0},
		{"Bayar cicilan Rp 491.667,-", Angsuran, 491667, 0},
		{"setor wajib 3 bulan", Wajib, 0, 3},
		{"tabungan 1,5 juta ya", Sukarela, 1500000, 0},
		{"ambil tabungan 500rb", Sukarela, 500000, 0},
		{"transfer 250000", "", 250000, 0},
		{"bukti transfer", "", 0, 0},
		{"angsuran ke-3", Angsuran, 0, 0},
		{"", "", 0, 0},
		{"simpanan pokok Rp100.000.", Pokok, 100000, 0},
	}
	for _, tc := range tests {
		got := Read(tc.text)
		if got.Purpose != tc.want || !got.Amount.Equal(decimal.NewFromInt(tc.amount)) || got.Months != tc.months {
			t.Errorf("Read(%q) = %+v, want %s %d, %d months", tc.text, got, tc.want, tc.amount, tc.months)
		}
	}
}
