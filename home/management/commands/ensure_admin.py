import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure an administrator exists. Uses DJANGO_SUPERUSER_USERNAME and "
        "DJANGO_SUPERUSER_PASSWORD when set; otherwise creates 'admin' with a "
        "generated password, printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        user = User.objects.filter(username=username).first()
        if user is not None:
            if password and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(
                    f"Administrator '{username}': password updated from the environment."
                )
            else:
                self.stdout.write(f"Administrator '{username}' exists.")
            return
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created administrator '{username}' with password: {password}\n"
                    "It is shown only this once; set DJANGO_SUPERUSER_PASSWORD to choose your own."
                )
            )
        else:
            self.stdout.write(f"Created administrator '{username}'.")
