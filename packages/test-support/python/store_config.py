"""Builds the Truthound-py store a JSON config describes: {"module": ..., "class": ..., "kwargs": {...}}."""
import importlib


def build_store(config):
    store_class = getattr(importlib.import_module(config["module"]), config["class"])
    return store_class(**config["kwargs"])
