"""Map the repository's top-level folders into the ``housemind`` namespace.

The project keeps ``agent/``, ``skills/``, ``memory/``, ``scheduler/``, ``safety/`` and
``sim/`` at the top of the repository, where a reader looks first, but installs them as
``housemind.agent``, ``housemind.skills``, ... so that nothing but ``housemind`` lands in
site-packages (``safety``, ``memory`` and ``agent`` are taken on PyPI). pyproject.toml
cannot compute the package list for such a mapping, so it is computed here from the
folders: a new subpackage needs no edit. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("agent", "skills", "memory", "scheduler", "safety", "sim")

package_dir = {"housemind": "housemind", **{f"housemind.{f}": f for f in FOLDERS}}
packages = ["housemind"] + [
    f"housemind.{pkg}" for f in FOLDERS for pkg in (f, *(f"{f}.{sub}" for sub in find_packages(f)))
]

setup(package_dir=package_dir, packages=packages)
