"""The one place where agreement tolerances are stated, derived from each dtype's machine epsilon.

A quantity agrees when  max|ref - torch| <= rtol * max(max|torch|, tiny)  (a norm-wise relative
error). Elementwise relative error is meaningless for entries that come out of cancellation
(a dW entry that sums to ~0), so the error is measured against the quantity's own scale.

The factors: NumPy and torch run the same algebra with different summation orders (BLAS
blocking, pairwise vs sequential sums), so each matmul, each reduction over m and each step of
the chain back to dA0 adds a few eps, amplified where a sum cancels (dA[l-1] = W^T dZ can be far
smaller than its terms). The bound is the project's promise written in units of eps:
  float64: 2**12 eps = 9.1e-13  ("about 1e-12"; the matrix's worst seen is ~11 eps)
  float32: 2**7  eps = 1.5e-5   ("about 1e-5"; the worst seen is ~57 eps, a cancelling W^T dZ
                                 under leaky ReLU with m = 1)
A printed number in a document is checked to its printed precision instead (see `printed`).

Training trajectories (`trajectory_tolerance`, `parameter_bound`). The bound at step k grows
with k; it is never the whole run's total applied from step 0 (that let a torch learning rate off
by 2e-4 pass every step of a 1,125-step float32 run whose real drift stayed near 2.5e-6).
  Parameters. Step k changes W by the update U_k = W[k+1] - W[k] (alpha dW plus any decay). Each
  side computes U_k to the one-computation rtol of U_k itself (dW agrees to rtol, alpha and the
  decay are exact multiplications) and rounds W - U once (UPDATE_ROUNDING_EPS eps of W covers that
  rounding on both sides). Gradient descent with a learning rate below 2 / curvature does not
  amplify an earlier difference (the step map W -> W - alpha grad J is non-expansive where J is
  locally convex and smooth), so the differences at most add up:
      bound[k] = sum over j <= k of ( rtol * |U_j| / |W[j+1]|  +  UPDATE_ROUNDING_EPS * eps ),
  with |.| the max-abs scale the comparison uses. The update sizes are measured on the reference
  run as it goes. A planted learning-rate error of relative size d adds d * |U_j| / |W[j+1]| per
  step, which this bound catches whenever d > rtol (2e-4 against 1.5e-5 in float32).
  The loss J at step k is computed from step k's parameters (one computation, plus what the
  parameters carry): its bound is (k + 1) * rtol * |J|, plus the rounding of the operands its
  terms take of A[L], which is absolute, not relative to J, and does not build up over steps:
      |J_ref - J_torch| <= (k + 1) * rtol * |J_torch|  +  R      (`loss_tolerance`),
  R (`loss_rounding`) being J's reduction (mean or sum) over examples of how far each term can
  move when the two sides' operands part by c = LOSS_ROUNDING_EPS eps. A sigmoid output comes out
  of an exp, an add and a divide, within 2 eps relative on each side: c = 4 eps of a.
      bce   y log a moves by y c; 1 - a is exact from a rounded a >= 1/2 (and rounds less below
            that), so it carries c absolute and log(1 - a) moves by up to
            max(log(1 + c / x), log(x / max(x - c, eps / 2))), x = 1 - a: c / x while x >> c,
            and no more than log 9 where a sits one ulp below 1 (the other side's x is >= eps / 2)
      cce   y log a moves by y (c + n[L] eps): a softmax also rounds its sum of n[L] terms (over
            300 classes the two sides' J differed by 11 eps at a loss near 0)
      mse   (2/n) |a - y| (|a| + |y|) c,   sse   2 |a - y| (|a| + |y|) c   (a - y rounds by eps of
            |a| + |y|; an identity output is Z itself, rounded relative to its own term scale,
            which |a| undercounts where Z cancels: the first term is all there is then)
  R matters only where J is near 0 or a term is ill-conditioned: SGD on breast_cancer brings
  single examples' losses to 1e-8 within one epoch, where the two sides' J differed by 5.5e-17
  (float64, 0.25 eps: half an ulp of an a just below 1) and 2.2e-8 (float32, 0.19 eps), which the
  bound relative to |J| alone called a divergence. Where a sigmoid unit with y = 0 sits at a next
  to 1, log(1 - a) is known to no better than c / (1 - a) in either implementation. An R that
  overflows (a loss near the largest float) allows nothing: it would let any J through. bce's
  labels are 0 or 1 (the reference refuses others).
  The same (k + 1) * rtol, relative to |J|, says when a blow-up is shared: a
  loss within (k + 1) * rtol of the dtype's largest number may be inf on the other side (or refused
  there by the reference's input checks) with neither side wrong; a finite loss further from it is
  not a blow-up (training.blowup).
Non-convex stretches can amplify instead, and then the sum above is no bound: SGD on digits at
lr 0.2 (float64) parts the two sides by 1.9e-11 in W1 at step 670, past its 4.0e-11 by step 700, and
by 6e-7 at the epoch's end. Whether a run amplifies is measured, not assumed: torch's run is taken a
second time (the SHADOW), its parameters multiplied by (1 + u SHADOW_NUDGE_EPS eps), u uniform in
[-1, 1], after every step, a rounding's worth of difference per step as the two implementations
make. Where the run amplifies, the shadow parts from torch as the reference does (measured on that
digits run: the reference's distance from torch is 1.2-1.4 times the shadow's from step 400 to
the end); where it does not, the shadow stays at a few eps and changes nothing. A quantity that
fails its bound above agrees when its distance from torch is within AMPLIFIED times the shadow's:
    max|ref - torch| <= AMPLIFIED * max|shadow - torch|     (per quantity, J included)
and the run's summary counts those steps. J, a single number, is a noisy measure of the shadow's
distance (on that run one step's J was 43 times further from torch than the shadow's): it is also
allowed how far it moves where the parameters it is taken at differ by the distances measured at
the step before, to first order sum ||dJ/dW[l]||_1 max|dW[l]| over W[l], b[l] (the reference's
gradient at that step), times SPREAD_SAFETY for the terms of higher order. The shadow excuses no
more than AMPLIFIED_CEILING (1 %) relative: past that the two runs have parted into different
trajectories, and calling them in agreement would say nothing. (digits, SGD at lr 0.2 in float32,
amplifies from step 687 and at step 870 a ReLU unit turns on one side only: W1 parts by 3.1 %,
200 times the shadow's distance; such a run exits 1 as before, its summary saying it amplifies.) A real difference does not hide there: torch's BCELoss
floors a(1 - a) at 1e-12 in its gradient, which on breast_cancer at lr 1 (batch, 400 epochs) puts the
reference 80-100 times further from torch than the shadow. The shadow is taken only where a run
fails without it (training.runs): the verdict is the same, a passing run pays nothing.
"""

import functools
from dataclasses import dataclass, replace

import numpy as np

FACTORS = {"float64": 2**12, "float32": 2**7}
SHADOW_NUDGE_EPS = 1  # the shadow's nudge per parameter and step, in eps (see "Non-convex stretches")
AMPLIFIED = 8  # how far past the shadow's distance from torch the reference may be
AMPLIFIED_CEILING = 1e-2  # the most the shadow excuses, relative: past 1 % the two are different runs
SPREAD_SAFETY = 2  # J's first-order spread doubled for the second-order terms (see "Non-convex stretches")
DTYPES = tuple(FACTORS)


@dataclass(frozen=True)
class Tolerance:
    dtype: str
    rtol: float
    tiny: float
    steps: int = 0  # 0: one computation; k > 0: a trajectory of k steps

    def __str__(self):
        per = f"{FACTORS[self.dtype]} eps"
        if self.steps:
            return f"rtol {self.rtol:.1e} ({self.dtype}: {self.steps} steps x {per})"
        return f"rtol {self.rtol:.1e} ({self.dtype}: {per})"


@functools.lru_cache(maxsize=16)  # asked at every compared quantity of every training step; Tolerance is frozen
def tolerance_for(dtype):
    """The comparison tolerance for a dtype name ("float32" or "float64")."""
    dtype = np.dtype(dtype).name
    if dtype not in FACTORS:
        raise ValueError(f"dtype: expected one of {', '.join(FACTORS)}, got {dtype!r}")
    info = np.finfo(dtype)
    return Tolerance(dtype=dtype, rtol=float(FACTORS[dtype] * info.eps), tiny=float(info.tiny))


def trajectory_tolerance(dtype, steps):
    """The loss's tolerance after `steps` steps (step k is checked with steps = k + 1): steps x rtol."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps: expected a positive number of training steps, got {steps!r}")
    one = tolerance_for(dtype)
    return Tolerance(dtype=one.dtype, rtol=one.rtol * steps, tiny=one.tiny, steps=steps)


LOSS_ROUNDING_EPS = 4  # eps of a that the two sides' sigmoid outputs can part by (2 each)


def _log_moves(x, c, eps):
    """The most log x can move when x > 0 moves by up to c and stays >= eps / 2 (x = 1 - a, a < 1)."""
    return np.maximum(np.log1p(c / x), np.log(x / np.maximum(x - c, eps / 2)))


# How far each loss can move per element of A[L] when the two sides' operands part by c (see "The
# loss J at step k" above).
LOSS_ROUNDING = {
    "bce": lambda A, Y, c, eps: np.where(Y > 0, Y * c, _log_moves(1 - A, c, eps)),
    "cce": lambda A, Y, c, eps: Y * (c + A.shape[0] * eps),
    "mse": lambda A, Y, c, eps: (2 / A.shape[0]) * np.abs(A - Y) * (np.abs(A) + np.abs(Y)) * c,
    "sse": lambda A, Y, c, eps: 2 * np.abs(A - Y) * (np.abs(A) + np.abs(Y)) * c,
}


def loss_rounding(loss, AL, Y, reduction, dtype):
    """R, J's allowance for its operands' rounding on a batch (see the module note): AL and Y are
    n[L] x m in the run's dtype, the reduction is J's."""
    if loss not in LOSS_ROUNDING:
        raise ValueError(f"loss: expected one of {', '.join(LOSS_ROUNDING)}, got {loss!r}")
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction: expected one of mean, sum, got {reduction!r}")
    eps = float(np.finfo(tolerance_for(dtype).dtype).eps)  # tolerance_for checks the name
    A, Y = np.asarray(AL, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    with np.errstate(over="ignore"):  # an overflowing R is refused in loss_tolerance
        terms = np.sum(LOSS_ROUNDING[loss](A, Y, LOSS_ROUNDING_EPS * eps, eps), axis=0)
        return float(np.mean(terms) if reduction == "mean" else np.sum(terms))


def loss_tolerance(tol, J, rounding):
    """J's tolerance at a training step: |dJ| <= tol.rtol |J| + rounding (the module note), written for
    compare_arrays's form |dJ| <= rtol * max(|J|, tiny) as the floor tiny = |J| + rounding / rtol.
    tol is the step's trajectory_tolerance, J torch's; a rounding that is not finite allows nothing."""
    rounding = rounding if np.isfinite(rounding) else 0.0
    return replace(tol, tiny=max(tol.tiny, abs(J) + rounding / tol.rtol))


UPDATE_ROUNDING_EPS = 4


def parameter_bound(dtype, previous, update_scale):
    """A parameter's bound after one more step: previous bound + rtol x the step's relative update
    size |U| / |W| + the rounding of W - U (see the module note)."""
    one = tolerance_for(dtype)
    if not (np.isfinite(update_scale) and update_scale >= 0):
        raise ValueError(f"update_scale: expected a finite non-negative relative update size, got {update_scale!r}")
    return previous + one.rtol * update_scale + UPDATE_ROUNDING_EPS * float(np.finfo(one.dtype).eps)


def printed(decimals):
    """Half-width of agreement for a number printed with `decimals` decimals: one unit of its last digit."""
    return 10.0 ** (-decimals)


# --- Checking a student's hand-derived derivative (`crosscheck derivation`) -------------------
#
# The student's function runs in the chosen dtype; the three opinions (PyTorch autograd, the
# reference, central finite differences) run in float64 on the same dtype-rounded inputs, so only
# the student's own rounding is being judged. Element by element the student's value g agrees with
# an opinion e when
#     |g - e| <= rtol * s  (+ for finite differences:  FD_RTOL * s + FD_MARGIN * err)
# where s >= |e| is the element's TERM SCALE: the size of the terms its derivative is built from
# (the same equation evaluated on magnitudes, e.g. |W|^T |dZ| for dA_prev; 1 for an activation's
# g', whose algebraically equivalent forms cancel terms such as tanh(z)^2 or sigma(z) no larger
# than 1). A correct form that cancels, e.g. 1 - tanh(20)^2 = 0 against the true 1.7e-17, errs by a
# few eps times the terms that cancel, never by eps times the tiny result; measuring against s is
# what lets such forms pass in saturated ranges without letting a wrong factor through: a factor,
# sign or transpose mistake errs by about |e| itself, far above rtol * s wherever |e| is not tiny.
# rtol is the dtype's comparison tolerance (tolerance_for: 2**12 eps in float64, 2**7 eps in
# float32), ample for the few roundings of a short NumPy expression.
#
# Finite differences: the central difference (f(x+h) - f(x-h)) / 2h with h = eps**(1/3) * scale
# errs by about eps**(2/3) ~ 3.7e-11 relative when f is smooth on that step; FD_RTOL allows
# 2**12 times that for the conditioning of log and exp near the domain's edges. Where f is not
# smooth on that step (saturated log(1 - sigma(z)), whose rounding is relative to 1 - sigma), the
# a-priori bound fails, so each difference also carries an error estimate err = |D(h) - D(2h)|:
# that is 3x the truncation error of D(h) and of the order of its rounding error, so FD_MARGIN = 4
# covers both. A difference whose own estimate exceeds FD_TRUST of the term scale cannot judge a
# gradient to any useful precision: it abstains there, and the report says so (as at kinks).
FD_RTOL = 2**12 * float(np.finfo(np.float64).eps) ** (2 / 3)
FD_MARGIN = 4.0
FD_TRUST = 2.0**-10


def derivation_rtol(dtype):
    """rtol against the term scale for a student's derivative computed in `dtype` (see above)."""
    return tolerance_for(dtype).rtol


# When a later run's agreement counts as worse than an earlier one's (`crosscheck compare`).
# Rounding error moves with BLAS builds, thread counts and summation order, so a change counts only
# when both hold: the worst relative error grew by more than REGRESSION_FACTOR (an order of
# magnitude), and it now exceeds REGRESSION_FLOOR_EPS eps of the dtype (below that it is rounding
# noise whatever the factor: 0 -> 2 eps is an infinite factor). A case that passed and now fails
# always counts.
# A record without a dtype of its own (a worked example judged to its printed precision, eps null in
# report.json) was still computed in float64, so its rounding floor is float64's: without one, any
# growth from 0 counted (0 -> 4e-16 between two machines was reported WORSE).
REGRESSION_FACTOR = 10.0
REGRESSION_FLOOR_EPS = 64
DEFAULT_EPS = float(np.finfo(np.float64).eps)


def got_worse(old_error, new_error, eps=None):
    """True when new_error is worse than old_error beyond rounding noise (None means infinite)."""
    if new_error is None:
        return old_error is not None
    if old_error is None:
        return False
    floor = REGRESSION_FLOOR_EPS * (eps or DEFAULT_EPS)
    return new_error > REGRESSION_FACTOR * old_error and new_error > floor


# Branch ambiguity at a kink (`crosscheck.core.branches`). Z = W A_prev + b is computed by two
# BLAS builds in two summation orders, so each side's Z_j errs by up to about rtol x its TERM SCALE
# s_j = sum_k |W_jk| |A_prev,k| + |b_j| (the sum of the magnitudes that were added), not x |Z_j|:
# where the terms cancel to Z ~ 0 the error stays eps x s, however small Z is. An element with
# |Z_ref - kink| <= KINK_BAND x rtol x s can therefore lie on either side of the kink in either
# implementation; a derivative that agrees with either one-sided branch there is right. rtol is
# the forward comparison tolerance of the dtype (tolerance_for), the bound Z itself is held to;
# KINK_BAND = 1 keeps the band exactly that wide (widening it would set aside more elements
# without a reason from the numerics). Elements whose Z is bitwise the same on both sides took
# the same input, so they are never ambiguous: the exact-zero kink cases still verify g'(0).
KINK_BAND = 1.0


def kink_band(dtype):
    """The half-width of the branch-ambiguous band around a kink, per unit of term scale (see above)."""
    return KINK_BAND * tolerance_for(dtype).rtol
