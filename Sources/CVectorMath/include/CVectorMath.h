// The transcendental activations σ and σ' over arrays of doubles, vectorised with glibc's libmvec.
//
// Each kernel writes σ(x[i]) to value[i] and σ'(x[i]) to slope[i] for 0 <= i < n; either output may be
// NULL (not wanted) or equal to x (in place). Every element goes through the same 4-lane code whatever
// its position (the tail is padded into a 4-lane buffer), so a value's bits do not depend on the array
// it sits in: results are the same for any batching, sharding or choice of outputs. NaN propagates.
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

/// x for x > 0, α·(eˣ − 1) otherwise.
void vm_elu(const double *x, double *value, double *slope, long n, double alpha);
/// x·Φ(x), Φ the standard normal CDF (exact erf form).
void vm_gelu(const double *x, double *value, double *slope, long n);
/// x·sigmoid(x).
void vm_silu(const double *x, double *value, double *slope, long n);
/// log(1 + e^(βx))/β, linear above βx > 20 as in PyTorch.
void vm_softplus(const double *x, double *value, double *slope, long n, double beta);
void vm_tanh(const double *x, double *value, double *slope, long n);
/// 1/(1 + e^(−x)).
void vm_sigmoid(const double *x, double *value, double *slope, long n);
/// x·tanh(softplus(x)).
void vm_mish(const double *x, double *value, double *slope, long n);

/// The kernel chosen for this CPU, e.g. "glibc 2.36 libmvec AVX2": the run cache keys on it and reports
/// record it.
const char *vm_kernel_name(void);

#endif
