"""Where the accessibility and HTML checkers live, and why a test skips without them."""

import shutil
from pathlib import Path

from django.conf import settings

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

AXE_MISSING = (
    None
    if AXE.exists()
    else f"accessibility test skipped: {AXE} is missing (run `npm ci`; .ci/run does this)"
)
VNU_MISSING = (
    f"HTML validity test skipped: {VNU} is missing (run `npm ci`; .ci/run does this)"
    if not VNU.exists()
    else "HTML validity test skipped: java is not installed "
    "(apt-get install default-jre-headless; .ci/run does this)"
    if JAVA is None
    else None
)
