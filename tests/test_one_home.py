"""Access rules have one home: views, services and the second factor refuse through ``require()``
(``pos_portal/roles.py``, re-exported by ``communities/access.py``), never by raising ``PermissionDenied``
themselves."""

import re
from pathlib import Path

from django.conf import settings

APPS = ["communities", "meetings", "reports", "pos_portal", "demo"]
RAISES = re.compile(r"raise\s+PermissionDenied\b")
HOME = Path("pos_portal") / "roles.py"


def test_permission_denied_is_raised_only_by_require():
    root = Path(settings.BASE_DIR)
    raising = sorted(
        str(path.relative_to(root))
        for app in APPS
        for path in (root / app).rglob("*.py")
        if RAISES.search(path.read_text(encoding="utf-8"))
    )
    assert raising == [str(HOME)]
