"""Running a few lines of Python under the production settings, in a fresh process.

Production settings are read once, at start-up, from the environment; a subprocess is
how a test sees what a deployment with that environment would get.
"""

import os
import subprocess
import sys

from django.conf import settings


def run_in_production(code, tmp_path, unset=(), **environ):
    """The finished process that ran ``code`` after ``django.setup()`` in production."""
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="production-test-not-secret",
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environ,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
