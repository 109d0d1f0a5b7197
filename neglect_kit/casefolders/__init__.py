"""Case folders: a case written as files (`case.toml`, its returns, `supervision.toml`), read and loaded whole."""

from .case_folder import CaseFolderError, load_case_folder, read_case_folder

__all__ = ["CaseFolderError", "load_case_folder", "read_case_folder"]
