/* Buffers that sit flush against an inaccessible page, so a kernel that reads or writes even one
 * element before or past its buffer crashes at that access instead of silently using a neighbour's
 * memory. POSIX only (mmap + mprotect). */
#ifndef NATIVECONV_GUARDED_BUFFER_H
#define NATIVECONV_GUARDED_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef enum guard_side {
    GUARD_AFTER,  /* the buffer's last element ends where a PROT_NONE page starts */
    GUARD_BEFORE  /* the buffer's first element starts where a PROT_NONE page ends */
} guard_side;

typedef struct guarded_buffer {
    unsigned char *map;
    size_t map_size;
    float *data; /* NULL for an empty buffer, as the API's (NULL, 0) */
} guarded_buffer;

/* Maps count floats between two PROT_NONE pages, pushed against the one on `side`, and copies
 * `contents` (count floats) in. */
static inline guarded_buffer guarded_alloc(const float *contents, size_t count, guard_side side)
{
    guarded_buffer g = {NULL, 0, NULL};
    if (count == 0) {
        return g;
    }
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    const size_t bytes = count * sizeof(float);
    const size_t body = (bytes + page - 1) / page * page;
    g.map_size = body + 2 * page;
    void *map = mmap(NULL, g.map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    g.map = map;
    if (mprotect(g.map, page, PROT_NONE) != 0 || mprotect(g.map + page + body, page, PROT_NONE) != 0) {
        perror("mprotect");
        exit(2);
    }
    g.data = (float *)(void *)(g.map + page + (side == GUARD_AFTER ? body - bytes : 0));
    for (size_t i = 0; i < count; i++) {
        g.data[i] = contents[i];
    }
    return g;
}

static inline void guarded_free(guarded_buffer *g)
{
    if (g->map != NULL) {
        munmap(g->map, g->map_size);
    }
    g->map = NULL;
    g->data = NULL;
}

#endif
