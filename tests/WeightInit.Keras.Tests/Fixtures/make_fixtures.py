#!/usr/bin/env python3
"""Writes Keras model files for the C# tests, following the layouts in the project spec
(../shared/spec/keras-initializers.md sections 9.2 to 9.5) with h5py and zipfile only: no Keras,
no code from WeightInit.Keras. Weights are deterministic (value = f(index)) so tests can check them.

Run from this directory:  python3 make_fixtures.py   (needs h5py and numpy, e.g. Debian python3-h5py)
"""
import io
import json
import zipfile

import h5py
import numpy as np


def policy(shared=None):
    d = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    if shared is not None:
        d["shared_object_id"] = shared
    return d


def init(class_name, config=None):
    if config is None:
        config = {"seed": None, "input_axes": None, "output_axes": None}
    return {"module": "keras.initializers", "class_name": class_name, "config": config, "registered_name": None}


def layer(class_name, config, input_shape, module="keras.layers"):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None,
            "build_config": {"input_shape": input_shape}}


def base(name, shared):
    return {"name": name, "trainable": True, "dtype": policy(shared)}


def dense(name, units, activation, kernel, input_dim, shared):
    cfg = base(name, shared)
    cfg.update({"units": units, "activation": activation, "use_bias": True,
                "kernel_initializer": kernel, "bias_initializer": init("Zeros", {}),
                "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                "bias_constraint": None, "quantization_config": None})
    return layer("Dense", cfg, [None, input_dim])


def input_layer(shape):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None, *shape], "dtype": "float32", "sparse": False, "ragged": False,
                       "name": "input_layer", "optional": False},
            "registered_name": None}


def sequential(layers, input_shape, shared):
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": "sequential", "trainable": True, "dtype": policy(shared), "layers": layers,
                       "build_input_shape": [None, *input_shape]},
            "registered_name": None, "build_config": {"input_shape": [None, *input_shape]}, "compile_config": {}}


def values(shape, offset):
    """Deterministic float32 values: (offset + k) / 64 - 0.5 for the k-th element in C order."""
    n = int(np.prod(shape))
    return ((offset + np.arange(n, dtype=np.float64)) / 64.0 - 0.5).astype(np.float32).reshape(shape)


def weights_h5(model_name, layers):
    """layers: list of (path, name, [arrays]) in model.layers order (InputLayer excluded)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_group("vars").attrs["name"] = model_name
        for path, name, arrays in layers:
            g = f.create_group(f"layers/{path}/vars")
            g.attrs["name"] = name
            for i, a in enumerate(arrays):
                g.create_dataset(str(i), data=a)
    return buf.getvalue()


def archive(filename, config, weights, entries=("metadata.json", "config.json", "model.weights.h5")):
    metadata = json.dumps({"keras_version": "3.15.0", "date_saved": "2026-01-02@03:04:05"})
    contents = {"metadata.json": metadata.encode(), "config.json": json.dumps(config).encode(),
                "model.weights.h5": weights}
    with zipfile.ZipFile(filename, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in entries:
            zf.writestr(zipfile.ZipInfo(name, (2026, 1, 2, 3, 4, 6)), contents[name])


SHARED = 140211


def dense_dropout_model():
    """Input(8) -> Dense(4, relu, he_normal) -> Dropout(0.5) -> Dense(3, softmax)."""
    dropout = layer("Dropout", {**base("dropout", SHARED), "rate": 0.5, "seed": None, "noise_shape": None}, [None, 4])
    layers = [input_layer([8]), dense("dense", 4, "relu", init("HeNormal"), 8, SHARED), dropout,
              dense("dense_1", 3, "softmax", init("GlorotUniform"), 4, SHARED)]
    w = [values((8, 4), 0), values((4,), 100), values((4, 3), 200), values((3,), 300)]
    return sequential(layers, [8], SHARED), w


def flatten_model():
    """Input((2, 3)) -> Flatten -> Dense(2, linear, random_normal seed 7) -> Activation(tanh)."""
    flat = layer("Flatten", {**base("flatten", SHARED), "data_format": "channels_last"}, [None, 2, 3])
    act = layer("Activation", {**base("activation", SHARED), "activation": "tanh"}, [None, 2])
    kernel = init("RandomNormal", {"seed": 7, "mean": 0.0, "stddev": 0.05})
    layers = [input_layer([2, 3]), flat, dense("dense", 2, "linear", kernel, 6, SHARED), act]
    w = [values((6, 2), 400), values((2,), 500)]
    return sequential(layers, [2, 3], SHARED), w


def legacy_layers(config):
    """Keras 3 legacy .h5 model_config: layer dicts without module/registered_name/build_config."""
    out = {"class_name": "Sequential", "config": dict(config["config"])}
    out["config"]["layers"] = [{"class_name": l["class_name"], "config": l["config"]} for l in config["config"]["layers"]]
    return out


def write_legacy(filename, model_config, keras_version, backend, names, weight_names, arrays, as_bytes):
    with h5py.File(filename, "w") as f:
        text = json.dumps(model_config)
        f.attrs["keras_version"] = keras_version.encode() if as_bytes else keras_version
        f.attrs["backend"] = backend.encode() if as_bytes else backend
        f.attrs["model_config"] = text.encode() if as_bytes else text
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([n.encode() for n in names])
        mw.attrs["backend"] = backend.encode()
        mw.attrs["keras_version"] = keras_version.encode()
        k = 0
        for name in sorted(names):
            g = mw.create_group(name)
            wn = weight_names.get(name, [])
            g.attrs["weight_names"] = np.array([w.encode() for w in wn], dtype="S") if wn else np.array([], dtype="S1")
        for name in names:
            for wname in weight_names.get(name, []):
                mw[name].create_dataset(wname, data=arrays[k])
                k += 1
        mw.create_group("top_level_model_weights")


def main():
    config, w = dense_dropout_model()
    h5 = weights_h5("sequential", [("dense", "dense", w[:2]), ("dropout", "dropout", []), ("dense_1", "dense_1", w[2:])])
    archive("python_dense_dropout.keras", config, h5)

    bad = weights_h5("sequential", [("dense", "dense", [w[0].T.copy(), w[1]]), ("dropout", "dropout", []),
                                    ("dense_1", "dense_1", w[2:])])
    archive("bad_shape.keras", config, bad)

    fconfig, fw = flatten_model()
    fh5 = weights_h5("sequential", [("flatten", "flatten", []), ("dense", "dense", fw), ("activation", "activation", [])])
    archive("python_flatten.keras", fconfig, fh5)

    names = ["dense", "dropout", "dense_1"]
    write_legacy("legacy_keras3.h5", legacy_layers(config), "3.15.0", "torch", names,
                 {"dense": ["sequential/dense/kernel", "sequential/dense/bias"],
                  "dense_1": ["sequential/dense_1/kernel", "sequential/dense_1/bias"]}, w, as_bytes=False)

    k2_layers = [
        {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "batch_input_shape": [None, 8],
                                           "dtype": "float32", "units": 4, "activation": "relu", "use_bias": True,
                                           "kernel_initializer": {"class_name": "HeNormal", "config": {"seed": None}},
                                           "bias_initializer": {"class_name": "Zeros", "config": {}},
                                           "kernel_regularizer": None, "bias_regularizer": None,
                                           "activity_regularizer": None, "kernel_constraint": None,
                                           "bias_constraint": None}},
        {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.5,
                                             "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "config": {"name": "dense_1", "trainable": True, "dtype": "float32", "units": 3,
                                           "activation": "softmax", "use_bias": True,
                                           "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                                           "bias_initializer": {"class_name": "Zeros", "config": {}},
                                           "kernel_regularizer": None, "bias_regularizer": None,
                                           "activity_regularizer": None, "kernel_constraint": None,
                                           "bias_constraint": None}},
    ]
    k2_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": k2_layers},
                 "keras_version": "2.15.0", "backend": "tensorflow"}
    write_legacy("legacy_keras2.h5", k2_config, "2.15.0", "tensorflow", names,
                 {"dense": ["dense/kernel:0", "dense/bias:0"], "dense_1": ["dense_1/kernel:0", "dense_1/bias:0"]},
                 w, as_bytes=True)

    # Hostile weights files for Input(8) -> Dense(4): kernel data in an external file, or an external link.
    for filename, make_kernel in [
        ("external_storage.weights.h5",
         lambda g: g.create_dataset("0", shape=(8, 4), dtype="<f4", external=[("/nonexistent/secret.bin", 0, 128)])),
        ("external_link.weights.h5", lambda g: g.__setitem__("0", h5py.ExternalLink("/nonexistent/target.h5", "/k"))),
    ]:
        with h5py.File(filename, "w") as f:
            f.create_group("vars").attrs["name"] = "sequential"
            g = f.create_group("layers/dense/vars")
            g.attrs["name"] = "dense"
            make_kernel(g)
            g.create_dataset("1", data=np.zeros(4, dtype=np.float32))

    seed_config = sequential([input_layer([64]), dense("dense", 32, "relu", init("HeNormal"), 64, None),
                              dense("dense_1", 10, "softmax", init("GlorotUniform"), 32, None)], [64], None)
    with open("seed_model.json", "w") as f:
        f.write(json.dumps(seed_config))


if __name__ == "__main__":
    main()
