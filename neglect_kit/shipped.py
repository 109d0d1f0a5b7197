"""The folders shipped with the kit (the apps' notebooks, the sample cases), found where they are.

A wheel carries them inside the package (pyproject.toml's force-include); a checkout, and an
editable install of it, keeps them at the repository's root beside the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped_folder(name: str, package: Path = PACKAGE) -> Path:
    """The shipped folder `name` ("notebooks", "sample_cases"): in the installed package, else the checkout's root.

    Args:
        name: the folder's name at the repository's root.
        package: the package's folder (the installed `neglect_kit`, unless a test names another).

    Returns:
        `package/name` when it is a folder, else `package/../name` (which the caller checks exists).
    """
    inside = package / name
    return inside if inside.is_dir() else package.parent / name
