"""pip install --no-build-isolation ./python   (docs/python.md)

Builds the extension synbench._synbench with CMake on this repository (the same library build as
the command line: -DSYNBENCH_PYTHON=ON in the build directory $SYNBENCH_BUILD_DIR, default
<repo>/build) and installs it with the pure-Python package. Needs Debian's cmake, g++, the
library's -dev packages (tools/install-deps) and pybind11-dev, python3-dev, python3-setuptools,
python3-wheel, python3-pandas, python3-yaml. No PyPI access is needed.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def version():
    text = open(os.path.join(REPO, "CMakeLists.txt"), encoding="utf-8").read()
    return re.search(r"project\(synbench VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("SYNBENCH_BUILD_DIR", os.path.join(REPO, "build"))
        cfg = ["cmake", "-S", REPO, "-B", build_dir, "-DSYNBENCH_PYTHON=ON", f"-DPython3_EXECUTABLE={sys.executable}"]
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            cfg.append("-DCMAKE_BUILD_TYPE=Release")
        subprocess.check_call(cfg)
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "_synbench", "-j", str(os.cpu_count() or 1)])
        built = glob.glob(os.path.join(build_dir, "python", "synbench", "_synbench*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _synbench*.so in {build_dir}/python/synbench, found {built}")
        dest = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(built[0], dest)


class BuildPy(build_py):
    """Adds synbench/_paths.py: this source tree, the fallback for cards given by name."""

    def run(self):
        super().run()
        with open(os.path.join(self.build_lib, "synbench", "_paths.py"), "w", encoding="utf-8") as f:
            f.write(f"# Written by setup.py: the source tree, a fallback for cards given by name.\nSOURCE_DIR = {REPO!r}\n")


setup(
    name="synbench",
    version=version(),
    description="Benchmark memristive synapses for on-chip learning (Python bindings)",
    packages=["synbench"],
    ext_modules=[Extension("synbench._synbench", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPy},
    python_requires=">=3.9",
    install_requires=["pandas", "PyYAML"],
    zip_safe=False,
)
