"""Lighthouse scores of the main page types, on mobile and desktop.

Usage (with the site running, e.g. `make run` in another terminal):

    .venv/bin/python bench/lighthouse.py [BASE_URL]

BASE_URL defaults to http://127.0.0.1:8000. Lighthouse comes from the npm registry
(installed once into var/lighthouse) and drives Debian's chromium (/usr/bin/chromium);
nothing downloads a browser. Prints, per page and form factor, the four category
scores and the cumulative layout shift. Targets: performance ≥ 95 on a quiet machine,
accessibility, best practices and SEO 100 (SEO is lower by design on noindexed pages).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL_DIR = ROOT / "var" / "lighthouse"
LIGHTHOUSE = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.8.2"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --no-first-run --disable-quic"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def install():
    if LIGHTHOUSE.exists():
        return
    TOOL_DIR.mkdir(parents=True, exist_ok=True)
    # A package of its own, so npm does not add Lighthouse to the project's package.json.
    (TOOL_DIR / "package.json").write_text('{"private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", f"lighthouse@{VERSION}"],
        cwd=TOOL_DIR,
        check=True,
    )


def first_link(base, path, pattern):
    html = urllib.request.urlopen(base + path, timeout=30).read().decode()
    match = re.search(pattern, html)
    return match.group(1) if match else None


HUBS = [
    ("country", "/en/countries/participating-states/"),
    ("field of work", "/en/our-work/fields-of-work/"),
    ("institution", "/en/structures-and-institutions/"),
]


def pages(base):
    found = {"home": "/en/", "newsroom": "/en/news/", "search": "/en/search/?q=security"}
    card = r'class="news-card__title"><a href="([^"]+)"'
    found["news item"] = first_link(base, "/en/news/", card)
    for name, section in HUBS:
        # The first card of the section: a page one level below it.
        pattern = rf'href="({re.escape(section)}[^"/]+/)"'
        try:
            found[name] = first_link(base, section, pattern)
        except OSError:
            found[name] = None
    found["home (ru)"] = "/ru/"
    return {name: path for name, path in found.items() if path}


def run(url, form_factor):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
        ]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, check=True, env=env, capture_output=True)
        data = json.loads(report.read_text())
    scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
    cls = data["audits"]["cumulative-layout-shift"]["numericValue"]
    return scores, cls


def main():
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    install()
    print(f"Lighthouse {VERSION} on {base}")
    print(f"{'page':<16} {'form':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'CLS':>7}")
    for name, path in pages(base).items():
        for form_factor in ("mobile", "desktop"):
            scores, cls = run(base + path, form_factor)
            print(
                f"{name:<16} {form_factor:<8} {scores['performance']:>5} "
                f"{scores['accessibility']:>5} {scores['best-practices']:>5} {scores['seo']:>5} "
                f"{cls:>7.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
