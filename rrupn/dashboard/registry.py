"""The three screens learn about the domain apps through these registries.

Each app registers, from its `AppConfig.ready()`:
- checklist items for the RRUPN dashboard: `checklist.register(ChecklistItem(...))`;
- approval-inbox sources for the head: `inbox.register(InboxSource(...))`;
- SRANE overview columns: `srane_columns.register(SraneColumn(...))`;
- SRANE overview figures above the table: `srane_figures.register(SraneFigure(...))`.

Every callable works on a batch (all establishments of a page at once), so a screen runs a
constant number of queries whatever the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    done: bool | None  # None: not applicable / unknown
    text: str
    url: str = ""
    # The label of the link to `url` when it is the one action that moves the item on
    # ("Signer la lettre"); the checklist item's `action`, then a generic label, otherwise.
    action: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    order: int
    # (establishment, school_year) -> Status
    status: Callable
    # What the link of the status does, e.g. "Composer la commission" (optional).
    action: str = ""
    # (school_year) -> date: a due date the app itself owns (the GAR campaign's), which wins
    # over the checklist's reference data so one date shows everywhere (optional).
    deadline: Callable | None = None


@dataclass(frozen=True)
class InboxAction:
    """A decision taken from the inbox list itself: a POST to the app's own decision endpoint.

    `data` holds the fields the endpoint expects besides the comment (e.g. the decision, the
    revision); the inbox adds `next` (back to the inbox) and, for a send-back, the comment
    under `comment_name`.
    """

    url: str
    data: tuple[tuple[str, str], ...] = ()
    comment_name: str = "comment"
    # The establishment capability the endpoint requires (the button is hidden without it).
    capability: str = ""
    # The button's text when the generic one does not fit (e.g. "Refuser avec ce commentaire").
    label: str = ""


@dataclass(frozen=True)
class InboxEntry:
    title: str
    detail: str
    url: str
    waiting_since: object = None
    # Optional decisions from the list: approve in one click, send back with a comment.
    approve: InboxAction | None = None
    send_back: InboxAction | None = None


WAITING_ON_HEAD = "head"
WAITING_ON_RRUPN = "rrupn"


@dataclass(frozen=True)
class InboxSource:
    key: str
    label: str
    order: int
    # (establishment, school_year, user) -> list[InboxEntry]
    entries: Callable
    # Whose move it is: the head's approval inbox lists the WAITING_ON_HEAD sources; the RRUPN
    # dashboard's "what waits on whom" shows both.
    waiting_on: str = WAITING_ON_HEAD


@dataclass(frozen=True)
class SraneColumn:
    key: str
    label: str
    order: int
    # (establishments: list, school_year) -> {establishment_id: Status}
    values: Callable


@dataclass(frozen=True)
class SraneFigure:
    key: str
    label: str
    order: int
    # (départements: tuple, school_year) -> list[(label, value text)]
    values: Callable


class Registry:
    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, object] = {}

    def register(self, item):
        if item.key in self._items:
            raise ValueError(f"{self.name}: {item.key!r} registered twice")
        self._items[item.key] = item
        return item

    def __iter__(self):
        return iter(sorted(self._items.values(), key=lambda item: (item.order, item.key)))

    def __len__(self):
        return len(self._items)


checklist = Registry("checklist")
inbox = Registry("inbox")
srane_columns = Registry("srane_columns")
srane_figures = Registry("srane_figures")
