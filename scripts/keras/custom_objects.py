"""The Python side of keras-custom-activation's custom class (predict.py --custom-objects loads this file)."""
import tensorflow as tf


class CustomActivation(tf.keras.layers.Layer):
    """relu(x) + 0.1, a Keras Layer used as Dense's activation. tfjs must register its own class of this
    name; a wrong implementation (plain relu) loads silently and predicts something else."""

    def call(self, inputs):
        return tf.nn.relu(inputs) + 0.1
