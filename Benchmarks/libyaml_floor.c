/* The floor under any libyaml-based reader: libyaml's own event parse of a file, in C,
 * with no tree built. Prints the median milliseconds of RUNS parses.
 * Usage: libyaml_floor RUNS FILE */
#include <yaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: libyaml_floor RUNS FILE\n"); return 2; }
    int runs = atoi(argv[1]);
    if (runs < 1) runs = 1;
    FILE *file = fopen(argv[2], "rb");
    if (!file) { perror(argv[2]); return 2; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    unsigned char *bytes = malloc((size_t)size);
    if (fread(bytes, 1, (size_t)size, file) != (size_t)size) { perror("read"); return 2; }
    fclose(file);
    double *times = calloc((size_t)runs, sizeof(double));
    for (int i = 0; i < runs; i++) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, bytes, (size_t)size);
        yaml_event_t event;
        for (;;) {
            if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "parse error\n"); return 1; }
            int done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            if (done) break;
        }
        yaml_parser_delete(&parser);
        clock_gettime(CLOCK_MONOTONIC, &end);
        times[i] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
    }
    qsort(times, (size_t)runs, sizeof(double), compare);
    printf("%.2f\n", times[runs / 2]);
    return 0;
}
