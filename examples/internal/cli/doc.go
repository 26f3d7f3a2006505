// Package cli holds what the example programs share: data-set flags, a
// progress bar, opening a saved model directory of either kind, and writing
// reports. It is internal to the examples; library users need none of it.
package cli
