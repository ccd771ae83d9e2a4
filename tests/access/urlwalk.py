"""Walk the URL resolver: every pattern with the key the matrix uses and its parameters."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_urls(patterns=None, prefix="", namespace="", params=()):
    """Yield (key, route, parameter names); key = "namespace:name" (the route if unnamed)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            own = tuple(entry.pattern.regex.groupindex)
            yield from iter_urls(entry.url_patterns, prefix + str(entry.pattern), ns, params + own)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = f"{namespace}{entry.name or route}"
            yield key, route, params + tuple(entry.pattern.regex.groupindex)


def uncovered(entry_for, patterns=None) -> list[str]:
    return sorted({key for key, _route, _params in iter_urls(patterns) if entry_for(key) is None})


def fill_route(route: str, values: dict) -> str:
    """The path of an unnamed route, its parameters replaced by `values`."""
    import re

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")
