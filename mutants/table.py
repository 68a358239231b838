"""The planted mutants: (area, file, exact source snippet, replacement, what it breaks).

Each snippet must occur exactly once in its file (the runner refuses it otherwise), so a row keeps
meaning what it says while the code around it moves. Areas: reference, torch_impl, convention,
tolerances, compare, training, examples (the worked-example verdict rule), derivation (the limits a
student's function runs under).
"""

from typing import NamedTuple


class Mutant(NamedTuple):
    area: str
    path: str
    old: str
    new: str
    what: str


ACT, LOSS, GRAD, NET = (
    "reference/activations.py",
    "reference/losses.py",
    "reference/gradients.py",
    "reference/network.py",
)
MOD, TTRAIN, TWIN = "torch_impl/modules.py", "torch_impl/training.py", "torch_impl/twin.py"
CONV, TOL, CMP = "crosscheck/core/convention.py", "crosscheck/core/tolerances.py", "crosscheck/core/compare.py"
LOCK, VERD = "crosscheck/training/lockstep.py", "crosscheck/examples/verdict.py"
STUD, CONT = "crosscheck/derivation/student.py", "crosscheck/derivation/contained.py"
GOUT, CHILD = "crosscheck/derivation/grade_output.py", "crosscheck/derivation/child.py"
USER, CASES = "torch_impl/user.py", "crosscheck/core/cases.py"
F9 = " * (1 + 1e-9)"  # a factor off by 1e-9 relative: 1e3 times float64's rtol

# One mutant a row, so the table reads as a table.
# fmt: off
MUTANTS = [
    # --- reference ---------------------------------------------------------------------------------
    Mutant("reference", ACT, "return s * (1 - s)", "return s * (1 - s)" + F9, "sigmoid' off by 1e-9"),
    Mutant("reference", ACT, "return 1 - t * t", "return (1 - t * t)" + F9, "tanh' off by 1e-9"),
    Mutant("reference", ACT, "return (Z > 0).astype(", "return (Z >= 0).astype(", "relu'(0) = 1"),
    Mutant("reference", ACT, "return np.where(Z > 0, Z, slope * Z)", "return np.where(Z > 0, Z, 0.01 * Z)", "leaky slope ignored in g"),
    Mutant("reference", ACT, "return np.where(Z > 0, one, slope * one)", "return np.where(Z > 0, one, 0.01 * one)", "leaky slope ignored in g'"),
    Mutant("reference", ACT, "return np.where(Z > 0, one, slope * one)", "return np.where(Z >= 0, one, slope * one)", "leaky'(0) = 1"),
    Mutant("reference", ACT, "alpha * np.expm1(np.minimum(Z, 0))", "1.0 * np.expm1(np.minimum(Z, 0))", "elu alpha ignored in g"),
    Mutant("reference", ACT, "alpha * np.exp(np.minimum(Z, 0))", "1.0 * np.exp(np.minimum(Z, 0))", "elu alpha ignored in g'"),
    Mutant("reference", ACT, "return np.where(Z > 0, np.ones_like(Z), alpha", "return np.where(Z >= 0, np.ones_like(Z), alpha", "elu'(0) = 1 (documented alpha)"),
    Mutant("reference", ACT, "return e / e.sum(axis=0, keepdims=True)", "return e / e.sum(axis=1, keepdims=True)", "softmax sums over the wrong axis"),
    Mutant("reference", ACT, "np.sum(A * dA, axis=0, keepdims=True)", "np.sum(A * dA, axis=1, keepdims=True)", "softmax backward: wrong axis"),
    Mutant("reference", ACT, "return A * (dA - np.sum(", "return A * (dA + np.sum(", "softmax backward: sign"),
    Mutant("reference", ACT, "return s * (1 + Z * (1 - s))", "return s * (1 + Z * (1 + s))", "silu' sign"),
    Mutant("reference", ACT, "return _Phi(Z) + Z * phi", "return _Phi(Z) + Z * phi" + F9, "gelu' off by 1e-9"),
    Mutant("reference", ACT, "return np.ones_like(np.asarray(Z))", "return 2 * np.ones_like(np.asarray(Z))", "identity' = 2"),
    Mutant("reference", ACT, "return dA * record.g_prime(Z, **params)", "return dA * record.g_prime(Z)", "backward ignores the parameters"),
    Mutant("reference", ACT, "return record, {**record.defaults(), **given}", "return record, record.defaults()", "given parameters ignored"),
    Mutant("reference", ACT, "return np.logaddexp(0, np.asarray(Z))", "return np.logaddexp(0, np.asarray(Z))" + F9, "softplus off by 1e-9"),
    Mutant("reference", LOSS, "return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=0", "return -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=0", "bce averaged over output units"),
    Mutant("reference", LOSS, "return (1 - Y) / (1 - AL) - Y / AL", "return ((1 - Y) / (1 - AL) - Y / AL)" + F9, "bce' off by 1e-9"),
    Mutant("reference", LOSS, "return -Y / AL", "return Y / AL", "cce' sign"),
    Mutant("reference", LOSS, "return np.sum((Y - AL) ** 2, axis=0, keepdims=True) / n", "return np.sum((Y - AL) ** 2, axis=0, keepdims=True)", "mse not over n"),
    Mutant("reference", LOSS, "return (2 / n) * (AL - Y)", "return (1 / n) * (AL - Y)", "mse' factor 2 lost"),
    Mutant("reference", LOSS, "return 2 * (AL - Y)", "return 2 * (Y - AL)", "sse' sign"),
    Mutant("reference", LOSS, 'return float(np.mean(L)) if reduction == "mean"', 'return float(np.sum(L)) if reduction == "mean"', "mean reduction sums"),
    Mutant("reference", LOSS, 'return 1.0 / m if reduction == "mean" else 1.0', 'return 1.0 / m * (1 + 1e-9) if reduction == "mean" else 1.0', "1/m off by 1e-9"),
    Mutant("reference", LOSS, "safe = np.where(Y > 0, AL, 1)", "safe = np.where(Y > 0, AL, AL)", "cce counts y = 0 terms' log (nan at a zero probability)"),
    Mutant("reference", GRAD, "return AL - Y", "return Y - AL", "dZ[L] = A - Y sign"),
    Mutant("reference", GRAD, "dW = dZ @ A_prev.T", "dW = (lambda G: G.T if G.shape[0] == G.shape[1] else G)(dZ @ A_prev.T)", "dW transposed (square layers)"),
    Mutant("reference", GRAD, "np.sum(dZ, axis=1, keepdims=True)", "np.mean(dZ, axis=1, keepdims=True)", "db averaged twice"),
    Mutant("reference", GRAD, "return W.T @ dZ", "return (W.T @ dZ)" + F9, "dA[l-1] off by 1e-9"),
    Mutant("reference", NET, "return W @ A_prev + b", "return W @ A_prev - b", "Z = W A - b"),
    Mutant("reference", NET, "dW = dW + 2 * l2 * cache", "dW = dW + l2 * cache", "L2 gradient without 2"),
    Mutant("reference", NET, "dW = dW + l1 * np.sign(", "dW = dW - l1 * np.sign(", "L1 gradient sign"),
    Mutant("reference", NET, 'for k, v in params.items() if k.startswith("W")]', "for k, v in params.items()]", "biases regularized"),
    Mutant("reference", NET, "np.asarray(v) - learning_rate * np.asarray", "np.asarray(v) - learning_rate * (1 + 2e-4) * np.asarray", "reference learning rate off by 2e-4"),
    Mutant("reference", "reference/training.py", "params = network.update(params, grads, rate(step))", "params = network.update(params, grads, rate(0))", "reference ignores the rate schedule"),
    # found by mutmut (its survivors on reference/), each killed by a test written for it
    Mutant("reference", ACT, "np.exp(Z - Z.max(axis=0, keepdims=True))", "np.exp(Z - Z.max())", "softmax shifts by the whole matrix's max"),
    Mutant("reference", ACT, "(0.5 * (1 + _erf(Z / math.sqrt(2)).astype(np.float64))).astype(dtype)", "0.5 * (1 + _erf(Z / math.sqrt(2)).astype(np.float64))", "gelu's Phi returns float64 for float32"),
    Mutant("reference", ACT, 'return record.g_prime(_validate.as_matrix("Z", Z), **params)', 'return record.g_prime(_validate.as_matrix("Z", Z))', "by-name g' ignores the parameters"),
    Mutant("reference", "reference/training.py", 'order = np.arange(m) if regime == "batch" else rng.permutation(m)', "order = rng.permutation(m)", "batch GD shuffles its examples"),
    Mutant("reference", NET, "def regularization(params, l1=0.0, l2=0.0):", "def regularization(params, l1=1.0, l2=0.0):", "regularization's default l1 is 1"),
    # --- torch_impl --------------------------------------------------------------------------------
    Mutant("torch_impl", MOD, "nn.LeakyReLU(negative_slope=slope)", "nn.LeakyReLU(negative_slope=0.01)", "torch leaky slope ignored"),
    Mutant("torch_impl", MOD, "nn.ELU(alpha=alpha)", "nn.ELU(alpha=1.0)", "torch elu alpha ignored"),
    Mutant("torch_impl", MOD, 'return nn.BCELoss(reduction="none")(A, Y).sum(dim=1)', 'return nn.BCELoss(reduction="none")(A, Y).mean(dim=1)', "torch bce averaged over units"),
    Mutant("torch_impl", MOD, 'nn.BCEWithLogitsLoss(reduction="none")(Z, Y).sum(dim=1)', 'nn.BCEWithLogitsLoss(reduction="none")(Z, Y).mean(dim=1)', "fused bce averaged over units"),
    Mutant("torch_impl", MOD, 'return nn.MSELoss(reduction="none")(A, Y).mean(dim=1)', 'return nn.MSELoss(reduction="none")(A, Y).sum(dim=1)', "torch mse sums over units"),
    Mutant("torch_impl", MOD, "nn.Softmax(dim=1)", "nn.Softmax(dim=0)", "torch softmax over examples"),
    Mutant("torch_impl", MOD, "nn.Softplus(beta=1.0, threshold=40.0)", "nn.Softplus(beta=1.0, threshold=20.0)", "softplus switch at 20 (2e-9 off)"),
    Mutant("torch_impl", MOD, 'nn.GELU(approximate="none")', 'nn.GELU(approximate="tanh")', "tanh-approximate gelu"),
    Mutant("torch_impl", TWIN, "self.zero_grad(set_to_none=True)", "pass", "a reused twin keeps the last case's gradients"),
    Mutant("torch_impl", TTRAIN, '{"params": biases, "weight_decay": 0.0}', '{"params": biases, "weight_decay": weight_decay}', "biases decayed"),
    Mutant("torch_impl", TTRAIN, 'group["lr"] = rate(step)', 'group["lr"] = rate(0)', "torch ignores the rate schedule"),
    # --- convention --------------------------------------------------------------------------------
    Mutant("convention", CONV, "return float(m)\n", "return float(m) * (1 + 1e-9)\n", "per-example factor off by 1e-9"),
    Mutant("convention", CONV, "return 2.0 * l2", "return l2", "weight_decay = l2"),
    Mutant("convention", CONV, 'trace[f"dW{l}"] = np.asarray(capture.grad_W[l - 1])', 'trace[f"dW{l}"] = np.asarray(capture.grad_W[l - 1]).T', "torch dW transposed"),
    # --- tolerances --------------------------------------------------------------------------------
    Mutant("tolerances", TOL, '"float64": 2**12', '"float64": 2**40', "float64 rtol loosened to 2.4e-4"),
    Mutant("tolerances", TOL, '"float32": 2**7}', '"float32": 2**20}', "float32 rtol loosened to 0.1"),
    Mutant("tolerances", TOL, "return new_error > REGRESSION_FACTOR * old_error and new_error > floor", "return False", "compare never sees worse"),
    Mutant("tolerances", TOL, "floor = REGRESSION_FLOOR_EPS * (eps or DEFAULT_EPS)", "floor = REGRESSION_FLOOR_EPS * (eps or 0.0)", "no floor without eps"),
    Mutant("tolerances", TOL, "return previous + one.rtol * update_scale +", "return previous + one.rtol +", "trajectory bound: rtol per step from step 0"),
    Mutant("tolerances", TOL, "rtol=one.rtol * steps,", "rtol=one.rtol * steps * 1e6,", "loss trajectory bound loosened"),
    Mutant("tolerances", TOL, "np.where(Y > 0, Y * c, _log_moves(1 - A, c, eps))", "np.where(Y > 0, Y * c, 0 * A)", "bce's log(1 - a) left out of J's rounding allowance"),
    Mutant("tolerances", TOL, "Y * (c + A.shape[0] * eps)", "Y * c", "the softmax's sum left out of cce's rounding allowance"),
    Mutant("tolerances", TOL, "LOSS_ROUNDING_EPS = 4  #", "LOSS_ROUNDING_EPS = 4e6  #", "loss rounding a million times too big"),
    Mutant("tolerances", TOL, "rounding = rounding if np.isfinite(rounding) else 0.0", "rounding = rounding", "an overflowing rounding allowance lets any J through"),
    Mutant("tolerances", TOL, "return 10.0 ** (-decimals)", "return 10.0 ** (1 - decimals)", "printed precision loosened ten-fold"),
    # --- compare -----------------------------------------------------------------------------------
    Mutant("compare", CMP, "max_rel <= tol.rtol, index", "True, index", "every quantity agrees"),
    Mutant("compare", CMP, "return all(r.ok for r in self.rows)", "return True", "a comparison always passes"),
    Mutant("compare", CMP, "scale = max(float(other.max()), -float(other.min()), tol.tiny)", "scale = max(float(other.max()), -float(other.min()), tol.tiny) * 1e6", "relative error against a scale 1e6 too big"),
    Mutant("compare", CMP, "scale = max(float(other.max()), -float(other.min()), tol.tiny)", "scale = max(float(other.max()), tol.tiny)", "scale from the largest value, not the largest magnitude"),
    Mutant("compare", CMP, "if not np.isfinite(max_abs):", "if np.isnan(max_abs):", "an infinite difference passes as a number"),
    Mutant("compare", "crosscheck/report/compare.py", 'if o["ok"] and not n["ok"]:', "if False:", "compare ignores pass -> fail"),
    # --- training ----------------------------------------------------------------------------------
    Mutant("training", "crosscheck/training/trajectory.py", "if self.first is None and not comparison.ok:", "if False:", "trajectory never records a divergence"),
    Mutant("training", LOCK, "other[\"J\"], loss_tol)\n", "other[\"J\"], trajectory_tolerance(tol.dtype, 10**6))\n", "loss bound of a million steps from step 0"),
    Mutant("training", LOCK, "loss_tolerance(loss_tol, t_J, rounding)", "loss_tolerance(loss_tol, t_J, 0.0)", "loss judged relative to itself near 0"),
    Mutant("training", LOCK, "if not blown and np.isfinite(update):", "if np.isfinite(update):", "bounds grow on a blown step"),
    Mutant("training", "crosscheck/training/command.py", "        return DIVERGED\n", "        return 0\n", "diverged in both exits 0"),
    Mutant("training", "crosscheck/training/runs.py", "**DATASET_DEFAULTS.get(dataset, {}), ", "", "per-data-set defaults ignored"),
    Mutant("training", "crosscheck/training/allowances.py", "return min(AMPLIFIED * distance, AMPLIFIED_CEILING)", "return AMPLIFIED * distance", "the shadow excuses any distance"),
    Mutant("training", "crosscheck/training/allowances.py", "return min(AMPLIFIED * distance, AMPLIFIED_CEILING)", "return min(AMPLIFIED * 100 * distance, AMPLIFIED_CEILING)", "the shadow excuses 100x more"),
    Mutant("training", "crosscheck/training/allowances.py", "np.sum(np.abs(grads[f\"d{name}\"])) * d", "np.abs(np.sum(grads[f\"d{name}\"])) * d", "J's spread from the gradient's sum, not its 1-norm"),
    Mutant("training", "crosscheck/training/allowances.py", "self.loss, self.reduction, self.l1, self.l2)", "self.loss, \"sum\", self.l1, self.l2)", "J's spread from the sum cost's gradient"),
    Mutant("training", "crosscheck/training/allowances.py", "spread = min(SPREAD_SAFETY * operands.spread(distances), room)", "spread = SPREAD_SAFETY * operands.spread(distances)", "J's spread not capped at 1 %"),
    Mutant("training", "crosscheck/training/diagnosis.py", "floored = sigma_prime < BCE_GRADIENT_FLOOR", "floored = sigma_prime > BCE_GRADIENT_FLOOR", "outputs off torch's BCE floor counted as on it"),
    Mutant("training", "crosscheck/training/diagnosis.py", "shortfall = np.abs(A - Y) * (1 - sigma_prime / BCE_GRADIENT_FLOOR)", "shortfall = np.abs(A - Y)", "the floor's shortfall taken as the whole of a - y"),
    Mutant("training", LOCK, "comparison.departure = torch_departures(operands)", "comparison.departure = \"\"", "a divergence never names torch's BCE floor"),
    Mutant("torch_impl", "torch_impl/modules.py", "BCE_GRADIENT_FLOOR = float(torch.tensor(1e-12, dtype=torch.float32))", "BCE_GRADIENT_FLOOR = 1e-12", "torch's BCE floor taken as float64's 1e-12"),
    Mutant("training", "crosscheck/training/runs.py", "if trajectory.first is not None and math.isfinite(", "if False and math.isfinite(", "a failing run is never taken again with the shadow"),
    Mutant("training", "crosscheck/training/runs.py", "    if past_overflow(J, trajectory_tolerance(", "    if True or past_overflow(J, trajectory_tolerance(", "a refused evaluation is always a shared blow-up"),
    Mutant("training", "crosscheck/training/runs.py", "    if past_overflow(J, trajectory_tolerance(", "    if False and past_overflow(J, trajectory_tolerance(", "an evaluation that overflows on both sides is a disagreement"),
    # --- examples ----------------------------------------------------------------------------------
    Mutant("examples", VERD, "end_ok = agrees(printed, reference) and agrees(printed, torch)", "end_ok = agrees(printed, reference)", "torch's opinion ignored"),
    Mutant("examples", VERD, "<= printed.tolerance * (1 + 1e-9)", "<= printed.tolerance * 10", "printed precision loosened"),
    Mutant("examples", VERD, "return _as_exact(value) == printed.value", "return True", "exact values always agree"),
    Mutant("examples", VERD, "    if local_ok:\n        return Verdict(DRIFT", "    if True:\n        return Verdict(DRIFT", "every miss is rounding drift"),
    Mutant("examples", VERD, "    if end_ok:\n", "    if True:\n", "every printed number is ok"),
    # --- derivation (a student's function, run contained) ---------------------------------------------
    Mutant("derivation", STUD, "MEMORY_RANGE = (2**27, 2**47)", "MEMORY_RANGE = (2**27, 2**64)", "memory limit past a C long accepted"),
    Mutant("derivation", STUD, "0 < timeout <= TIMEOUT_MOST", "0 < timeout", "timeout past poll's range accepted"),
    Mutant("derivation", CONT, 'text = printable((workdir / "log.txt")', 'text = ((workdir / "log.txt")', "what the student printed shown raw"),
    Mutant("derivation", CONT, "report = printable_all(json.loads(", "report = (json.loads(", "a forged result's text shown raw"),
    Mutant("derivation", GOUT, "grade {printable(grade.path)}", "grade {grade.path}", "the JUnit file holds a raw file name"),
    Mutant("derivation", CHILD, "if np.any(array.imag != 0):", "if False:", "a complex answer judged by its real part"),
    Mutant("torch_impl", USER, "if not bool(same.all()):", "if False:", "torch_g not held elementwise"),
    Mutant("compare", CASES, '("depth", 1, None)', '("depth", 0, None)', "a case of depth 0 accepted"),
]
# fmt: on

# A first pass per area: the tests most likely to kill its mutants, run before the whole suite. A
# mutant they kill is killed by the suite (the suite holds them); a mutant they miss then meets the
# whole suite, so no survivor is declared on the first pass alone. It only saves time.
FIRST_PASS = {
    "reference": ["tests/test_pieces.py", "tests/test_matrix.py"],
    "torch_impl": ["tests/test_pieces.py", "tests/test_matrix.py", "tests/test_training.py", "tests/test_own_code.py"],
    "convention": ["tests/test_matrix.py", "tests/test_training.py"],
    "tolerances": ["tests/test_training.py", "tests/test_report.py", "tests/test_examples.py"],
    "compare": ["tests/test_compare.py", "tests/test_report.py", "tests/test_matrix.py", "tests/test_cases.py"],
    "training": ["tests/test_training.py", "tests/test_train_cmd.py"],
    "examples": ["tests/test_examples.py"],
    "derivation": ["tests/test_containment.py", "tests/test_battery.py", "tests/test_grade.py"],
}

# Survivors judged equivalent: the mutant changes the code but no input the project admits can tell.
EQUIVALENT = {
    "bounds grow on a blown step": "a blown step is the run's last: its rows are never judged (the trajectory "
    "records 'diverged in both' and run_pair and train stop there)",
}

# A small fixed sample run inside the test suite (tests/test_mutants.py), each against the tests
# that must kill it: the whole table runs outside `make test` (`make mutants`).
SAMPLE = {
    "torch leaky slope ignored": ["tests/test_matrix.py", "-k", "test_twins_agree and leaky_relu-identity_mse"],
    "bce averaged over output units": ["tests/test_matrix.py", "-k", "test_twins_agree and tanh-sigmoid_bcex3"],
    "trajectory bound: rtol per step from step 0": ["tests/test_training.py", "-k", "few_rtol and batch-float64"],
}
