#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_multimin.h>
#include <dlfcn.h>
#include <string.h>

/* Swift 6 rejects GSL's mutable generator-type globals; read them through accessors. */
static inline const gsl_rng_type *cgsl_rng_type_mt19937(void) { return gsl_rng_mt19937; }
static inline const char *cgsl_version(void) { return gsl_version; }
static inline const gsl_multimin_fdfminimizer_type *cgsl_multimin_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }

/* The library that `cblas_dgemm` resolves to in this process (GSL binds through the global scope),
   found by comparing the global symbol with each candidate library's own (research note §1.5). */
static inline const char *cgsl_active_cblas(void) {
    void *global = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    if (global == NULL) return "none";
    static const char *const names[][2] = {
        {"libopenblas.so.0", "OpenBLAS"},
        {"libblis.so.4", "BLIS"},
        {"libgslcblas.so.0", "GSL CBLAS"},
    };
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void *handle = dlopen(names[i][0], RTLD_LAZY | RTLD_NOLOAD);
        if (handle == NULL) continue;
        void *own = dlsym(handle, "cblas_dgemm");
        dlclose(handle);
        if (own == global) return names[i][1];
    }
    return "unknown";
}

/* Sets the BLAS thread count when the BLAS is threaded (OpenBLAS); returns the count in force,
   or 1 for a single-threaded BLAS. */
static inline int cgsl_blas_set_threads(int threads) {
    void (*setter)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    int (*getter)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    if (setter != NULL && threads > 0) setter(threads);
    return getter != NULL ? getter() : 1;
}

/* The kernel family a dynamic-architecture OpenBLAS chose for this CPU (e.g. "Haswell", "SkylakeX";
   OPENBLAS_CORETYPE overrides it), or "" for another BLAS. Kernels differ in the last bits. */
static inline const char *cgsl_blas_kernel(void) {
    char *(*getter)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_corename");
    const char *name = getter != NULL ? getter() : NULL;
    return name != NULL ? name : "";
}

static inline int cgsl_blas_threads(void) {
    int (*getter)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    return getter != NULL ? getter() : 1;
}

#endif
