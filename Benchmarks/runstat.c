/* Runs a command N times; prints the median and best wall time (ms) and the peak RSS (KiB).
 * Written in C so that the child's peak RSS (which Linux carries across exec) is the
 * measured program's, not a large parent's copy. Usage: runstat RUNS COMMAND [ARGS...]
 *
 * Then what says whether the machine was the command's alone while it ran (a 2-core machine
 * shared with anything else slows a program on two threads more than one on one thread, so
 * two measures of the same command can differ without the command changing): the median CPU
 * time of the child (user + system, ms), and over the span of the measured runs: the span
 * (ms), the children's CPU time (ms), the CPU time of the whole machine (/proc/stat, ms:
 * everything but idle and iowait, over every core) and the time some task waited for a core
 * (/proc/pressure/cpu "some", ms; -1 without it). bench.py reads the machine's CPU time less
 * the children's as what other processes took. */
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

/* The machine's busy CPU time (ms) since boot: user, nice, system, irq, softirq, steal. */
static double machine_busy_ms(void) {
    FILE *stat = fopen("/proc/stat", "r");
    if (!stat) return 0;
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    int read = fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait, &irq, &softirq, &steal);
    fclose(stat);
    if (read < 7) return 0;
    return (double)(user + nice + system + irq + softirq + steal) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* Microseconds some task waited for a core since boot (pressure stall information), or -1. */
static double cpu_stall_ms(void) {
    FILE *pressure = fopen("/proc/pressure/cpu", "r");
    if (!pressure) return -1;
    double avg10, avg60, avg300;
    unsigned long long total = 0;
    int read = fscanf(pressure, "some avg10=%lf avg60=%lf avg300=%lf total=%llu", &avg10, &avg60, &avg300, &total);
    fclose(pressure);
    return read == 4 ? (double)total / 1000.0 : -1;
}

static double milliseconds(struct timespec start, struct timespec end) {
    return (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: runstat RUNS COMMAND [ARGS...]\n"); return 2; }
    int runs = atoi(argv[1]);
    if (runs < 1) runs = 1;
    double *times = calloc((size_t)runs, sizeof(double));
    double *cpu = calloc((size_t)runs, sizeof(double));
    long peak = 0;
    int status_seen = 0;
    struct timespec span_start = {0, 0}, span_end = {0, 0};
    double busy_start = 0, stall_start = 0, cpu_total = 0;
    for (int i = -1; i < runs; i++) { /* run -1 warms the page cache */
        if (i == 0) {
            busy_start = machine_busy_ms();
            stall_start = cpu_stall_ms();
            clock_gettime(CLOCK_MONOTONIC, &span_start);
        }
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
        times[i] = milliseconds(start, end);
        cpu[i] = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
        cpu_total += cpu[i];
        if (usage.ru_maxrss > peak) peak = usage.ru_maxrss;
        if (WIFEXITED(status)) status_seen |= 1 << (WEXITSTATUS(status) & 7);
    }
    clock_gettime(CLOCK_MONOTONIC, &span_end);
    double busy = machine_busy_ms() - busy_start;
    double stall_end = cpu_stall_ms();
    double stall = stall_start < 0 || stall_end < 0 ? -1 : stall_end - stall_start;
    qsort(times, (size_t)runs, sizeof(double), compare);
    qsort(cpu, (size_t)runs, sizeof(double), compare);
    printf("%.2f %.2f %ld %d %.2f %.2f %.2f %.2f %.2f\n", times[runs / 2], times[0], peak, status_seen,
           cpu[runs / 2], milliseconds(span_start, span_end), cpu_total, busy, stall);
    return 0;
}
