"""Every kind of public page is valid HTML for the Nu HTML Checker (vnu), in two languages."""

import json
import subprocess

import pytest

from tests.quality.checkers import JAVA, VNU, VNU_MISSING
from tests.quality.conftest import LANGUAGES, public_pages

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.skipif(VNU_MISSING is not None, reason=VNU_MISSING or ""),
]


def test_public_pages_have_no_html_errors(client, tmp_path):
    files = {}
    for language in LANGUAGES:
        for name, url in public_pages(language):
            response = client.get(url)
            assert response.status_code == (404 if name == "404 page" else 200), url
            path = tmp_path / f"{language}-{name.replace(' ', '-')}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{language} {name} ({url})"

    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} line "
        f"{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
