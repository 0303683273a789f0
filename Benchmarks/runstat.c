/* Runs a command N times; prints the median and best wall time (ms) and the peak RSS (KiB).
 * Written in C so that the child's peak RSS (which Linux carries across exec) is the
 * measured program's, not a large parent's copy. Usage: runstat RUNS COMMAND [ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: runstat RUNS COMMAND [ARGS...]\n"); return 2; }
    int runs = atoi(argv[1]);
    if (runs < 1) runs = 1;
    double *times = calloc((size_t)runs, sizeof(double));
    long peak = 0;
    int status_seen = 0;
    for (int i = -1; i < runs; i++) { /* run -1 warms the page cache */
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        int status = 0;
        struct rusage usage;
        wait4(pid, &status, 0, &usage);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (i < 0) continue;
        times[i] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
        if (usage.ru_maxrss > peak) peak = usage.ru_maxrss;
        if (WIFEXITED(status)) status_seen |= 1 << (WEXITSTATUS(status) & 7);
    }
    qsort(times, (size_t)runs, sizeof(double), compare);
    printf("%.2f %.2f %ld %d\n", times[runs / 2], times[0], peak, status_seen);
    return 0;
}
