"""Document 003's modular design: layers as objects with forward/backward, chained by a sequential model.

Samples are single column vectors (n x 1), as doc 003 writes them. backward(output_gradient,
learning_rate) returns dC/dX for the layer before and, for a Dense layer, takes the gradient-descent
step on its own W and b ("Given a cost function C, we want to know how to change the parameters").
"""

import numpy as np

from . import _validate
from . import activations as act


class Layer:
    """Base layer (doc 003 "Implement Base Layer"): Y = layer(X) forward, dC/dX from dC/dY backward."""

    def __init__(self):
        self.input = None
        self.output = None

    def forward(self, input):
        raise NotImplementedError

    def backward(self, output_gradient, learning_rate):
        raise NotImplementedError


class Dense(Layer):
    """Fully connected layer: Y = W X + b with W j x i and b j x 1 (doc 003 "Dense Layer")."""

    def __init__(self, input_size, output_size, rng=None, W=None, b=None):
        super().__init__()
        rng = np.random.default_rng(0) if rng is None else rng
        self.W = rng.standard_normal((output_size, input_size)) if W is None else np.array(W, dtype=float)
        self.b = rng.standard_normal((output_size, 1)) if b is None else np.array(b, dtype=float)
        _validate.as_matrix("W", self.W, rows=output_size, cols=input_size)
        _validate.as_matrix("b", self.b, rows=output_size, cols=1)

    def forward(self, input):
        """Y = W X + b (doc 003 "Matrix Equation")."""
        self.input = _validate.as_matrix("input", input, rows=self.W.shape[1], cols=1)
        self.output = self.W @ self.input + self.b
        return self.output

    def gradients(self, output_gradient):
        """dC/dW = dC/dY X^T, dC/db = dC/dY, dC/dX = W^T dC/dY (doc 003 "Back propagation")."""
        dY = _validate.as_matrix("output_gradient", output_gradient, rows=self.W.shape[0], cols=1)
        return dY @ self.input.T, dY, self.W.T @ dY

    def backward(self, output_gradient, learning_rate):
        """Return dC/dX (with the W before the step) and take W -= eta dC/dW, b -= eta dC/db."""
        dW, db, dX = self.gradients(output_gradient)
        self.W = self.W - learning_rate * dW
        self.b = self.b - learning_rate * db
        return dX


class Activation(Layer):
    """Elementwise Y = F(X), backward dL/dX = dL/dY (Hadamard) F'(X) (doc 003 "Activation Layer")."""

    def __init__(self, activation, activation_prime):
        super().__init__()
        self.activation = activation
        self.activation_prime = activation_prime

    def forward(self, input):
        self.input = _validate.as_matrix("input", input, cols=1)
        self.output = self.activation(self.input)
        return self.output

    def backward(self, output_gradient, learning_rate):
        return np.asarray(output_gradient) * self.activation_prime(self.input)


class Tanh(Activation):
    """F = tanh, F' = 1 - tanh^2 (doc 003's activation layer with doc 002's tanh)."""

    def __init__(self):
        super().__init__(act.tanh, act.tanh_prime)


class Sigmoid(Activation):
    """F = sigma, F' = sigma (1 - sigma) (doc 002 "Sigmoid derivative")."""

    def __init__(self):
        super().__init__(act.sigmoid, act.sigmoid_prime)


class ReLU(Activation):
    """g(x) = max(0, x), g'(x) = 0 for x <= 0, 1 else (doc 003 "ReLU")."""

    def __init__(self):
        super().__init__(act.relu, act.relu_prime)


def softmax_jacobian(Y):
    """dy_i/dx_k as the n x n matrix with y_i (1 - y_i) on the diagonal and -y_i y_k off it (doc 003 "Softmax")."""
    y = _validate.as_matrix("Y", Y, cols=1)
    return np.diagflat(y) - y @ y.T


def softmax_jacobian_form(Y):
    """A (Hadamard) (I - A^T) with A = [y y ... y], row i all y_i (doc 003 "Softmax", the boxed form)."""
    y = _validate.as_matrix("Y", Y, cols=1)
    n = y.shape[0]
    A = np.tile(y, n)
    return A * (np.identity(n) - A.T)


class Softmax(Layer):
    """y_i = e^{x_i} / sum_j e^{x_j}; backward dL/dx = (A (Hadamard) (I - A^T)) dL/dy (doc 003 "Softmax")."""

    def forward(self, input):
        self.input = _validate.as_matrix("input", input, cols=1)
        self.output = act.softmax(self.input)
        return self.output

    def backward(self, output_gradient, learning_rate):
        # The boxed Jacobian form is used as printed: it is symmetric, so J and J^T give the same product.
        return softmax_jacobian_form(self.output) @ np.asarray(output_gradient)


def mse(y_true, y_pred):
    """C = (1/n) sum_i (y*_i - y_i)^2 for one sample (doc 003 "Cost Function: Mean-Squared Error")."""
    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


def mse_prime(y_true, y_pred):
    """dC/dY = (2/n) (Y - Y*) (doc 003 "Mean-Squared Error")."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return 2 * (y_pred - y_true) / y_true.size


def predict(network, input):
    """Sequential model: the output of one layer is the input of the next (doc 003 "Sequential Model")."""
    output = input
    for layer in network:
        output = layer.forward(output)
    return output


def train(network, loss, loss_prime, x_train, y_train, epochs, learning_rate):
    """One gradient step per sample, chaining backward from the cost to the first layer; returns mean C per epoch.

    Doc 003's loop: "Data -> Model, compute the distance, adjust parameters, repeat".
    """
    if len(x_train) != len(y_train) or len(x_train) == 0:
        raise ValueError(f"y_train: expected one target per sample ({len(x_train)}), got {len(y_train)}")
    errors = []
    for _ in range(epochs):
        error = 0.0
        for x, y in zip(x_train, y_train):
            output = predict(network, x)
            error += loss(y, output)
            grad = loss_prime(y, output)
            for layer in reversed(network):
                grad = layer.backward(grad, learning_rate)
        errors.append(error / len(x_train))
    return errors
