/*
 * CPU features for GraalVM's native image on x86-64 (svm's AMD64LibCHelper, library "libchelper").
 *
 * determineCPUFeatures fills svm's CPUFeatures struct (one byte per feature, fields named
 * "f" + the JVMCI feature name; amd64cpufeatures.h is generated from the svm jar at set-up) with
 * what this CPU and the kernel actually offer. The image calls checkCPUFeatures at start with
 * the features it was compiled for, as a mask: 0xFF for a byte whose feature is not needed, 0xFE
 * for one that is (svm's CPUFeatureAccessFeatureBase), so a needed feature is missing exactly
 * when (mask | host) != 0xFF for its byte. The image then exits with svm's message instead of
 * dying of SIGILL on the first instruction the CPU lacks.
 *
 * The rules follow HotSpot's (vm_version_x86.cpp): an AVX-family feature counts only when the
 * OS saves the registers it uses (OSXSAVE and the XCR0 bits), some features are read only on
 * the vendors that define them. Written for jinit from the Intel/AMD manuals and HotSpot's rules.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amd64cpufeatures.h"

#define BIT(reg, n) (((reg) >> (n)) & 1u)

typedef struct {
    unsigned max_leaf, max_ext_leaf;
    unsigned vendor_ebx;                 /* "Genu"ineIntel, "Auth"enticAMD, "Hygo"nGenuine */
    unsigned family;                     /* base family + extended family */
    unsigned model;                      /* base model + extended model << 4 */
    unsigned c1, d1;                     /* leaf 1: ecx, edx */
    unsigned b7, c7, d7;                 /* leaf 7 subleaf 0: ebx, ecx, edx */
    unsigned a7_1, d7_1;                 /* leaf 7 subleaf 1: eax, edx */
    unsigned ec1, ed1;                   /* leaf 0x80000001: ecx, edx */
    unsigned ed7;                        /* leaf 0x80000007: edx */
    uint64_t xcr0;                       /* registers the OS saves (XGETBV 0) */
} cpuid_t;

static int is_intel(const cpuid_t *c) { return c->vendor_ebx == 0x756e6547; }
static int is_amd_family(const cpuid_t *c) { return c->vendor_ebx == 0x68747541 || c->vendor_ebx == 0x6f677948; }

static void read_cpuid(cpuid_t *c) {
    unsigned a, b, cx;
    memset(c, 0, sizeof *c);
    c->max_leaf = __get_cpuid_max(0, &c->vendor_ebx);
    if (c->max_leaf >= 1) {
        __cpuid(1, a, b, c->c1, c->d1);
        c->family = ((a >> 8) & 0xf) + ((a >> 20) & 0xff);
        c->model = ((a >> 4) & 0xf) | (((a >> 16) & 0xf) << 4);
        if (BIT(c->c1, 27)) {            /* OSXSAVE: XGETBV is allowed */
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            c->xcr0 = ((uint64_t) hi << 32) | lo;
        }
    }
    if (c->max_leaf >= 7) {
        __cpuid_count(7, 0, a, c->b7, c->c7, c->d7);
        __cpuid_count(7, 1, c->a7_1, b, cx, c->d7_1);
    }
    c->max_ext_leaf = __get_cpuid_max(0x80000000, 0);
    if (c->max_ext_leaf >= 0x80000001) __cpuid(0x80000001, a, b, c->ec1, c->ed1);
    if (c->max_ext_leaf >= 0x80000007) __cpuid(0x80000007, a, b, cx, c->ed7);
}

void determineCPUFeatures(CPUFeatures *f) {
    cpuid_t c;
    read_cpuid(&c);
    memset(f, 0, sizeof *f);
    int ymm = (c.xcr0 & 0x6) == 0x6;                  /* SSE and AVX state saved */
    int zmm = ymm && (c.xcr0 & 0xe0) == 0xe0;         /* opmask, ZMM0-15 upper halves, ZMM16-31 */
    int avx = BIT(c.c1, 28) && ymm;

    f->fCX8 = BIT(c.d1, 8);
    f->fCMOV = BIT(c.d1, 15);
    f->fFLUSH = BIT(c.d1, 19);
    f->fMMX = BIT(c.d1, 23) || (is_amd_family(&c) && BIT(c.ed1, 23));
    f->fFXSR = BIT(c.d1, 24) || (is_amd_family(&c) && BIT(c.ed1, 24));
    f->fSSE = BIT(c.d1, 25);
    f->fSSE2 = BIT(c.d1, 26);
    f->fHT = BIT(c.d1, 28);
    f->fTSC = BIT(c.d1, 4);
    f->fSSE3 = BIT(c.c1, 0);
    f->fCLMUL = BIT(c.c1, 1);
    f->fSSSE3 = BIT(c.c1, 9);
    f->fFMA = BIT(c.c1, 12) && avx;
    f->fSSE4_1 = BIT(c.c1, 19);
    f->fSSE4_2 = BIT(c.c1, 20);
    f->fPOPCNT = BIT(c.c1, 23);
    f->fAES = BIT(c.c1, 25);
    f->fHV = BIT(c.c1, 31);

    if (avx) {
        f->fAVX = 1;
        f->fVZEROUPPER = 1;
        f->fF16C = BIT(c.c1, 29);
        f->fAVX2 = BIT(c.b7, 5);
        f->fGFNI = BIT(c.c7, 8);
        f->fAVX_IFMA = BIT(c.a7_1, 23);
        f->fSHA512 = BIT(c.a7_1, 0);
        if (zmm && BIT(c.b7, 16)) {
            f->fAVX512F = 1;
            f->fAVX512DQ = BIT(c.b7, 17);
            f->fAVX512_IFMA = BIT(c.b7, 21);
            f->fAVX512PF = BIT(c.b7, 26);
            f->fAVX512ER = BIT(c.b7, 27);
            f->fAVX512CD = BIT(c.b7, 28);
            f->fAVX512BW = BIT(c.b7, 30);
            f->fAVX512VL = BIT(c.b7, 31);
            f->fAVX512_VBMI = BIT(c.c7, 1);
            f->fAVX512_VBMI2 = BIT(c.c7, 6);
            f->fAVX512_VAES = BIT(c.c7, 9);
            f->fAVX512_VPCLMULQDQ = BIT(c.c7, 10);
            f->fAVX512_VNNI = BIT(c.c7, 11);
            f->fAVX512_BITALG = BIT(c.c7, 12);
            f->fAVX512_VPOPCNTDQ = BIT(c.c7, 14);
            f->fAVX512_FP16 = is_intel(&c) && BIT(c.d7, 23);
        }
        /* AVX10 and APX are left off: an image built for them is refused here rather than
           trusted on a CPU this code cannot describe */
    }

    f->fBMI1 = BIT(c.b7, 3);
    f->fERMS = BIT(c.b7, 9);
    f->fRTM = BIT(c.b7, 11);
    f->fBMI2 = BIT(c.b7, 8);
    f->fADX = BIT(c.b7, 19);
    f->fFLUSHOPT = BIT(c.b7, 23);
    f->fSHA = BIT(c.b7, 29);
    f->fRDPID = BIT(c.c7, 22);
    f->fPKU = BIT(c.c7, 3);
    f->fOSPKE = BIT(c.c7, 4);
    f->fCET_SS = BIT(c.c7, 7);
    f->fFSRM = BIT(c.d7, 4);
    f->fCET_IBT = BIT(c.d7, 20);
    f->fRDTSCP = BIT(c.ed1, 27);
    f->fTSCINV_BIT = BIT(c.ed7, 8);
    /* an invariant TSC is trusted across sockets only where HotSpot trusts it */
    f->fTSCINV = f->fTSCINV_BIT && (is_amd_family(&c) ? c.family != 0x11 : 0);
    f->fLZCNT = (is_intel(&c) || is_amd_family(&c)) && BIT(c.ec1, 5);
    f->fAMD_3DNOW_PREFETCH = (is_intel(&c) || is_amd_family(&c)) && (BIT(c.ec1, 8) || (is_amd_family(&c) && BIT(c.ed1, 31)));
    f->fSSE4A = is_amd_family(&c) && BIT(c.ec1, 6);
    f->fCLWB = is_intel(&c) && BIT(c.b7, 24);
    f->fSERIALIZE = is_intel(&c) && BIT(c.d7, 14);
}

/* 0 when every feature the image needs is here, 1 otherwise (the answer is computed once) */
int checkCPUFeatures(const unsigned char *buildtimeFeatures) {
    static int result = -1;
    if (result != -1) return result;
    /* the mask covers the struct rounded up to 8 bytes; the host's padding bytes are 0 */
    unsigned char host[(sizeof(CPUFeatures) + 7) / 8 * 8];
    memset(host, 0, sizeof host);
    determineCPUFeatures((CPUFeatures *) host);
    for (size_t i = 0; i < sizeof host; i++) {
        if ((unsigned char) (buildtimeFeatures[i] | host[i]) != 0xff) return result = 1;
    }
    return result = 0;
}

int checkCPUFeaturesOrExit(const unsigned char *buildtimeFeatures, const char *errorMessage) {
    if (checkCPUFeatures(buildtimeFeatures) != 0) {
        fputs(errorMessage, stderr);
        exit(1);
    }
    return 0;
}
