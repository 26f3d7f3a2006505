//go:build !purego

#include "textflag.h"

// Vectorised activations of the LSTM cell and of GELU: the Cephes expf
// method of lstm_math.go, eight lanes at a time with AVX2 and FMA.

DATA lstmActConst<>+0(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+4(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+8(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+12(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+16(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+20(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+24(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+28(SB)/4, $0x3fb8aa3b // log2e
DATA lstmActConst<>+32(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+36(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+40(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+44(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+48(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+52(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+56(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+60(SB)/4, $0x3f000000 // half
DATA lstmActConst<>+64(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+68(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+72(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+76(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+80(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+84(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+88(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+92(SB)/4, $0x3f800000 // one
DATA lstmActConst<>+96(SB)/4, $0x40000000 // two
DATA lstmActConst<>+100(SB)/4, $0x40000000 // two
DATA lstmActConst<>+104(SB)/4, $0x40000000 // two
DATA lstmActConst<>+108(SB)/4, $0x40000000 // two
DATA lstmActConst<>+112(SB)/4, $0x40000000 // two
DATA lstmActConst<>+116(SB)/4, $0x40000000 // two
DATA lstmActConst<>+120(SB)/4, $0x40000000 // two
DATA lstmActConst<>+124(SB)/4, $0x40000000 // two
DATA lstmActConst<>+128(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+132(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+136(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+140(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+144(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+148(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+152(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+156(SB)/4, $0x3f318000 // ln2hi
DATA lstmActConst<>+160(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+164(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+168(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+172(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+176(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+180(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+184(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+188(SB)/4, $0xb95e8083 // ln2lo
DATA lstmActConst<>+192(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+196(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+200(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+204(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+208(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+212(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+216(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+220(SB)/4, $0x39506967 // p0
DATA lstmActConst<>+224(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+228(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+232(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+236(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+240(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+244(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+248(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+252(SB)/4, $0x3ab743ce // p1
DATA lstmActConst<>+256(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+260(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+264(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+268(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+272(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+276(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+280(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+284(SB)/4, $0x3c088908 // p2
DATA lstmActConst<>+288(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+292(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+296(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+300(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+304(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+308(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+312(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+316(SB)/4, $0x3d2aa9c1 // p3
DATA lstmActConst<>+320(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+324(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+328(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+332(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+336(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+340(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+344(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+348(SB)/4, $0x3e2aaaaa // p4
DATA lstmActConst<>+352(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+356(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+360(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+364(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+368(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+372(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+376(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+380(SB)/4, $0x3f000000 // p5
DATA lstmActConst<>+384(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+388(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+392(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+396(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+400(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+404(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+408(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+412(SB)/4, $0x42b00000 // hi
DATA lstmActConst<>+416(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+420(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+424(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+428(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+432(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+436(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+440(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+444(SB)/4, $0xc2aeac50 // lo
DATA lstmActConst<>+448(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+452(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+456(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+460(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+464(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+468(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+472(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+476(SB)/4, $0x0000007f // 127
DATA lstmActConst<>+480(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+484(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+488(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+492(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+496(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+500(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+504(SB)/4, $0x80000000 // sign
DATA lstmActConst<>+508(SB)/4, $0x80000000 // sign
GLOBL lstmActConst<>(SB), RODATA|NOPTR, $512

// EXP8 replaces Y0 with e^Y0, clamped to [lo, 88] (NaN stays NaN). It
// uses Y1..Y3 and the constants in Y8..Y15.
#define EXP8 \
	VMINPS       Y0, Y10, Y0 \
	VMAXPS       Y0, Y9, Y0 \
	VMOVAPS      Y14, Y1 \
	VFMADD231PS  Y0, Y15, Y1 \
	VROUNDPS     $1, Y1, Y1 \
	VFNMADD231PS Y1, Y12, Y0 \
	VFNMADD231PS Y1, Y11, Y0 \
	VCVTTPS2DQ   Y1, Y1 \
	VPADDD       Y8, Y1, Y1 \
	VPSLLD       $23, Y1, Y1 \
	VMOVUPS      lstmActConst<>+192(SB), Y2 \
	VFMADD213PS  lstmActConst<>+224(SB), Y0, Y2 \
	VFMADD213PS  lstmActConst<>+256(SB), Y0, Y2 \
	VFMADD213PS  lstmActConst<>+288(SB), Y0, Y2 \
	VFMADD213PS  lstmActConst<>+320(SB), Y0, Y2 \
	VFMADD213PS  lstmActConst<>+352(SB), Y0, Y2 \
	VMULPS       Y0, Y0, Y3 \
	VFMADD213PS  Y0, Y3, Y2 \
	VADDPS       Y13, Y2, Y2 \
	VMULPS       Y1, Y2, Y0

// SIGMOID8 replaces Y0 with 1/(1+e^-Y0).
#define SIGMOID8 \
	VXORPS lstmActConst<>+480(SB), Y0, Y0 \
	EXP8 \
	VADDPS Y13, Y0, Y0 \
	VDIVPS Y0, Y13, Y0

// TANH8 replaces Y0 with 1 - 2/(e^(2·Y0)+1).
#define TANH8 \
	VADDPS Y0, Y0, Y0 \
	EXP8 \
	VADDPS Y13, Y0, Y0 \
	VDIVPS Y0, Y7, Y0 \
	VSUBPS Y0, Y13, Y0

#define LOADCONST \
	VMOVUPS lstmActConst<>+0(SB), Y15 \
	VMOVUPS lstmActConst<>+32(SB), Y14 \
	VMOVUPS lstmActConst<>+64(SB), Y13 \
	VMOVUPS lstmActConst<>+128(SB), Y12 \
	VMOVUPS lstmActConst<>+160(SB), Y11 \
	VMOVUPS lstmActConst<>+384(SB), Y10 \
	VMOVUPS lstmActConst<>+416(SB), Y9 \
	VMOVUPS lstmActConst<>+448(SB), Y8 \
	VMOVUPS lstmActConst<>+96(SB), Y7

// func sigmoidAVX2(dst, src *float32, n int)
// dst[i] = 1/(1+e^-src[i]) for i < n; n is a multiple of 8.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JEQ  sigdone
	LOADCONST
	VXORPS Y6, Y6, Y6

sigloop:
	VMOVUPS (SI), Y0
	VSUBPS  Y0, Y6, Y0
	EXP8
	VADDPS  Y13, Y0, Y0
	VDIVPS  Y0, Y13, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNE     sigloop
	VZEROUPPER

sigdone:
	RET

// func tanhAVX2(dst, src *float32, n int)
// dst[i] = 1 - 2/(e^(2·src[i])+1) for i < n; n is a multiple of 8.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JEQ  tanhdone
	LOADCONST

tanhloop:
	VMOVUPS (SI), Y0
	VADDPS  Y0, Y0, Y0
	EXP8
	VADDPS  Y13, Y0, Y0
	VDIVPS  Y0, Y7, Y0
	VSUBPS  Y0, Y13, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNE     tanhloop
	VZEROUPPER

tanhdone:
	RET

// func lstmCellAVX2(gates, bias, cprev, c, tc, h *float32, n int)
//
// The forward LSTM cell of one row (see lstmCellForward): g holds the four
// gate blocks (i, f, g, o) of n values each; n is a multiple of 8; a nil
// cprev is a zero previous cell state.
TEXT ·lstmCellAVX2(SB), NOSPLIT, $0-56
	MOVQ gates+0(FP), AX
	MOVQ bias+8(FP), BX
	MOVQ cprev+16(FP), CX
	MOVQ c+24(FP), DX
	MOVQ tc+32(FP), SI
	MOVQ h+40(FP), DI
	MOVQ n+48(FP), R9
	MOVQ R9, R8
	SHLQ $2, R8
	LEAQ (R8)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	SHRQ $3, R9
	JEQ  celldone
	LOADCONST

cellloop:
	VMOVUPS (AX), Y0
	VADDPS  (BX), Y0, Y0
	SIGMOID8
	VMOVUPS Y0, (AX)
	VMOVUPS (AX)(R8*1), Y0
	VADDPS  (BX)(R8*1), Y0, Y0
	SIGMOID8
	VMOVUPS Y0, (AX)(R8*1)
	VMOVUPS (AX)(R10*1), Y0
	VADDPS  (BX)(R10*1), Y0, Y0
	TANH8
	VMOVUPS Y0, (AX)(R10*1)
	VMOVUPS (AX)(R11*1), Y0
	VADDPS  (BX)(R11*1), Y0, Y0
	SIGMOID8
	VMOVUPS Y0, (AX)(R11*1)
	VMOVUPS (AX), Y4
	VMULPS  (AX)(R10*1), Y4, Y4
	TESTQ   CX, CX
	JEQ     cellnoprev
	VMOVUPS (AX)(R8*1), Y5
	VFMADD231PS (CX), Y5, Y4
	ADDQ    $32, CX

cellnoprev:
	VMOVUPS Y4, (DX)
	VMOVAPS Y4, Y0
	TANH8
	VMOVUPS Y0, (SI)
	VMULPS  (AX)(R11*1), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, AX
	ADDQ    $32, BX
	ADDQ    $32, DX
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    R9
	JNE     cellloop
	VZEROUPPER

celldone:
	RET

// GELU, eight lanes at a time: the erf rational approximation of erff
// (gelu_math.go) and, for the gradient, EXP8.

DATA geluConst<>+0(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+4(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+8(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+12(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+16(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+20(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+24(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+28(SB)/4, $0x3f3504f3 // invsqrt2
DATA geluConst<>+32(SB)/4, $0x40800000 // four
DATA geluConst<>+36(SB)/4, $0x40800000 // four
DATA geluConst<>+40(SB)/4, $0x40800000 // four
DATA geluConst<>+44(SB)/4, $0x40800000 // four
DATA geluConst<>+48(SB)/4, $0x40800000 // four
DATA geluConst<>+52(SB)/4, $0x40800000 // four
DATA geluConst<>+56(SB)/4, $0x40800000 // four
DATA geluConst<>+60(SB)/4, $0x40800000 // four
DATA geluConst<>+64(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+68(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+72(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+76(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+80(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+84(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+88(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+92(SB)/4, $0xc0800000 // mfour
DATA geluConst<>+96(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+100(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+104(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+108(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+112(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+116(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+120(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+124(SB)/4, $0xaf95df0b // a0
DATA geluConst<>+128(SB)/4, $0x32edffee // a1
DATA geluConst<>+132(SB)/4, $0x32edffee // a1
DATA geluConst<>+136(SB)/4, $0x32edffee // a1
DATA geluConst<>+140(SB)/4, $0x32edffee // a1
DATA geluConst<>+144(SB)/4, $0x32edffee // a1
DATA geluConst<>+148(SB)/4, $0x32edffee // a1
DATA geluConst<>+152(SB)/4, $0x32edffee // a1
DATA geluConst<>+156(SB)/4, $0x32edffee // a1
DATA geluConst<>+160(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+164(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+168(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+172(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+176(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+180(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+184(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+188(SB)/4, $0xb60cff51 // a2
DATA geluConst<>+192(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+196(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+200(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+204(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+208(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+212(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+216(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+220(SB)/4, $0xb86ec2d2 // a3
DATA geluConst<>+224(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+228(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+232(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+236(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+240(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+244(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+248(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+252(SB)/4, $0xba40ac63 // a4
DATA geluConst<>+256(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+260(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+264(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+268(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+272(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+276(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+280(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+284(SB)/4, $0xbb41a1f6 // a5
DATA geluConst<>+288(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+292(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+296(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+300(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+304(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+308(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+312(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+316(SB)/4, $0xbc83dbd4 // a6
DATA geluConst<>+320(SB)/4, $0xb77460cd // b0
DATA geluConst<>+324(SB)/4, $0xb77460cd // b0
DATA geluConst<>+328(SB)/4, $0xb77460cd // b0
DATA geluConst<>+332(SB)/4, $0xb77460cd // b0
DATA geluConst<>+336(SB)/4, $0xb77460cd // b0
DATA geluConst<>+340(SB)/4, $0xb77460cd // b0
DATA geluConst<>+344(SB)/4, $0xb77460cd // b0
DATA geluConst<>+348(SB)/4, $0xb77460cd // b0
DATA geluConst<>+352(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+356(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+360(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+364(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+368(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+372(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+376(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+380(SB)/4, $0xb95fbd29 // b1
DATA geluConst<>+384(SB)/4, $0xbadc924e // b2
DATA geluConst<>+388(SB)/4, $0xbadc924e // b2
DATA geluConst<>+392(SB)/4, $0xbadc924e // b2
DATA geluConst<>+396(SB)/4, $0xbadc924e // b2
DATA geluConst<>+400(SB)/4, $0xbadc924e // b2
DATA geluConst<>+404(SB)/4, $0xbadc924e // b2
DATA geluConst<>+408(SB)/4, $0xbadc924e // b2
DATA geluConst<>+412(SB)/4, $0xbadc924e // b2
DATA geluConst<>+416(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+420(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+424(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+428(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+432(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+436(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+440(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+444(SB)/4, $0xbbf19bf8 // b3
DATA geluConst<>+448(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+452(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+456(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+460(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+464(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+468(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+472(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+476(SB)/4, $0xbc69b6a7 // b4
DATA geluConst<>+480(SB)/4, $0x3f800000 // one
DATA geluConst<>+484(SB)/4, $0x3f800000 // one
DATA geluConst<>+488(SB)/4, $0x3f800000 // one
DATA geluConst<>+492(SB)/4, $0x3f800000 // one
DATA geluConst<>+496(SB)/4, $0x3f800000 // one
DATA geluConst<>+500(SB)/4, $0x3f800000 // one
DATA geluConst<>+504(SB)/4, $0x3f800000 // one
DATA geluConst<>+508(SB)/4, $0x3f800000 // one
DATA geluConst<>+512(SB)/4, $0x3f000000 // half
DATA geluConst<>+516(SB)/4, $0x3f000000 // half
DATA geluConst<>+520(SB)/4, $0x3f000000 // half
DATA geluConst<>+524(SB)/4, $0x3f000000 // half
DATA geluConst<>+528(SB)/4, $0x3f000000 // half
DATA geluConst<>+532(SB)/4, $0x3f000000 // half
DATA geluConst<>+536(SB)/4, $0x3f000000 // half
DATA geluConst<>+540(SB)/4, $0x3f000000 // half
DATA geluConst<>+544(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+548(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+552(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+556(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+560(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+564(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+568(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+572(SB)/4, $0xbf000000 // mhalf
DATA geluConst<>+576(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+580(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+584(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+588(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+592(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+596(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+600(SB)/4, $0x3ecc422a // invsqrt2pi
DATA geluConst<>+604(SB)/4, $0x3ecc422a // invsqrt2pi
GLOBL geluConst<>(SB), RODATA|NOPTR, $608

// func geluAVX2(y, cdf, x *float32, n int)
// cdf[i] = 0.5·(1 + erf(x[i]/√2)) and y[i] = x[i]·cdf[i] for i < n; n is
// a multiple of 8.
TEXT ·geluAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ cdf+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JEQ  gelufdone
	VMOVUPS geluConst<>+32(SB), Y6 // clamp to [-4, 4], keeping NaN
	VMOVUPS geluConst<>+64(SB), Y7

gelufloop:
	VMOVUPS     (SI), Y0
	VMULPS      geluConst<>+0(SB), Y0, Y1
	VMINPS      Y1, Y6, Y1
	VMAXPS      Y1, Y7, Y1
	VMULPS      Y1, Y1, Y2
	VMOVUPS     geluConst<>+96(SB), Y3
	VFMADD213PS geluConst<>+128(SB), Y2, Y3
	VFMADD213PS geluConst<>+160(SB), Y2, Y3
	VFMADD213PS geluConst<>+192(SB), Y2, Y3
	VFMADD213PS geluConst<>+224(SB), Y2, Y3
	VFMADD213PS geluConst<>+256(SB), Y2, Y3
	VFMADD213PS geluConst<>+288(SB), Y2, Y3
	VMOVUPS     geluConst<>+320(SB), Y4
	VFMADD213PS geluConst<>+352(SB), Y2, Y4
	VFMADD213PS geluConst<>+384(SB), Y2, Y4
	VFMADD213PS geluConst<>+416(SB), Y2, Y4
	VFMADD213PS geluConst<>+448(SB), Y2, Y4
	VMULPS      Y3, Y1, Y3
	VDIVPS      Y4, Y3, Y3
	VADDPS      geluConst<>+480(SB), Y3, Y3
	VMULPS      geluConst<>+512(SB), Y3, Y3
	VMOVUPS     Y3, (DX)
	VMULPS      Y3, Y0, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNE         gelufloop
	VZEROUPPER

gelufdone:
	RET

// func geluGradAVX2(dx, grad, cdf, x *float32, n int)
// dx[i] = grad[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, φ the standard normal
// density; n is a multiple of 8.
TEXT ·geluGradAVX2(SB), NOSPLIT, $0-40
	MOVQ dx+0(FP), DI
	MOVQ grad+8(FP), BX
	MOVQ cdf+16(FP), DX
	MOVQ x+24(FP), SI
	MOVQ n+32(FP), CX
	SHRQ $3, CX
	JEQ  gelubdone
	LOADCONST

gelubloop:
	VMOVUPS (SI), Y5
	VMULPS  Y5, Y5, Y0
	VMULPS  geluConst<>+544(SB), Y0, Y0
	EXP8
	VMULPS  geluConst<>+576(SB), Y0, Y0
	VMULPS  Y5, Y0, Y0
	VADDPS  (DX), Y0, Y0
	VMULPS  (BX), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	ADDQ    $32, BX
	DECQ    CX
	JNE     gelubloop
	VZEROUPPER

gelubdone:
	RET

// func expShiftAVX2(dst, src *float32, shift float32, n int) (sum float32)
// dst[i] = e^(src[i]-shift) for i < n, n a multiple of 8, and 0 where
// src[i]-shift is below lo (as expNonPos flushes it); returns the sum of
// the dst values (NaN stays NaN).
TEXT ·expShiftAVX2(SB), NOSPLIT, $0-36
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	VBROADCASTSS shift+16(FP), Y6
	MOVQ         n+24(FP), CX
	VXORPS       Y5, Y5, Y5
	SHRQ         $3, CX
	JEQ          expsdone
	LOADCONST

expsloop:
	VMOVUPS (SI), Y0
	VSUBPS  Y6, Y0, Y0
	VCMPPS  $0x05, Y9, Y0, Y4 // not (x < lo): keeps NaN
	EXP8
	VANDPS  Y4, Y0, Y0
	VMOVUPS Y0, (DI)
	VADDPS  Y0, Y5, Y5
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNE     expsloop

expsdone:
	VEXTRACTF128 $1, Y5, X0
	VADDPS       X5, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VZEROUPPER
	MOVSS        X0, sum+32(FP)
	RET
