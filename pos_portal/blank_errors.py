"""Error answers that views give without a body get the portal's Russian page.

Django's ``require_POST`` answers a GET with an empty 405, and a view may return a bare ``HttpResponseBadRequest``:
a browser shows a blank page. Here such an answer (4xx, no body) is rendered from ``templates/<status>.html`` inside
the portal's layout, keeping its status and headers (``Allow`` of a 405). Answers with a body, and non-HTML
requests (htmx fragments ask for HTML too and get the page's text), are left as they are.
"""

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

#: The statuses that have a page of their own in templates/.
PAGES = {400, 405}


class BlankErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in PAGES and not response.streaming and not response.content:
            try:
                response.content = render_to_string(f"{response.status_code}.html", request=request)
            except TemplateDoesNotExist:  # pragma: no cover - both templates exist
                return response
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
