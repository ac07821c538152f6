"""Two app servers sharing PostgreSQL and Redis, and what happens when either restarts.

    .venv/bin/python bench/scaleout.py

1. Starts gunicorn on ports 8101 (A) and 8102 (B) with DEBUG off.
2. Publishes a news item through A's admin; B shows it on the very next request.
3. Stops Redis: both servers keep serving pages (uncached); Redis comes back and
   caching resumes.
4. Stops PostgreSQL: pages not in the cache answer with the site's own 503 page
   (no traceback); PostgreSQL comes back and the same servers answer 200 again.

PostgreSQL and Redis are the benchmark's own (bench/stack.py), on ports of their own: the
machine's shared servers are never stopped. Both are started again after each check, even
on failure, and stopped when the script ends. Prints one line per check and exits
non-zero if any check failed.
"""

import sys
import time
import uuid

import requests
from stack import (
    django_shell,
    ensure_database,
    ensure_services,
    gunicorn,
    log,
    postgres,
    postgres_up,
    redis,
    redis_up,
)

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append((name, ok))
    log(f"[{'PASS' if ok else 'FAIL'}] {name}{': ' + detail if detail else ''}")


class Editor:
    """An editor signed in to one server's admin (over HTTP, as a proxy would forward it)."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http:", "https:")}

    def _remember(self, response):
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def get(self, path):
        response = requests.get(
            self.base + path, cookies=self.cookies, headers=self.headers, allow_redirects=False
        )
        self._remember(response)
        return response

    def post(self, path, data):
        headers = {**self.headers, "Referer": self.headers["Origin"] + path}
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        response = requests.post(
            self.base + path,
            data=data,
            cookies=self.cookies,
            headers=headers,
            allow_redirects=False,
        )
        self._remember(response)
        return response

    def sign_in(self, username, password):
        self.get("/admin/login/")
        response = self.post("/admin/login/", {"username": username, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed with {response.status_code}")

    def publish(self, page_id):
        path = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}"
        self.get(path)
        return self.post(path, {})


def get(base, path):
    """A reader's request, forwarded by the proxy under the site's one public host name."""
    started = time.monotonic()
    response = requests.get(base + path, headers={"Host": "localhost"}, timeout=10)
    response.elapsed_ms = (time.monotonic() - started) * 1000
    return response


def main():
    ensure_database()
    password = uuid.uuid4().hex
    news = django_shell(
        "from django.contrib.auth.models import User\n"
        "from newsroom.models import NewsItemPage\n"
        "u, _ = User.objects.get_or_create(username='scaleout-editor')\n"
        "u.is_superuser = u.is_staff = True\n"
        f"u.set_password('{password}'); u.save()\n"
        "item = NewsItemPage.objects.live().filter(locale__language_code='en').order_by('pk')[0]\n"
        "print(item.pk, item.url)"
    )
    news_id, news_url = news.splitlines()[-1].split()

    try:
        with gunicorn(8101, 8102) as (a, b):
            log(f"A = {a}, B = {b}; news item {news_url}")
            get(b, news_url)
            second = get(b, news_url)
            check(
                "B caches the news item for anonymous readers",
                second.headers.get("X-Page-Cache") == "hit",
                f"X-Page-Cache: {second.headers.get('X-Page-Cache')}",
            )

            headline = f"Scale-out check {uuid.uuid4().hex[:8]}"
            django_shell(
                "from newsroom.models import NewsItemPage\n"
                f"item = NewsItemPage.objects.get(pk={news_id})\n"
                f"item.title = '{headline}'\n"
                "item.save_revision()"
            )
            editor = Editor(a)
            editor.sign_in("scaleout-editor", password)
            published = editor.publish(news_id)
            check("A publishes the edit through its admin", published.status_code == 302)
            seen = get(b, news_url)
            check(
                "B shows the new headline on the next request",
                headline in seen.text,
                f"status {seen.status_code}, X-Page-Cache {seen.headers.get('X-Page-Cache')}",
            )
            newsroom = get(b, "/en/news/")
            check("B's newsroom lists it at once", headline in newsroom.text)

            log("-- stopping Redis")
            redis("stop")
            check("Redis is down", not redis_up())
            for name, base in (("A", a), ("B", b)):
                for path in ("/en/", news_url, "/en/news/"):
                    response = get(base, path)
                    check(
                        f"{name} serves {path} without Redis",
                        response.status_code == 200,
                        f"{response.status_code}, {response.elapsed_ms:.0f} ms, "
                        f"X-Page-Cache {response.headers.get('X-Page-Cache')}",
                    )
            log("-- starting Redis again")
            redis("start")
            wait(redis_up)
            get(a, news_url)
            again = get(a, news_url)
            check(
                "caching resumes once Redis is back",
                again.headers.get("X-Page-Cache") == "hit",
                f"X-Page-Cache {again.headers.get('X-Page-Cache')}",
            )

            log("-- stopping PostgreSQL")
            get(a, "/en/")
            postgres("stop")
            check("PostgreSQL is down", not postgres_up())
            try:
                for name, base in (("A", a), ("B", b)):
                    cached = get(base, "/en/")
                    check(
                        f"{name} still serves the cached home page",
                        cached.status_code == 200,
                        f"{cached.status_code}, X-Page-Cache {cached.headers.get('X-Page-Cache')}",
                    )
                    down = get(base, f"/en/search/?q={uuid.uuid4().hex}")
                    check(
                        f"{name} answers an uncached page with the site's 503 page",
                        down.status_code == 503
                        and "temporarily unavailable" in down.text
                        and "Traceback" not in down.text,
                        f"{down.status_code}, Retry-After {down.headers.get('Retry-After')}",
                    )
            finally:
                log("-- starting PostgreSQL again")
                postgres("start")
                wait(postgres_up)
            statuses = []
            for _round in range(3):
                for base in (a, b):
                    statuses.append(get(base, f"/en/search/?q={uuid.uuid4().hex}").status_code)
                    statuses.append(get(base, "/en/news/?page=1").status_code)
            check(
                "both servers answer 200 again without a restart",
                set(statuses) == {200},
                f"statuses {statuses}",
            )
    finally:
        ensure_services()

    failed = [name for name, ok in RESULTS if not ok]
    log(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed")
    return 1 if failed else 0


def wait(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
