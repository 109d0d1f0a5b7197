"""Writing an extract: its files into a new folder and its keyed mapping into a file of its own, whole or not at all.

The folder's files are written to a hidden folder beside it and renamed into place; the mapping is written
to a hidden file beside its own place (readable by its owner alone, 0600) and linked there, which never
replaces a file already there. If either step fails, neither is left behind. The mapping is refused inside
the extract's folder: whoever receives the extract must not receive the means to undo it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .extract_errors import ExtractError


def default_mapping_path(out_dir: Path) -> Path:
    """Beside the extract's folder, never in it: DIR.mapping.json."""
    return out_dir.parent / f"{out_dir.name}.mapping.json"


def check_places(out_dir: Path, mapping_path: Path) -> None:
    """Refuse, before anything is read, places the extract and its mapping cannot go.

    Raises:
        ExtractError: the folder is a file or holds files, its parent is missing; the mapping is inside the
            folder, is a folder, already exists, or its own folder is missing.
    """
    check_folder(out_dir)
    folder = out_dir.resolve()
    mapping = mapping_path.resolve()
    if mapping == folder or folder in mapping.parents:
        raise ExtractError(f"{mapping_path}: the mapping may not be inside the extract's folder {out_dir}: whoever "
                           "receives the extract must not receive what undoes it (give --mapping a place outside)")
    check_mapping_place(mapping_path)


def check_folder(out_dir: Path) -> None:
    """Refuse a folder that is a file, holds files, or whose parent is missing.

    Raises:
        ExtractError: naming the folder and why.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ExtractError(f"{out_dir}: is a file; give a new folder for the extract")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise ExtractError(f"{out_dir}: the folder already holds files; give a new or empty folder, so no file of "
                           "another extract is mixed in or replaced")
    if not out_dir.parent.is_dir():
        raise ExtractError(f"{out_dir.parent}: no such folder to make the extract's folder in")


def check_mapping_place(mapping_path: Path) -> None:
    """Refuse a mapping place that is a folder, already holds a file, or whose folder is missing.

    Raises:
        ExtractError: naming the place and why.
    """
    if mapping_path.is_dir():
        raise ExtractError(f"{mapping_path}: is a folder; give the mapping a file name")
    if mapping_path.exists():
        raise ExtractError(f"{mapping_path}: a mapping is already there (another extract's?); it is never "
                           "replaced: give a new file")
    if not mapping_path.parent.is_dir():
        raise ExtractError(f"{mapping_path.parent}: no such folder for the mapping")


def save_mapping(mapping: bytes, mapping_path: Path) -> None:
    """Write the mapping alone (the app, whose extract is a download), readable by its owner alone.

    Raises:
        ExtractError: as `check_mapping_place`.
    """
    check_mapping_place(mapping_path)
    part = _mapping_part(mapping, mapping_path)
    try:
        os.link(part, mapping_path)
    except FileExistsError:
        raise ExtractError(f"{mapping_path}: a mapping appeared there meanwhile; it is never replaced") from None
    finally:
        part.unlink(missing_ok=True)


def _mapping_part(mapping: bytes, mapping_path: Path) -> Path:
    """The mapping written whole to a hidden file beside its place, 0600 from the start."""
    part = mapping_path.parent / f".{mapping_path.name}.{os.getpid()}.part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(mapping)
        out.flush()
        os.fsync(out.fileno())
    return part


def write_extract(files: dict[str, bytes], out_dir: Path, mapping: bytes | None, mapping_path: Path | None) -> None:
    """Write the extract's files into `out_dir` and its mapping to `mapping_path`, both or neither; with no mapping
    (a researcher receiving an extract the extract service took, whose mapping stays with the service) the files
    alone, all or none.

    Raises:
        ExtractError: as `check_places` (checked again here, just before writing).
        OSError: the system refused a write; nothing is left behind.
    """
    if mapping is None or mapping_path is None:
        check_folder(out_dir)
    else:
        check_places(out_dir, mapping_path)
    part = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".part", dir=out_dir.parent))
    map_part: Path | None = None
    placed = False
    try:
        for name, data in files.items():
            with open(part / name, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if mapping is not None and mapping_path is not None:
            map_part = _mapping_part(mapping, mapping_path)
        if out_dir.is_dir():
            out_dir.rmdir()  # empty (checked): the rename below takes its place
        part.rename(out_dir)
        placed = True
        if map_part is not None and mapping_path is not None:
            os.link(map_part, mapping_path)  # refuses a file that appeared meanwhile, where a rename would replace it
    except BaseException as exc:
        if placed:  # the mapping could not follow: the extract goes too
            shutil.rmtree(out_dir, ignore_errors=True)
            if isinstance(exc, FileExistsError):
                raise ExtractError(f"{mapping_path}: a mapping appeared there while the extract was written; "
                                   "nothing was kept") from None
        raise
    finally:
        shutil.rmtree(part, ignore_errors=True)
        if map_part is not None:
            map_part.unlink(missing_ok=True)
