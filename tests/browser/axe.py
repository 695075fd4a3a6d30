"""An accessibility scan (axe-core, vendored in tests/browser/vendor/) of every page a browser journey visits.

axe-core is injected into every document as an init script (DevTools protocol, so the portal's CSP does not apply
and the portal serves nothing of it). A scan cannot run from Playwright's event handlers (the page may be gone by
then, or the handler would wait for the navigation it is part of), so a navigation only marks the page as new, and
the page is scanned before the journey's next look at it (``page.locator``, ``get_by_*``, ``goto``…) and when the
journey ends: each page is scanned once it has loaded and before anything else happens on it.
"""

from dataclasses import dataclass, field
from pathlib import Path

AXE_SOURCE = Path(__file__).with_name("vendor") / "axe.min.js"
#: The impacts that fail a journey (WCAG 2.1 AA and axe's best practices): the issue's bar.
FAILING_IMPACTS = {"serious", "critical"}
#: Page methods through which a journey looks at the page or leaves it: each first scans a page not yet scanned.
WATCHED_METHODS = (
    "locator",
    "get_by_role",
    "get_by_text",
    "get_by_label",
    "get_by_placeholder",
    "get_by_title",
    "get_by_alt_text",
    "get_by_test_id",
    "goto",
    "go_back",
    "reload",
    "wait_for_url",
    "screenshot",
    "content",
    "close",
)
#: Starts the scan and returns at once; the result lands in ``window.__axeResult`` (waited for with a timeout, so a
#: scan that never finishes fails the journey instead of hanging it).
START = """() => {
  window.__axeResult = undefined;
  if (document.contentType !== 'text/html') { window.__axeResult = []; return; }  // a PDF in Chromium's viewer
  axe.run(document, {resultTypes: ['violations']}).then(
    result => { window.__axeResult = result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    })); },
    error => { window.__axeResult = [{id: 'axe-error', impact: 'critical', help: String(error), targets: []}]; },
  );
}"""
SCAN_TIMEOUT_MS = 20_000


@dataclass
class AxeScan:
    page: object
    base_url: str
    scanned: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    _pending: bool = False
    _busy: bool = False

    def attach(self):
        self.page.context.add_init_script(path=str(AXE_SOURCE))
        self.page.on("framenavigated", self._navigated)
        for name in WATCHED_METHODS:
            setattr(self.page, name, self._scanning_first(getattr(self.page, name)))
        return self

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self._pending = True

    def _scanning_first(self, method):
        def watched(*args, **kwargs):
            self.scan_if_new()
            return method(*args, **kwargs)

        return watched

    def scan_if_new(self):
        if not self._pending or self._busy or self.page.is_closed():
            return
        self._busy = True
        try:
            self._pending = False
            self.page.wait_for_load_state("load")
            url = self.page.url
            if not url.startswith(self.base_url):
                return  # a download, a PDF viewer, about:blank
            self.scanned.append(url)
            self.page.evaluate(START)
            self.page.wait_for_function("() => window.__axeResult !== undefined", timeout=SCAN_TIMEOUT_MS)
            for violation in self.page.evaluate("() => window.__axeResult"):
                if violation["impact"] in FAILING_IMPACTS:
                    self.violations.append(
                        f"{url.removeprefix(self.base_url)}: {violation['id']} ({violation['impact']}) "
                        f"{violation['help']} — {', '.join(violation['targets'])}"
                    )
        finally:
            self._busy = False
