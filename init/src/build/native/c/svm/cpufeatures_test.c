/*
 * Run once by setup-builder.sh, linked with the builder's liblibchelper.a: the CPU features
 * cpufeatures.c reads must be the ones the kernel reports in /proc/cpuinfo, and the check an
 * image makes at start must refuse a feature this CPU lacks and accept the ones it has.
 * usage: cpufeatures_test compare|accept|refuse (checkCPUFeatures answers once per process)
 * Prints one line per mismatch; exit status 0 when there is none.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amd64cpufeatures.h"

#define FEATURE(field, flag) { offsetof(CPUFeatures, field), #field, flag }

static const struct { size_t offset; const char *field, *flag; } features[] = {
    FEATURE(fCX8, "cx8"), FEATURE(fCMOV, "cmov"), FEATURE(fSSE2, "sse2"), FEATURE(fSSE3, "pni"),
    FEATURE(fSSSE3, "ssse3"), FEATURE(fSSE4_1, "sse4_1"), FEATURE(fSSE4_2, "sse4_2"),
    FEATURE(fPOPCNT, "popcnt"), FEATURE(fCLMUL, "pclmulqdq"), FEATURE(fAES, "aes"),
    FEATURE(fAVX, "avx"), FEATURE(fAVX2, "avx2"), FEATURE(fF16C, "f16c"), FEATURE(fFMA, "fma"),
    FEATURE(fBMI1, "bmi1"), FEATURE(fBMI2, "bmi2"), FEATURE(fADX, "adx"), FEATURE(fLZCNT, "abm"),
    FEATURE(fERMS, "erms"), FEATURE(fRDTSCP, "rdtscp"), FEATURE(fSHA, "sha_ni"),
    FEATURE(fAVX512F, "avx512f"), FEATURE(fAVX512BW, "avx512bw"), FEATURE(fAVX512VL, "avx512vl"),
};

static int has_flag(const char *flags, const char *flag) {
    size_t n = strlen(flag);
    for (const char *p = flags; (p = strstr(p, flag)) != NULL; p += n) {
        if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0')) return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    unsigned char host[(sizeof(CPUFeatures) + 7) / 8 * 8] = { 0 };
    determineCPUFeatures((CPUFeatures *) host);
    const char *mode = argc > 1 ? argv[1] : "compare";

    if (strcmp(mode, "compare") == 0) {
        static char line[1 << 16];
        const char *flags = NULL;
        FILE *f = fopen("/proc/cpuinfo", "r");
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "flags", 5) == 0) { flags = line; break; }
        }
        if (flags == NULL) { puts("no flags line in /proc/cpuinfo"); return 1; }
        int bad = 0;
        for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
            int cpuid = host[features[i].offset], kernel = has_flag(flags, features[i].flag);
            if (cpuid != kernel) {
                printf("%s: cpuid says %d, /proc/cpuinfo's %s says %d\n", features[i].field, cpuid, features[i].flag, kernel);
                bad = 1;
            }
        }
        return bad;
    }

    /* the start-up check takes a mask: 0xff where a feature is not needed, 0xfe where it is */
    unsigned char mask[sizeof host];
    memset(mask, 0xff, sizeof mask);
    if (strcmp(mode, "accept") == 0) {          /* everything this CPU has: accepted */
        for (size_t i = 0; i < sizeof(CPUFeatures); i++) if (host[i]) mask[i] = 0xfe;
        if (checkCPUFeatures(mask) == 0) return 0;
        puts("an image needing only what this CPU has is refused");
        return 1;
    }
    /* refuse: AVX10.1, which cpufeatures.c never reports */
    mask[offsetof(CPUFeatures, fAVX10_1)] = 0xfe;
    if (checkCPUFeatures(mask) == 1) return 0;
    puts("an image needing a feature this CPU lacks is accepted");
    return 1;
}
