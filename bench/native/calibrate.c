/*
 * memmap-check calibration microbenchmarks (memmap-check cost --calibrate, docs/cost-model.md §8):
 * the physical parameters of the cost model measured on this machine, none of them fitted to a
 * rebind time.
 *
 *   cached_line_ns  one 64-byte line written by a cached copy of a template in L1 (8 loads, 8
 *                   8-byte stores), over a buffer much larger than the caches: a read for
 *                   ownership and a write-back per line
 *   stream_line_ns  one line written by a streaming copy of the template (8 loads, 8 MOVNTIs): a
 *                   full write-combining line, no read
 *   fence_k_ns      extra time of one SFENCE issued after every k streamed lines (k = 1, 510),
 *                   against the same stream without fences
 *   store_ns        one field operation on a line in L1: 8-byte stores and loads, 3 to 1 (the
 *                   kernel's init functions store about three fields for each one they read)
 *   fresh_k_ns      one line of the large buffer receiving k field operations (k = 16, 24, 32, 48):
 *                   how field operations and read-for-ownership traffic overlap
 *
 * Every figure is the median of --runs runs over a buffer of --mib MiB, first touched, timed in
 * this thread's CPU time: a shared machine deschedules the process, and wall time would count
 * that (memory stalls are CPU time: the thread is running while it waits).
 * Prints one JSON object.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *x, int n)
{
	qsort(x, (size_t)n, sizeof(*x), cmp_d);
	return x[n / 2];
}

/* the source of the copies: a struct page template in L1, as on the kernel stack */
static uint64_t tpl[8] __attribute__((aligned(64))) = { 1, 2, 3, 4, 5, 6, 7, 8 };

#define LOAD_TEMPLATE()                                                                              \
	volatile uint64_t *s_ = tpl;                                                                 \
	uint64_t a0 = s_[0], a1 = s_[1], a2 = s_[2], a3 = s_[3], a4 = s_[4], a5 = s_[5], a6 = s_[6], \
		 a7 = s_[7]

/* memcpy() of the template into each line: 8 loads from L1, 8 cached 8-byte stores */
static void cached_pass(unsigned char *buf, size_t len)
{
	for (size_t off = 0; off < len; off += LINE) {
		volatile uint64_t *q = (volatile uint64_t *)(buf + off);
		LOAD_TEMPLATE();
		q[0] = a0; q[1] = a1; q[2] = a2; q[3] = a3;
		q[4] = a4; q[5] = a5; q[6] = a6; q[7] = a7;
	}
}

#define STREAM_LINE(q)                                                                               \
	do {                                                                                         \
		LOAD_TEMPLATE();                                                                     \
		_mm_stream_si64(q + 0, (long long)a0); _mm_stream_si64(q + 1, (long long)a1);        \
		_mm_stream_si64(q + 2, (long long)a2); _mm_stream_si64(q + 3, (long long)a3);        \
		_mm_stream_si64(q + 4, (long long)a4); _mm_stream_si64(q + 5, (long long)a5);        \
		_mm_stream_si64(q + 6, (long long)a6); _mm_stream_si64(q + 7, (long long)a7);        \
	} while (0)

/* memcpy_nt() of the template into each line: 8 loads from L1, 8 MOVNTIs; one SFENCE at the end */
static void stream_pass(unsigned char *buf, size_t len)
{
	for (size_t off = 0; off < len; off += LINE)
		STREAM_LINE((long long *)(buf + off));
	_mm_sfence();
}

/* the same with an SFENCE after every k lines */
static void fenced_pass(unsigned char *buf, size_t len, size_t k)
{
	for (size_t off = 0; off < len; off += k * LINE) {
		for (size_t i = 0; i < k && off + i * LINE < len; i++)
			STREAM_LINE((long long *)(buf + off + i * LINE));
		_mm_sfence();
	}
}

/* Field operations on a line in L1: 12 stores and 4 loads, written out (no loop per op). */
#define FIELD_OPS_PER_LINE 16
#define FIELD_LINE(q, x)                                                                             \
	do {                                                                                         \
		q[7] = x; q[6] = x; q[5] = x; q[4] = x;                                              \
		x += q[0]; q[3] = x; q[2] = x; q[1] = x;                                             \
		x += q[1]; q[0] = x; x += q[2]; q[1] = x;                                            \
		x += q[3]; q[2] = x; q[3] = x; q[4] = x;                                             \
	} while (0)

/* k = 16 * n field operations on each line of the large buffer */
static uint64_t fresh_pass(unsigned char *buf, size_t len, int n, uint64_t x)
{
	for (size_t off = 0; off < len; off += LINE) {
		volatile uint64_t *q = (volatile uint64_t *)(buf + off);
		switch (n) {
		case 3: FIELD_LINE(q, x); /* fall through */
		case 2: FIELD_LINE(q, x); /* fall through */
		default: FIELD_LINE(q, x);
		}
	}
	return x;
}

/* 8 stores, then 16 field operations, on each line: k = 24 */
static uint64_t fresh24_pass(unsigned char *buf, size_t len, uint64_t x)
{
	for (size_t off = 0; off < len; off += LINE) {
		volatile uint64_t *q = (volatile uint64_t *)(buf + off);
		q[0] = x; q[1] = x; q[2] = x; q[3] = x; q[4] = x; q[5] = x; q[6] = x; q[7] = x;
		FIELD_LINE(q, x);
	}
	return x;
}

static uint64_t field_pass(unsigned char *buf, long iters)
{
	uint64_t x = 0;
	for (long i = 0; i < iters; i++) {
		for (int l = 0; l < 8; l++) {
			volatile uint64_t *q = (volatile uint64_t *)(buf + (size_t)l * LINE);
			FIELD_LINE(q, x);
		}
	}
	return x;
}

int main(int argc, char **argv)
{
	long mib = 1024;
	int runs = 5;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mib") && i + 1 < argc)
			mib = atol(argv[++i]);
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else {
			fprintf(stderr, "calibrate: unknown argument %s; allowed: --mib N, --runs N\n", argv[i]);
			return 2;
		}
	}
	if (mib < 64 || mib > 65536 || runs < 1 || runs > 101) {
		fprintf(stderr, "calibrate: --mib=%ld --runs=%d not allowed; allowed --mib 64..65536, --runs 1..101\n", mib, runs);
		return 2;
	}
	size_t len = (size_t)mib << 20;
	/* 2 MiB-aligned, as the harness maps the memmap */
	unsigned char *map = mmap(NULL, len + (2UL << 20), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "calibrate: cannot map %ld MiB\n", mib);
		return 1;
	}
	unsigned char *buf = (unsigned char *)(((uintptr_t)map + (2UL << 20) - 1) & ~((uintptr_t)(2UL << 20) - 1));
	madvise(buf, len, MADV_HUGEPAGE);
	memset(buf, 0xff, len); /* first touch */
	static unsigned char l1[8 * 8 * LINE] __attribute__((aligned(64)));
	const double lines = (double)(len / LINE);
	double *c = calloc((size_t)runs, sizeof(double)), *s = calloc((size_t)runs, sizeof(double));
	double *f1 = calloc((size_t)runs, sizeof(double)), *f510 = calloc((size_t)runs, sizeof(double));
	double *st = calloc((size_t)runs, sizeof(double));
	double *fk[4];
	for (int i = 0; i < 4; i++)
		fk[i] = calloc((size_t)runs, sizeof(double));
	const long iters = 1L << 22;
	volatile uint64_t sink = 0;
	cached_pass(buf, len);
	stream_pass(buf, len);
	sink += field_pass(l1, iters / 16);
	/* the fenced passes run over an eighth of the buffer (still far larger than the caches): a
	 * fence per line costs hundreds of ns */
	const size_t flen = len / 8;
	const double flines = (double)(flen / LINE);
	for (int r = 0; r < runs; r++) {
		/* interleaved, so drift in the machine's load hits every figure alike */
		double t0 = now_ns();
		cached_pass(buf, len);
		double t1 = now_ns();
		stream_pass(buf, len);
		double t2 = now_ns();
		stream_pass(buf, flen);
		double t3 = now_ns();
		fenced_pass(buf, flen, 1);
		double t4 = now_ns();
		fenced_pass(buf, flen, 510);
		double t5 = now_ns();
		sink += field_pass(l1, iters);
		double t6 = now_ns();
		c[r] = (t1 - t0) / lines;
		s[r] = (t2 - t1) / lines;
		f1[r] = ((t4 - t3) - (t3 - t2)) / flines;
		f510[r] = ((t5 - t4) - (t3 - t2)) / (flines / 510);
		st[r] = (t6 - t5) / ((double)iters * 8 * FIELD_OPS_PER_LINE);
		double u0 = now_ns();
		sink += fresh_pass(buf, len, 1, sink);
		double u1 = now_ns();
		sink += fresh24_pass(buf, len, sink);
		double u2 = now_ns();
		sink += fresh_pass(buf, len, 2, sink);
		double u3 = now_ns();
		sink += fresh_pass(buf, len, 3, sink);
		double u4 = now_ns();
		fk[0][r] = (u1 - u0) / lines;
		fk[1][r] = (u2 - u1) / lines;
		fk[2][r] = (u3 - u2) / lines;
		fk[3][r] = (u4 - u3) / lines;
	}
	printf("{\"mib\": %ld, \"runs\": %d, \"cached_line_ns\": %.4f, \"stream_line_ns\": %.4f, "
	       "\"fence_1_ns\": %.3f, \"fence_510_ns\": %.3f, \"store_ns\": %.5f, "
	       "\"fresh_k\": [16, 24, 32, 48], \"fresh_k_ns\": [%.4f, %.4f, %.4f, %.4f]}\n",
	       mib, runs, median(c, runs), median(s, runs), median(f1, runs), median(f510, runs),
	       median(st, runs), median(fk[0], runs), median(fk[1], runs), median(fk[2], runs), median(fk[3], runs));
	return 0;
}
