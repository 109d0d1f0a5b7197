"""The extract service: takes the extracts researchers requested, in its own process, as its own login.

`neglect-kit extract-service` runs as an operating-system account and database login of its own with the role
`extractor`, which PostgreSQL lets read the named rows of the cases of a request it is taking, and nothing else
(`store/team_sql.py`). For each waiting request, oldest first: claim it, check the approval is live and the
requester is its researcher and still a researcher, take the extract with the one engine (`extract.take`), keep
the keyed mapping in the service's own folder (never in the request), and finish the request with the zipped
extract and its residual-risk count. A refusal the researcher may read (the k-anonymity gate: it names
quasi-identifier groups, never a case or a name) is finished as refused with its message; anything else as failed
with a message that says no more than that, the traceback going to the service's log alone.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..config import Settings, data_dir
from ..store import Store
from . import extract_requests as requests
from .extract import take
from .extract_errors import ExtractError
from .extract_files import save_mapping

log = logging.getLogger(__name__)
FAILED = "the extract service failed on request {n}; its log says why"


def mapping_folder() -> Path:
    """The service's own folder of keyed mappings (readable by its account alone)."""
    return data_dir() / "extract-mappings"


def mapping_path(store: Store, request_id: int) -> Path:
    """Where a request's mapping is kept: named by the database too, as one service folder may serve several
    databases, each numbering its requests from 1."""
    database = Path(store.engine.url.database or "database").stem  # a SQLite file's name, or PostgreSQL's
    return mapping_folder() / f"{re.sub(r'[^A-Za-z0-9_-]', '_', database)}-request-{request_id}.mapping.json"


def _why_not(store: Store, found: requests.Request) -> str | None:
    """Why the request may not be taken, in words for its researcher; None when it may."""
    approval = next((a for a in requests.approvals(store) if a.id == found.approval_id), None)
    if approval is None or not approval.live:
        return f"approval {found.approval_id} was withdrawn: the extract was not taken"
    if approval.researcher != found.requested_by:
        return f"approval {found.approval_id} is not yours: the extract was not taken"
    if found.requested_by not in {username for _, username in requests.researchers(store)}:
        return "the extract was not taken: only a researcher of the team receives an extract"
    return None


def take_request(store: Store, found: requests.Request, *, key: bytes | None = None, cfg: Settings | None = None,
                 today: date | None = None) -> str:
    """Take one claimed request and finish it; returns its status (done, refused or failed)."""
    try:
        why = _why_not(store, found)
        if why:
            requests.finish(store, found.id, "refused", why)
            return "refused"
        approval = next(a for a in requests.approvals(store) if a.id == found.approval_id)
        extract = take(store, list(approval.cases or ()), min_k=found.min_k, reason=found.reason, key=key, cfg=cfg,
                       today=today)
        extract.mapping.update({"taken_by": f"{store.user} (the extract service)", "requested_by": found.requested_by,
                                "request": found.id, "approval": approval.id, "purpose": approval.purpose})
        folder = mapping_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            save_mapping(extract.mapping_bytes(), mapping_path(store, found.id))
        except ExtractError as exc:  # the service's own folder: a fault of the service, not the researcher's to read
            raise RuntimeError(str(exc)) from None
        requests.finish(store, found.id, "done", extract.summary(), residual=len(extract.residual),
                        archive=extract.zip_bytes())
        return "done"
    except ExtractError as exc:  # the gate, a threshold: said in words that name no case and no person
        requests.finish(store, found.id, "refused", str(exc))
        return "refused"
    except Exception:
        log.exception("request %s failed", found.id)  # the service's log alone: it may name a case
        requests.finish(store, found.id, "failed", FAILED.format(n=found.id))
        return "failed"


def run_once(store: Store, *, key: bytes | None = None, cfg: Settings | None = None,
             said: Callable[[str], None] = print) -> list[tuple[int, str]]:
    """Take every waiting request, oldest first; returns (request, status) for each."""
    done = []
    while (found := requests.claim_next(store)) is not None:
        status = take_request(store, found, key=key, cfg=cfg)
        said(f"request {found.id}: {status}")
        done.append((found.id, status))
    return done


def run(store: Store, *, poll: float = 5.0, once: bool = False, said: Callable[[str], None] = print,
        sleep: Callable[[float], None] = time.sleep) -> int:
    """Take waiting requests until stopped (or, `once`, those waiting now); returns how many were taken."""
    taken = len(run_once(store, said=said))
    while not once:
        sleep(poll)
        taken += len(run_once(store, said=said))
    return taken
