"""Progress bars on stderr, and a silent stand-in when none is shown (--quiet, tests).

tqdm is imported only for a bar that is shown: its import is 30-50 ms, a tenth of the
startup of a quiet build.
"""

from __future__ import annotations

import sys
from typing import Any


class Silent:
    """What a build calls on a bar, doing nothing."""

    def update(self, n: float = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


def progress_bar(enabled: bool, **options: Any) -> Any:
    """A tqdm bar on stderr with these options when enabled, else a Silent one."""
    if not enabled:
        return Silent()
    from tqdm import tqdm

    return tqdm(file=sys.stderr, **options)
