"""Real data shipped inside scikit-learn, prepared as document 004 prepares MNIST, split with a seed.

digits: 8x8 images with pixels 0..16. Doc 004 divides MNIST's 0..255 pixels by their maximum,
255; here the maximum is 16, so pixels are divided by 16 (reference.preprocessing.scale_pixels
with max_value=16), flattened to 64 x m and labelled one-hot (10 x m): softmax + cce.
breast_cancer: the binary diagnosis (standing in for doc 004's liver patients): 30 features
standardised with the training split's mean and standard deviation: sigmoid + bce.
diabetes: regression; features and target standardised with training statistics: identity + mse.
Every array is in the documents' column layout (features x examples).
"""

from dataclasses import dataclass

import numpy as np

from reference import preprocessing

NAMES = ("digits", "breast_cancer", "diabetes")
TEST_SIZE = 0.2


@dataclass
class Dataset:
    """A prepared train/test split. y_* are integer labels (classification) or None."""

    name: str
    output: str
    loss: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    y_train: np.ndarray = None
    y_test: np.ndarray = None

    @property
    def classification(self):
        return self.y_train is not None

    @property
    def n_in(self):
        return self.X_train.shape[0]

    @property
    def n_out(self):
        return self.Y_train.shape[0]

    @property
    def m(self):
        return self.X_train.shape[1]


def load(name, seed=0, dtype="float64", test_size=TEST_SIZE):
    """The named data set, split into train and test with random_state=seed (stratified for classes)."""
    if name not in NAMES:
        raise ValueError(f"dataset: expected one of {', '.join(NAMES)}, got {name!r}")
    # scikit-learn loads here, not with the module: it takes a second to import, and most of what
    # imports the training package (every test process, the CLI's --help) never loads data.
    from sklearn import datasets as sk_datasets
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    cast = lambda a: np.ascontiguousarray(a, dtype=dtype)  # noqa: E731
    if name == "digits":
        bunch = sk_datasets.load_digits()
        images_tr, images_te, y_tr, y_te = train_test_split(
            bunch.images, bunch.target, test_size=test_size, random_state=seed, stratify=bunch.target
        )
        prep = lambda images: preprocessing.scale_pixels(preprocessing.flatten(images), max_value=16)  # noqa: E731
        return Dataset(
            name,
            "softmax",
            "cce",
            cast(prep(images_tr)),
            cast(preprocessing.one_hot(y_tr, 10)),
            cast(prep(images_te)),
            cast(preprocessing.one_hot(y_te, 10)),
            y_tr,
            y_te,
        )
    if name == "breast_cancer":
        bunch = sk_datasets.load_breast_cancer()
        X_tr, X_te, y_tr, y_te = train_test_split(
            bunch.data, bunch.target, test_size=test_size, random_state=seed, stratify=bunch.target
        )
        scaler = StandardScaler().fit(X_tr)  # training statistics only: the test split stays unseen
        return Dataset(
            name,
            "sigmoid",
            "bce",
            cast(scaler.transform(X_tr).T),
            cast(y_tr[None, :]),
            cast(scaler.transform(X_te).T),
            cast(y_te[None, :]),
            y_tr,
            y_te,
        )
    bunch = sk_datasets.load_diabetes()
    X_tr, X_te, t_tr, t_te = train_test_split(bunch.data, bunch.target, test_size=test_size, random_state=seed)
    xs = StandardScaler().fit(X_tr)
    ts = StandardScaler().fit(t_tr[:, None])
    return Dataset(
        name,
        "identity",
        "mse",
        cast(xs.transform(X_tr).T),
        cast(ts.transform(t_tr[:, None]).T),
        cast(xs.transform(X_te).T),
        cast(ts.transform(t_te[:, None]).T),
    )
