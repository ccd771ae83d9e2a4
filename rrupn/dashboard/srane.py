"""The SRANE overview's reads: the filtered establishments of the scope, one page of rows, the
whole table for the exports and the progress of the year for the charts.

The per-establishment states come from the registered columns' batch callables
(`rrupn.dashboard.registry.SraneColumn.values`), called once per column on a list of
establishments: the page (table), or every filtered establishment when the state of a column
is filtered or sorted on, or for an export or the charts. Either way the query count does not
depend on the number of establishments.
"""

import hashlib
import re
from dataclasses import astuple, dataclass, field

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rrupn.establishments.models import Department, Establishment, Kind, Sector

from .registry import Status, srane_columns

PER_PAGE = 50

DONE, TODO, NOT_APPLICABLE = "fait", "a_faire", "sans_objet"
STATES = (DONE, TODO, NOT_APPLICABLE)
STATE_LABELS = {DONE: _("Fait"), TODO: _("À faire"), NOT_APPLICABLE: _("Sans objet")}

# Sorting on a column: "à faire" first (who is behind), "-key": "fait" first; "sans objet"
# always last.
_RANK_ASCENDING = {TODO: 0, DONE: 1, NOT_APPLICABLE: 2}
_RANK_DESCENDING = {DONE: 0, TODO: 1, NOT_APPLICABLE: 2}

FIELD_SORTS = {
    "nom": ("name", "uai"),
    "uai": ("uai",),
    "departement": ("department", "commune", "name"),
}
DEFAULT_ORDER = ("department", "commune", "name")


def state_of(status: Status | None) -> str:
    if status is None or status.done is None:
        return NOT_APPLICABLE
    return DONE if status.done else TODO


def _text_key(text: str):
    """Counts sort as numbers, the rest alphabetically."""
    text = (text or "").strip()
    return (0, int(text), "") if re.fullmatch(r"\d+", text) else (1, 0, text.casefold())


def department_choices(access) -> list[tuple[str, str]]:
    return [(v, label) for v, label in Department.choices if v in access.srane_departments]


class SraneFilterForm(forms.Form):
    """The overview's GET parameters: every filter is in the URL, so a filtered view can be
    shared. An invalid value is reported and ignored, the other filters still apply."""

    q = forms.CharField(label=_("Nom ou UAI"), required=False, max_length=100)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous les types")), *Kind.choices]
    )
    secteur = forms.ChoiceField(
        label=_("Secteur"), required=False, choices=[("", _("Public et privé")), *Sector.choices]
    )
    colonne = forms.ChoiceField(label=_("Domaine"), required=False)
    etat = forms.ChoiceField(
        label=_("État dans ce domaine"),
        required=False,
        choices=[("", _("Tous les états")), *STATE_LABELS.items()],
    )
    tri = forms.ChoiceField(label=_("Trier par"), required=False)

    def __init__(self, data, *, access, columns):
        super().__init__(data)
        self.columns = {column.key: column for column in columns}
        departments = department_choices(access)
        self.fields["departement"].choices = [
            ("", _("Tous les départements de mon périmètre")),
            *departments,
        ]
        if len(departments) < 2:
            self.fields["departement"].widget = forms.HiddenInput()
        self.fields["colonne"].choices = [
            ("", _("Choisir un domaine")),
            *((column.key, column.label) for column in columns),
        ]
        sorts = [*FIELD_SORTS, *self.columns]
        self.fields["tri"].choices = [("", "")] + [
            (value, value) for key in sorts for value in (key, f"-{key}")
        ]
        self.fields["tri"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("etat") and not data.get("colonne"):
            self.add_error("colonne", _("Choisissez le domaine dont filtrer l’état."))
        return data

    def filters(self) -> dict:
        """The valid filters (an invalid field is left out, its error shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.fields if name not in self.errors}


@dataclass
class Selection:
    """The establishments a set of filters keeps, in their order."""

    filters: dict
    columns: list
    queryset: object
    filter_column: object = None  # a column whose state is filtered on
    sort_column: object = None  # a column whose state is sorted on
    sort: str = ""

    @property
    def needs_states(self) -> bool:
        return self.filter_column is not None or self.sort_column is not None


def select(access, filters: dict) -> Selection:
    columns = list(srane_columns)
    departments = access.srane_departments
    if filters.get("departement") in departments:
        departments = (filters["departement"],)
    queryset = Establishment.objects.filter(department__in=departments)
    if filters.get("type"):
        queryset = queryset.filter(kind=filters["type"])
    if filters.get("secteur"):
        queryset = queryset.filter(sector=filters["secteur"])
    search = (filters.get("q") or "").strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(uai__istartswith=search))
    by_key = {column.key: column for column in columns}
    sort = filters.get("tri", "")
    sort_key = sort.lstrip("-")
    filter_column = by_key.get(filters.get("colonne", "")) if filters.get("etat") else None
    if sort_key in FIELD_SORTS:
        fields = FIELD_SORTS[sort_key]
        queryset = queryset.order_by(*(f"-{f}" if sort.startswith("-") else f for f in fields))
    else:
        queryset = queryset.order_by(*DEFAULT_ORDER)
    return Selection(filters, columns, queryset, filter_column, by_key.get(sort_key), sort)


# The states of a column over a whole scope (state filter and sort, charts) cost one batch
# call over every establishment: they are kept a few minutes in the shared cache (Redis in
# production), so paging through a filtered table or reloading the charts does not redo it.
STATES_CACHE_SECONDS = 300


def column_states(column, establishments, school_year, *, fresh=False) -> dict:
    """{establishment id: (state, text)} of one column; `fresh` skips the cache (exports, PDF)."""
    ids = ",".join(str(pk) for pk in sorted(e.pk for e in establishments))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
    key = f"srane-states:{column.key}:{school_year.pk}:{translation.get_language()}:{digest}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    statuses = column.values(establishments, school_year)
    states = {}
    for est in establishments:
        status = statuses.get(est.pk)
        states[est.pk] = (state_of(status), status.text if status else "")
    cache.set(key, states, STATES_CACHE_SECONDS)
    return states


def _apply_states(selection: Selection, school_year, *, fresh=False) -> list:
    """Every selected establishment, filtered and sorted on the state of a column."""
    establishments = list(selection.queryset)
    if selection.filter_column is not None:
        states = column_states(selection.filter_column, establishments, school_year, fresh=fresh)
        wanted = selection.filters["etat"]
        establishments = [e for e in establishments if states[e.pk][0] == wanted]
    if selection.sort_column is not None:
        states = column_states(selection.sort_column, establishments, school_year, fresh=fresh)
        ranks = _RANK_DESCENDING if selection.sort.startswith("-") else _RANK_ASCENDING
        establishments.sort(
            key=lambda e: (ranks[states[e.pk][0]], _text_key(states[e.pk][1]), e.name.casefold())
        )
    return establishments


@dataclass
class Row:
    establishment: Establishment
    statuses: list = field(default_factory=list)


def rows_for(establishments, columns, school_year) -> list[Row]:
    """One row per establishment: one batch call per column."""
    values = {column.key: column.values(establishments, school_year) for column in columns}
    return [
        Row(est, [values[column.key].get(est.pk) for column in columns]) for est in establishments
    ]


def table_page(selection: Selection, school_year, page_number, per_page=PER_PAGE):
    """(page, rows) of the table: the columns are computed for this page's establishments.
    `page_number` may be "last"; anything else that is not a page gives the first or last."""
    if selection.needs_states:
        paginator = Paginator(_apply_states(selection, school_year), per_page)
    else:
        paginator = Paginator(selection.queryset, per_page)
    page = paginator.get_page(paginator.num_pages if page_number == "last" else page_number)
    return page, rows_for(list(page.object_list), selection.columns, school_year)


def all_rows(selection: Selection, school_year) -> list[Row]:
    """Every selected establishment with every column (exports)."""
    if selection.needs_states:
        establishments = _apply_states(selection, school_year, fresh=True)
    else:
        establishments = list(selection.queryset)
    return rows_for(establishments, selection.columns, school_year)


# --- Progress of the year (charts, PDF summary) -------------------------------------------


@dataclass
class Counts:
    done: int = 0
    todo: int = 0
    not_applicable: int = 0

    def add(self, state: str) -> None:
        if state == DONE:
            self.done += 1
        elif state == TODO:
            self.todo += 1
        else:
            self.not_applicable += 1

    @property
    def applicable(self) -> int:
        return self.done + self.todo

    @property
    def share(self) -> float | None:
        return self.done / self.applicable if self.applicable else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


@dataclass
class Progress:
    """How many establishments are "fait" / "à faire" / "sans objet" in each area, overall
    and per département; only the areas with a done/to-do state count (not the figures)."""

    total: int
    columns: list  # [(column, Counts)] of the areas with a state
    departments: list  # [(code, label, establishments, Counts of every area, {key: Counts})]

    @property
    def is_empty(self) -> bool:
        return not self.columns


def progress(establishments: list, school_year, *, fresh=False) -> Progress:
    """The counts over these establishments: one batch call per column (or the cache)."""
    labels = dict(Department.choices)
    per_column, sizes = {}, {}
    columns = list(srane_columns)
    for est in establishments:
        sizes[est.department] = sizes.get(est.department, 0) + 1
    for column in columns:
        states = column_states(column, establishments, school_year, fresh=fresh)
        counts = Counts()
        by_department: dict[str, Counts] = {}
        for est in establishments:
            state = states[est.pk][0]
            counts.add(state)
            by_department.setdefault(est.department, Counts()).add(state)
        if counts.applicable:
            per_column[column.key] = (column, counts, by_department)
    kept = [per_column[c.key] for c in columns if c.key in per_column]
    departments = []
    for code in sorted(sizes):
        overall = Counts()
        by_key = {}
        for column, _counts, by_department in kept:
            counts = by_department.get(code, Counts())
            by_key[column.key] = counts
            overall.done += counts.done
            overall.todo += counts.todo
            overall.not_applicable += counts.not_applicable
        departments.append((code, labels.get(code, code), sizes[code], overall, by_key))
    return Progress(
        total=len(establishments),
        columns=[(column, counts) for column, counts, _by in kept],
        departments=departments,
    )


def scope_progress(selection: Selection, departments, school_year) -> Progress:
    """The progress of a selection, kept in the shared cache like the columns' states: the
    charts of a national scope are reloaded without fetching every establishment again."""
    filters = selection.filters
    scope = "|".join(
        [",".join(sorted(departments)), *(filters.get(n, "") for n in ("type", "secteur", "q"))]
    )
    digest = hashlib.sha256(scope.encode()).hexdigest()[:24]
    key = f"srane-progress:{school_year.pk}:{translation.get_language()}:{digest}"
    data = cache.get(key)
    if data is None:
        computed = progress(list(selection.queryset), school_year)
        data = {
            "total": computed.total,
            "columns": [(column.key, astuple(counts)) for column, counts in computed.columns],
            "departments": [
                (code, size, astuple(overall), {k: astuple(c) for k, c in by_key.items()})
                for code, _label, size, overall, by_key in computed.departments
            ],
        }
        cache.set(key, data, STATES_CACHE_SECONDS)
    columns = {column.key: column for column in srane_columns}
    labels = dict(Department.choices)
    return Progress(
        total=data["total"],
        columns=[(columns[k], Counts(*c)) for k, c in data["columns"] if k in columns],
        departments=[
            (
                code,
                labels.get(code, code),
                size,
                Counts(*overall),
                {k: Counts(*c) for k, c in by_key.items() if k in columns},
            )
            for code, size, overall, by_key in data["departments"]
        ],
    )
