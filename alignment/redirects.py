"""The one place a return address read from a request ("next") is accepted.

Only a path on this site is: it starts with a single "/", names no scheme and no host, and
holds no backslash or control character (which browsers would read as a host or strip).
Anything else (`javascript:...`, `https://elsewhere`, `//elsewhere`, `/\\elsewhere`) gives
the fallback, so a link or a redirect built from it never leaves the site or runs a script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(target: str | None, *, host: str) -> bool:
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    return url_has_allowed_host_and_scheme(target, allowed_hosts={host})


def safe_next_url(request, fallback: str, *, name: str = "next") -> str:
    """The request's `name` parameter (query string, else form body) when it is a path on
    this site, else `fallback`."""
    target = request.GET.get(name)
    if not target and request.method == "POST":
        target = request.POST.get(name)
    return target if is_local_path(target, host=request.get_host()) else fallback
