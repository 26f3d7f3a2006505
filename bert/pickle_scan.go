package bert

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// argKind is how a pickle opcode's argument is encoded.
type argKind int

const (
	argNone   argKind = iota
	argFixed          // a fixed number of bytes
	argLine           // one newline-terminated line
	argLines2         // two newline-terminated lines (GLOBAL, INST)
	argLen1           // 1-byte length, then that many bytes
	argLen4           // 4-byte little-endian signed length, then that many bytes
	argLen8           // 8-byte little-endian length, then that many bytes
	argFrame          // 8-byte frame length; the frame's opcodes follow inline
)

// pickleOp describes one opcode of pickle protocols 0 to 5.
type pickleOp struct {
	kind argKind
	n    int // bytes of a fixed argument
}

// pickleOps lists every opcode that github.com/nlpodyssey/gopickle
// dispatches; anything else is rejected before unpickling.
var pickleOps = map[byte]pickleOp{
	'(': {}, '.': {}, '0': {}, '1': {}, '2': {}, 'N': {}, 'R': {}, 'a': {}, 'b': {}, 'd': {},
	'}': {}, 'e': {}, 'l': {}, ']': {}, 'o': {}, 's': {}, 't': {}, ')': {}, 'u': {}, 'Q': {},
	0x81: {}, 0x85: {}, 0x86: {}, 0x87: {}, 0x88: {}, 0x89: {}, 0x8f: {}, 0x90: {}, 0x91: {},
	0x92: {}, 0x93: {}, 0x94: {}, 0x97: {}, 0x98: {},
	'F': {kind: argLine}, 'I': {kind: argLine}, 'L': {kind: argLine}, 'S': {kind: argLine},
	'V': {kind: argLine}, 'P': {kind: argLine}, 'g': {kind: argLine}, 'p': {kind: argLine},
	'c': {kind: argLines2}, 'i': {kind: argLines2},
	'J': {kind: argFixed, n: 4}, 'K': {kind: argFixed, n: 1}, 'M': {kind: argFixed, n: 2},
	'G': {kind: argFixed, n: 8}, 'h': {kind: argFixed, n: 1}, 'j': {kind: argFixed, n: 4},
	'q': {kind: argFixed, n: 1}, 'r': {kind: argFixed, n: 4}, 0x80: {kind: argFixed, n: 1},
	0x82: {kind: argFixed, n: 1}, 0x83: {kind: argFixed, n: 2}, 0x84: {kind: argFixed, n: 4},
	'U': {kind: argLen1}, 'C': {kind: argLen1}, 0x8c: {kind: argLen1}, 0x8a: {kind: argLen1},
	'T': {kind: argLen4}, 'X': {kind: argLen4}, 'B': {kind: argLen4}, 0x8b: {kind: argLen4},
	0x8d: {kind: argLen8}, 0x8e: {kind: argLen8}, 0x96: {kind: argLen8},
	0x95: {kind: argFrame},
}

// scanPickle walks the opcodes of the pickle program p without running it.
// gopickle allocates a length-prefixed argument (or a frame) before reading
// it, so a forged length could ask for gigabytes from a tiny file; scanPickle
// rejects any length larger than the bytes left, any unknown opcode, and a
// program without STOP. After it succeeds, every allocation gopickle makes
// for an argument is bounded by len(p).
func scanPickle(p []byte) error {
	i := 0
	for i < len(p) {
		at, code := i, p[i]
		i++
		op, ok := pickleOps[code]
		if !ok {
			return fmt.Errorf("pickle opcode %#02x at byte %d is not supported", code, at)
		}
		left := len(p) - i
		switch op.kind {
		case argNone:
			if code == '.' {
				return nil
			}
		case argFixed:
			if op.n > left {
				return fmt.Errorf("pickle opcode %#02x at byte %d is truncated", code, at)
			}
			i += op.n
		case argLine, argLines2:
			lines := 1
			if op.kind == argLines2 {
				lines = 2
			}
			for range lines {
				nl := bytes.IndexByte(p[i:], '\n')
				if nl < 0 {
					return fmt.Errorf("pickle opcode %#02x at byte %d has no end of line", code, at)
				}
				i += nl + 1
			}
		case argLen1, argLen4, argLen8, argFrame:
			width := 8
			switch op.kind {
			case argLen1:
				width = 1
			case argLen4:
				width = 4
			}
			if width > left {
				return fmt.Errorf("pickle opcode %#02x at byte %d is truncated", code, at)
			}
			var n uint64
			switch width {
			case 1:
				n = uint64(p[i])
			case 4:
				v := int32(binary.LittleEndian.Uint32(p[i:]))
				if v < 0 {
					return fmt.Errorf("pickle opcode %#02x at byte %d has negative length %d", code, at, v)
				}
				n = uint64(v)
			case 8:
				n = binary.LittleEndian.Uint64(p[i:])
			}
			i += width
			if n > uint64(len(p)-i) {
				return fmt.Errorf("pickle opcode %#02x at byte %d claims %d bytes, %d are left", code, at, n, len(p)-i)
			}
			if op.kind != argFrame { // a frame's content is scanned as opcodes
				i += int(n)
			}
		}
	}
	return fmt.Errorf("pickle has no STOP opcode")
}
