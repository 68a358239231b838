"""Doc 004's evaluation and data preparation against independent computations and its printed numbers."""

import numpy as np
import pytest
import torch
from sklearn import datasets as sk_datasets
from sklearn.metrics import accuracy_score, recall_score

from crosscheck.core.tolerances import printed
from crosscheck.training import datasets
from reference import metrics, preprocessing

# Doc 004 "Data and Tasks": MNIST pixel values and the same cells divided by 255, as printed.
PIXELS = [
    (255, "1"),
    (183, "0.72"),
    (95, "0.37"),
    (8, "0.03"),
    (93, "0.36"),
    (196, "0.77"),
    (253, "0.99"),
    (254, "1"),
    (154, "0.60"),
    (37, "0.14"),
    (28, "0.11"),
    (172, "0.67"),
    (254, "1"),
    (252, "0.99"),
    (221, "0.87"),
    (198, "0.78"),
    (253, "0.99"),
    (252, "0.99"),
    (250, "0.98"),
    (187, "0.73"),
    (178, "0.69"),
    (195, "0.76"),
    (253, "0.99"),
    (253, "0.99"),
]
# Two cells are cut off rather than rounded (0.1451 -> 0.14, 0.6980 -> 0.69) while 28/255 = 0.1098
# is rounded up to 0.11: within one unit of the last digit, but not the correctly rounded value.
MISROUNDED = {37, 178}


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize("pixel,shown", PIXELS, ids=[f"{p}->{s}" for p, s in PIXELS])
def test_scale_pixels_matches_doc004_table(pixel, shown):
    x = preprocessing.scale_pixels(np.array([pixel]))[0]
    assert abs(x - float(shown)) <= printed(_decimals(shown))


@pytest.mark.parametrize(
    "pixel,shown",
    [
        pytest.param(p, s, marks=pytest.mark.xfail(strict=True, reason="doc 004 prints a truncated value"))
        if p in MISROUNDED
        else (p, s)
        for p, s in PIXELS
        if _decimals(s) == 2
    ],
    ids=[f"{p}->{s}" for p, s in PIXELS if _decimals(s) == 2],
)
def test_doc004_table_is_correctly_rounded(pixel, shown):
    assert f"{pixel / 255:.2f}" == shown


def test_scale_pixels_equals_torch_division():
    P = np.random.default_rng(1).integers(0, 256, size=(5, 28, 28))
    expected = (torch.as_tensor(P, dtype=torch.float64) / 255).numpy()
    np.testing.assert_array_equal(preprocessing.scale_pixels(P), expected)


def test_flatten_equals_torch_flatten():
    images = np.random.default_rng(2).integers(0, 17, size=(6, 8, 8))
    expected = torch.nn.Flatten()(torch.as_tensor(images)).numpy().T  # rows are examples in torch
    np.testing.assert_array_equal(preprocessing.flatten(images), expected)


def test_one_hot_equals_torch_one_hot():
    labels = np.random.default_rng(3).integers(0, 10, size=40)
    expected = torch.nn.functional.one_hot(torch.as_tensor(labels), 10).numpy().T
    np.testing.assert_array_equal(preprocessing.one_hot(labels, 10), expected)


def test_argmax_equals_torch_argmax():
    AL = np.random.default_rng(4).dirichlet(np.ones(10), size=50).T
    expected = torch.argmax(torch.as_tensor(AL.T), dim=1).numpy()
    np.testing.assert_array_equal(metrics.predict_argmax(AL), expected)


def test_threshold_half_equals_torch_heaviside():
    AL = np.concatenate([np.random.default_rng(5).uniform(size=30), [0.5, np.nextafter(0.5, 0)]])[None, :]
    # heaviside(a - 0.5, 1): 1 for a > 0.5 and for a = 0.5 exactly, as doc 001's ">= 0.5" says.
    expected = torch.heaviside(torch.as_tensor(AL) - 0.5, torch.tensor(1.0, dtype=torch.float64)).numpy()
    np.testing.assert_array_equal(metrics.predict_binary(AL), expected)
    assert metrics.predict_binary(AL)[0, -2] == 1 and metrics.predict_binary(AL)[0, -1] == 0


def test_accuracy_and_per_class_equal_sklearn():
    rng = np.random.default_rng(6)
    y = rng.integers(0, 10, size=300)
    y_hat = np.where(rng.uniform(size=300) < 0.7, y, rng.integers(0, 10, size=300))
    assert metrics.accuracy(y, y_hat) == pytest.approx(accuracy_score(y, y_hat), abs=1e-15)
    classes = np.unique(y)
    recall = recall_score(y, y_hat, labels=classes, average=None)  # per-class accuracy is per-class recall
    per_class = metrics.per_class_accuracy(y, y_hat)
    np.testing.assert_allclose([per_class[c] for c in classes], recall, rtol=0, atol=1e-15)


def test_doc004_evaluation_examples():
    """Doc 004 "EVALUATION": 2 of 4 liver patients right (50%); 3 of 5 digits (60%), class 1 50%, class 5 100%."""
    assert metrics.accuracy([0, 0, 1, 1], [0, 1, 1, 0]) == 0.50
    y, y_hat = [0, 1, 3, 5, 1], [0, 7, 8, 5, 1]
    assert metrics.accuracy(y, y_hat) == 0.60
    per_class = metrics.per_class_accuracy(y, y_hat)
    assert (per_class[1], per_class[5]) == (0.5, 1.0)
    # "[0.45 0.55] ... picking the class that corresponds to the highest probability": class 1.
    assert metrics.predict_argmax(np.array([[0.45], [0.55]]))[0] == 1


def test_digits_are_scaled_by_16_flattened_and_one_hot():
    data = datasets.load("digits", seed=0)
    assert data.X_train.shape[0] == 64 and data.m + data.X_test.shape[1] == 1797
    assert data.X_train.min() == 0 and data.X_train.max() == 1
    np.testing.assert_array_equal(data.Y_train.argmax(axis=0), data.y_train)
    np.testing.assert_array_equal(data.Y_train.sum(axis=0), 1)
    # sklearn's own flattened rows (data = images.reshape(m, 64)) divided by 16, as a set of columns.
    expected = sk_datasets.load_digits().data / 16
    ours = np.concatenate([data.X_train, data.X_test], axis=1).T
    sort = lambda a: a[np.lexsort(a.T[::-1])]  # noqa: E731
    np.testing.assert_array_equal(sort(ours), sort(expected))


@pytest.mark.parametrize("name", ["breast_cancer", "diabetes"])
def test_features_standardised_with_training_statistics(name):
    data = datasets.load(name, seed=3)
    np.testing.assert_allclose(data.X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(data.X_train.std(axis=1), 1, rtol=1e-12)
    assert np.abs(data.X_test.mean(axis=1)).max() > 1e-6  # the test split was not used for the statistics
    if name == "breast_cancer":
        assert set(np.unique(data.Y_train)) == {0.0, 1.0} and data.Y_train.shape == (1, data.m)
    else:
        assert abs(data.Y_train.mean()) < 1e-12 and data.y_train is None


def test_split_is_seeded():
    a, b, c = (datasets.load("digits", seed=s) for s in (4, 4, 5))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)


def test_unknown_dataset_is_a_value_error():
    with pytest.raises(ValueError, match="dataset: expected one of digits"):
        datasets.load("mnist")
