import pytest
from django.contrib.auth import get_user_model

from config.roles import EDITORS, MODERATORS, setup_roles

PASSWORD = "correct-horse-battery-staple"


def make_user(username, group_name=None, **kw):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=username.capitalize(),
        **kw,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def roles(db):
    return setup_roles()


@pytest.fixture
def editor(roles):
    return make_user("eva", EDITORS)


@pytest.fixture
def colleague(roles):
    return make_user("carl", EDITORS)


@pytest.fixture
def moderator(roles):
    return make_user("mona", MODERATORS)


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True, is_staff=True)
