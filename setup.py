"""Builds the compiled dedupe kernels (tasks/_kernels.pyx); everything else is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [Extension("tasks._kernels", ["tasks/_kernels.pyx"], extra_compile_args=["-O3"])],
        language_level=3,
    )
)
