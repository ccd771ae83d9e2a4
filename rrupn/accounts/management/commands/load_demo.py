from django.core.management.base import BaseCommand, CommandError

from rrupn.accounts.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (personnes fictives) ; peut être relancée."

    def handle(self, *args, **options):
        try:
            accounts = load_demo()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for email, description in accounts:
            self.stdout.write(f"  {email:38} {description}")
