// Package atomicfile writes files so that a reader sees either the old file
// or the complete new one, never a torn write.
//
// # Overview
//
// [Write] fills a temporary file in the destination's directory, syncs and
// closes it, gives it mode 0644 and renames it over the destination.
//
// # Contract
//
// On any error (a Write, Sync or Close error included, joined with earlier
// ones) the temporary file is removed and the destination is untouched.
// Errors name the destination path. Write is safe for concurrent use on
// different paths.
//
// # See also
//
// internal/safetensors, bert and the examples use it for every file they
// save.
package atomicfile
