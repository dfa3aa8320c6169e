"""Regular expressions compiled on first use, for module-level patterns the start-up does not
need (compiling them all at import cost ~20 ms before the reader's first frame).

    _BOILERPLATE = lazy_re.compile(__name__, "_BOILERPLATE", r"...", re.VERBOSE)

``compile`` returns a stand-in that compiles the pattern the first time one of its attributes
is used (``.search``, ``.pattern``, ...) and then puts the compiled pattern in its module's
globals under the given name: the functions of that module use the real pattern from then
on, with no cost per call. A reference kept elsewhere (``from m import _X``) keeps working
through the stand-in. Two threads using it at once both compile the same pattern; either
result is the same.
"""

from __future__ import annotations

import re
import sys
from typing import Any


class LazyPattern:
    __slots__ = ("_compiled", "_flags", "_module", "_name", "_pattern")

    def __init__(self, module: str, name: str, pattern: Any, flags: int) -> None:
        self._module = module
        self._name = name
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
            namespace = vars(sys.modules[self._module])
            if namespace.get(self._name) is self:
                namespace[self._name] = compiled
        return compiled

    @property
    def pattern(self) -> Any:
        """The source pattern, without compiling it (other patterns are built from it)."""
        return self._pattern

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.compiled(), attr)

    def __repr__(self) -> str:
        state = "compiled" if self._compiled is not None else "not compiled yet"
        return f"<lazy {self._module}.{self._name} ({state}): {self._pattern!r}>"


def compile(module: str, name: str, pattern: Any, flags: int = 0) -> Any:
    """A stand-in for ``re.compile(pattern, flags)`` bound to ``module``'s global ``name``."""
    return LazyPattern(module, name, pattern, flags)
