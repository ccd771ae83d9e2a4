"""Named capabilities: the one place that says which role may do what.

A view declares the capability it needs (`@requires("dashboard.view")` or
`permission = "…"` on a class); `EstablishmentAccessMiddleware` enforces it. Domain apps add
their own capabilities from `AppConfig.ready()` with `register_establishment_capability`.
"""

from rrupn.accounts.models import Role

# Not tied to an establishment.
PUBLIC = "public"  # anyone, logged in or not
AUTHENTICATED = "authenticated"  # any logged-in person
SRANE = "srane.overview"  # a SRANE scope (département or académie)

DIRECTION = frozenset({Role.HEAD, Role.DIRECTION})
ALL_STAFF = frozenset(Role)

# capability → roles that hold it in an establishment
ESTABLISHMENT_CAPABILITIES: dict[str, frozenset[str]] = {
    "dashboard.view": ALL_STAFF,
    "inbox.view": DIRECTION,
    "audit.view": DIRECTION,
}
GLOBAL_CAPABILITIES = frozenset({PUBLIC, AUTHENTICATED, SRANE})


def register_establishment_capability(name: str, roles) -> None:
    unknown = set(roles) - set(Role)
    if unknown:
        raise ValueError(f"Unknown roles for capability {name!r}: {sorted(unknown)}")
    ESTABLISHMENT_CAPABILITIES[name] = frozenset(roles)


def is_known(name: str) -> bool:
    return name in GLOBAL_CAPABILITIES or name in ESTABLISHMENT_CAPABILITIES


def roles_grant(roles, capability: str) -> bool:
    return bool(ESTABLISHMENT_CAPABILITIES.get(capability, frozenset()) & set(roles))


def requires(capability: str):
    """Mark a function view with the capability it needs."""
    if not is_known(capability):
        raise ValueError(f"Unknown capability {capability!r}")

    def decorate(view):
        view.permission = capability
        if capability == PUBLIC:
            view.login_required = False  # read by LoginRequiredMiddleware
        return view

    return decorate


def view_capability(view_func) -> str | None:
    view_class = getattr(view_func, "view_class", None)
    return getattr(view_func, "permission", None) or getattr(view_class, "permission", None)
