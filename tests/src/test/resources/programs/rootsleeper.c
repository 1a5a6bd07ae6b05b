/* A setuid-root helper that becomes root for good, ignores TERM, writes its pid to
   $T/root-pid and waits. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (setresuid(0, 0, 0) != 0) { perror("setresuid"); return 1; }
    signal(SIGTERM, SIG_IGN);
    char p[4096];
    snprintf(p, sizeof p, "%s/root-pid", getenv("T"));
    FILE *f = fopen(p, "w");
    fprintf(f, "%d", getpid());
    fclose(f);
    for (;;) pause();
}
