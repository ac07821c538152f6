from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import Footer, MainMenu


def _bump(**kwargs):
    from .navigation import bump_version

    bump_version()


for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
    signal.connect(_bump, dispatch_uid=f"navigation-{signal!r}")


@receiver(post_save, sender=Footer, dispatch_uid="navigation-footer-saved")
@receiver(post_delete, sender=Footer, dispatch_uid="navigation-footer-deleted")
@receiver(post_save, sender=MainMenu, dispatch_uid="navigation-menu-saved")
@receiver(post_delete, sender=MainMenu, dispatch_uid="navigation-menu-deleted")
def menu_changed(**kwargs):
    _bump()


@receiver(post_delete, dispatch_uid="navigation-page-deleted")
def page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _bump()
