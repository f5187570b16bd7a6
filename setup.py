"""Builds the compiled dedupe kernels (tasks/_kernels.pyx); everything else is in pyproject.toml."""

import os
from concurrent.futures import ThreadPoolExecutor

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Without a C compiler the install goes on: dedupe then runs its numpy fallback and repair its
    Python anchor walk (the same output, slower; the dedupe stage's stats say `compiled_kernels: false`)."""

    def build_extensions(self):
        # Each extension is its own gcc process, so they compile side by side (threads wait on the
        # compilers): the install's build took the sum of the two, ~13.5 + ~9.2 CPU-s, in wall time.
        with ThreadPoolExecutor(max_workers=max(1, min(len(self.extensions), os.cpu_count() or 1))) as threads:
            outcomes = list(threads.map(self._try_build, self.extensions))
        self.extensions = [
            ext for ext, built in zip(self.extensions, outcomes, strict=True) if built
        ]  # what the wheel (or the editable install) copies

    def _try_build(self, ext: Extension) -> bool:
        try:
            self.build_extension(ext)
            return True
        except Exception as exc:  # noqa: BLE001 - any compiler failure: warn, install the rest
            print(f"warning: {ext.name} not built ({exc}); dedupe, repair and extract use their slower fallbacks")
            return False


setup(
    cmdclass={"build_ext": OptionalBuildExt},
    ext_modules=cythonize(
        [
            Extension("tasks._kernels", ["tasks/_kernels.pyx"], extra_compile_args=["-O3"]),
            Extension("tasks._textscan", ["tasks/_textscan.pyx"], extra_compile_args=["-O3"]),
        ],
        language_level=3,
    ),
)
