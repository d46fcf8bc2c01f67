/* Peak fp32 FMA throughput of this machine: independent chains of vector FMAs, enough of them to
 * hide the FMA latency, at 256 and 512 bits, on 1 and 2 threads. This is the ceiling against which
 * the convolution GFLOP/s are read. Each thread times itself by its own CPU time, so time spent
 * descheduled on a shared machine does not count; GFLOP/s = sum over threads of 2 * lanes * FMAs /
 * thread CPU seconds, best of 5 runs. A width the CPU lacks is skipped (its row is absent).
 * Usage: fma_peak [iterations per thread, default 50000000] */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12

typedef struct job {
    long iterations;
    int bits;
    float sink;
    double cpu_seconds;
} job;

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

__attribute__((target("avx2,fma"))) static void *run_avx2(job *j)
{
    __m256 acc[CHAINS];
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (int c = 0; c < CHAINS; c++) {
        acc[c] = _mm256_set1_ps((float)c);
    }
    for (long i = 0; i < j->iterations; i++) {
        /* Unrolled so the chains live in registers: through memory, store forwarding would be the limit. */
#pragma GCC unroll 12
        for (int c = 0; c < CHAINS; c++) {
            acc[c] = _mm256_fmadd_ps(acc[c], a, b);
        }
    }
    __m256 sum = acc[0];
    for (int c = 1; c < CHAINS; c++) {
        sum = _mm256_add_ps(sum, acc[c]);
    }
    j->sink = _mm256_cvtss_f32(sum);
    return NULL;
}

__attribute__((target("avx512f"))) static void *run_avx512(job *j)
{
    __m512 acc[CHAINS];
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (int c = 0; c < CHAINS; c++) {
        acc[c] = _mm512_set1_ps((float)c);
    }
    for (long i = 0; i < j->iterations; i++) {
#pragma GCC unroll 12
        for (int c = 0; c < CHAINS; c++) {
            acc[c] = _mm512_fmadd_ps(acc[c], a, b);
        }
    }
    j->sink = _mm512_reduce_add_ps(acc[0]);
    for (int c = 1; c < CHAINS; c++) {
        j->sink += _mm512_reduce_add_ps(acc[c]);
    }
    return NULL;
}

static void *thread_main(void *argument)
{
    job *j = argument;
    const double start = thread_cpu_seconds();
    void *result = j->bits == 512 ? run_avx512(j) : run_avx2(j);
    j->cpu_seconds = thread_cpu_seconds() - start;
    return result;
}

static double gflops(int bits, int threads, long iterations)
{
    pthread_t ids[2];
    job jobs[2];
    double best = 0;
    for (int run = 0; run < 5; run++) {
        for (int t = 0; t < threads; t++) {
            jobs[t] = (job){.iterations = iterations, .bits = bits};
            pthread_create(&ids[t], NULL, thread_main, &jobs[t]);
        }
        for (int t = 0; t < threads; t++) {
            pthread_join(ids[t], NULL);
        }
        double value = 0;
        for (int t = 0; t < threads; t++) {
            value += 2.0 * (bits / 32) * CHAINS * (double)iterations / jobs[t].cpu_seconds * 1e-9;
        }
        best = value > best ? value : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    const long iterations = argc > 1 ? atol(argv[1]) : 50000000L;
    printf("bits,threads,gflops\n");
    for (int bits = 256; bits <= 512; bits += 256) {
        const int supported = bits == 256 ? __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                                          : __builtin_cpu_supports("avx512f");
        if (!supported) {
            continue;
        }
        for (int threads = 1; threads <= 2; threads++) {
            printf("%d,%d,%.1f\n", bits, threads, gflops(bits, threads, iterations));
        }
    }
    return 0;
}
