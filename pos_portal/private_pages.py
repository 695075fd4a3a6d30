"""What a signed-in user is shown is never kept by a browser's or a proxy's cache: every response to an
authenticated request that sets no Cache-Control of its own gets ``private, no-store`` (pages, material and
regulation downloads, PDF and XLSX documents). Static files are answered by WhiteNoise before this middleware and
keep their long-lived caching; anonymous pages (the login page sets its own ``never_cache``) are untouched.
"""

from django.utils.cache import patch_cache_control

PRIVATE = {"private": True, "no_store": True}


class PrivateNoStoreMiddleware:
    """After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, **PRIVATE)
        return response
