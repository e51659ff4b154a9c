"""Shared fixtures: the source tree, the CLI binary of the same build (for cross-checks), MNIST.

Run from the repository root after building with -DSYNBENCH_PYTHON=ON:
    PYTHONPATH=build/python /usr/bin/python3 -m pytest python/tests
"""

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """The synbench binary: $SYNBENCH_CLI, else build/synbench of this tree."""
    p = os.environ.get("SYNBENCH_CLI") or str(ROOT / "build" / "synbench")
    if not (os.path.isfile(p) and os.access(p, os.X_OK)):
        p = shutil.which("synbench")
    if not p:
        pytest.fail("no synbench binary: build it (build/synbench) or set SYNBENCH_CLI")
    return p
