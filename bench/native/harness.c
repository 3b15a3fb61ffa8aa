/*
 * memmap-check native harness: performs, over a memmap buffer, the memory operations the model's
 * event stream has for one variant and configuration, and times them (docs/cost-model.md §7).
 *
 * The operations come from prog.h, generated from the model by src/bench/native-codegen.ts: one
 * C statement group per model event, in the model's order, inside the loops of the kernel code.
 * This file only supplies the primitives and the timing:
 *   loads and cached stores: volatile accesses of the event's size (no merging, no vectorizing);
 *   streaming stores: MOVNTI (_mm_stream_si64 / _mm_stream_si32) in the event's granule;
 *   the pageblock bitmap update: LOCK CMPXCHG; a drain: SFENCE.
 *
 * Build: cc -O2 -I<dir of prog.h> harness.c       (-DTRACE: print the ops instead of doing them)
 * Run:   harness [--runs N]    prints {"runs_ns": [...], "median_ns": M, "wall_ns": [...], "bytes": [...]}
 * Times are this thread's CPU time (a shared machine deschedules the process; memory stalls are
 * CPU time), with the wall time beside them.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static unsigned char *region[3];

#ifdef TRACE
#define TR(k, r, p, n, g)                                                                            \
	do {                                                                                         \
		if (g)                                                                               \
			printf("%s %d %lld %d %d\n", k, r, (long long)((p) - region[r]), n, g);     \
		else                                                                                 \
			printf("%s %d %lld %d\n", k, r, (long long)((p) - region[r]), n);           \
	} while (0)
#define TRF() puts("sfence")
#define LD8(p) ((void)(p), 0)
#define LD16(p) ((void)(p), 0)
#define LD32(p) ((void)(p), 0)
#define LD64(p) ((void)(p), 0)
#define ST8(p, x) ((void)(p), (void)(x))
#define ST16(p, x) ((void)(p), (void)(x))
#define ST32(p, x) ((void)(p), (void)(x))
#define ST64(p, x) ((void)(p), (void)(x))
#define NT32(p, x) ((void)(p), (void)(x))
#define NT64(p, x) ((void)(p), (void)(x))
#define CAS8(p, x) ((void)(p), (void)(x))
#define CAS64(p, x) ((void)(p), (void)(x))
#define SFENCE() ((void)0)
#else
#define TR(k, r, p, n, g) ((void)0)
#define TRF() ((void)0)
#define LD8(p) (*(volatile uint8_t *)(p))
#define LD16(p) (*(volatile uint16_t *)(p))
#define LD32(p) (*(volatile uint32_t *)(p))
#define LD64(p) (*(volatile uint64_t *)(p))
#define ST8(p, x) (*(volatile uint8_t *)(p) = (uint8_t)(x))
#define ST16(p, x) (*(volatile uint16_t *)(p) = (uint16_t)(x))
#define ST32(p, x) (*(volatile uint32_t *)(p) = (uint32_t)(x))
#define ST64(p, x) (*(volatile uint64_t *)(p) = (uint64_t)(x))
#define NT32(p, x) _mm_stream_si32((int *)(p), (int)(x))
#define NT64(p, x) _mm_stream_si64((long long *)(p), (long long)(x))
/* the kernel's try_cmpxchg() loop succeeds at once here: the old value was just loaded */
#define CAS8(p, x)                                                                                   \
	do {                                                                                         \
		uint8_t o_ = (uint8_t)(x);                                                           \
		__atomic_compare_exchange_n((uint8_t *)(p), &o_, (uint8_t)(o_ | 1), 0,               \
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);                     \
	} while (0)
#define CAS64(p, x)                                                                                  \
	do {                                                                                         \
		uint64_t o_ = (uint64_t)(x);                                                         \
		__atomic_compare_exchange_n((uint64_t *)(p), &o_, o_ | 1, 0, __ATOMIC_RELAXED,       \
					    __ATOMIC_RELAXED);                                       \
	} while (0)
#define SFENCE() _mm_sfence()
#endif

#include "prog.h"

#define HUGE_BYTES (2UL << 20)

/* An anonymous mapping of at least `bytes`, 2 MiB-aligned (vmemmap is mapped with PMDs). */
static unsigned char *map_region(size_t bytes, int fill)
{
	size_t len = (bytes + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
	if (len == 0)
		len = HUGE_BYTES;
	unsigned char *p = mmap(NULL, len + HUGE_BYTES, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "harness: cannot map %zu bytes\n", len);
		exit(1);
	}
	unsigned char *a = (unsigned char *)(((uintptr_t)p + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1));
	madvise(a, len, MADV_HUGEPAGE); /* a hint: fine if transparent huge pages are off */
#ifdef TRACE
	(void)fill;
#else
	memset(a, fill, len); /* first touch: page tables populated, as before a rebind */
#endif
	return a;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = 5;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else {
			fprintf(stderr, "harness: unknown argument %s; allowed: --runs N\n", argv[i]);
			return 2;
		}
	}
	if (runs < 1 || runs > 1000) {
		fprintf(stderr, "harness: --runs=%d is not allowed; allowed 1..1000\n", runs);
		return 2;
	}
	const unsigned long long bytes[3] = { PROG_BYTES_0, PROG_BYTES_1, PROG_BYTES_2 };
	/* the model's initial memory: struct pages 0xff (not yet initialized), the usemap zeroed
	 * (kzalloc'ed section usage) */
	for (int r = 0; r < 3; r++)
		region[r] = map_region(bytes[r], r == 1 ? 0 : 0xff);
#ifdef TRACE
	prog(region[0], region[1], region[2]);
	return 0;
#else
	long long *ns = calloc((size_t)runs, sizeof(*ns)), *wall = calloc((size_t)runs, sizeof(*wall));
	prog(region[0], region[1], region[2]); /* warm-up: code and TLB, untimed */
	for (int i = 0; i < runs; i++) {
		struct timespec a, b, wa, wb;
		clock_gettime(CLOCK_MONOTONIC, &wa);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		prog(region[0], region[1], region[2]);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		clock_gettime(CLOCK_MONOTONIC, &wb);
		ns[i] = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
		wall[i] = (wb.tv_sec - wa.tv_sec) * 1000000000LL + (wb.tv_nsec - wa.tv_nsec);
	}
	printf("{\"runs_ns\": [");
	for (int i = 0; i < runs; i++)
		printf("%s%lld", i ? ", " : "", ns[i]);
	printf("], \"wall_ns\": [");
	for (int i = 0; i < runs; i++)
		printf("%s%lld", i ? ", " : "", wall[i]);
	qsort(ns, (size_t)runs, sizeof(*ns), cmp_ll);
	printf("], \"median_ns\": %lld, \"bytes\": [%llu, %llu, %llu]}\n", ns[runs / 2], bytes[0], bytes[1],
	       bytes[2]);
	return 0;
#endif
}
