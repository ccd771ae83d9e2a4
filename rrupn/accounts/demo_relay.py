"""Demo announcements of the SRANE (written through the relay's services; safe to run again):
a LINE issue to every RRUPN of the académie, read by Camille Fauvette, and a call for FIL to the
RRUPN of Haute-Vienne, still unread."""

import datetime

from django.utils import timezone

from rrupn.access.scopes import user_access
from rrupn.relay import services
from rrupn.relay.models import Announcement, AnnouncementKind

from .models import User

ANNOUNCEMENTS = [
    (
        "marie.cigogne@ac-limoges.fr",
        "LINE n° 2 : le numérique éducatif ce trimestre",
        AnnouncementKind.LINE,
        "",
        "Le deuxième numéro de la lettre d’information du numérique éducatif est paru.\n"
        "Au sommaire : la campagne GAR de rentrée, Pix+Édu, les cafés numériques.",
        "https://www.ac-limoges.fr/espace-presse/actualites-du-numerique-educatif-121855",
    ),
    (
        "eric.hirondelle@ac-limoges.fr",
        "Appel à FIL : l’ENT au service de la continuité pédagogique",
        AnnouncementKind.FIL,
        "87",
        "Une formation d’initiative locale peut être organisée dans votre établissement ou "
        "votre bassin.\nFaites remonter les besoins de vos équipes avant la fin du mois.",
        "",
    ),
]


def demo_relay(establishments, year) -> None:
    for email, title, kind, department, body, link in ANNOUNCEMENTS:
        if Announcement.objects.filter(title=title).exists():
            continue
        author = User.objects.get(email=email)
        services.announcement_publish(
            access=user_access(author, year),
            user=author,
            data=services.AnnouncementData(
                title=title,
                body=body,
                kind=kind,
                link_url=link,
                department=department,
                publish_on=timezone.localdate() - datetime.timedelta(days=2),
                expires_on=None,
            ),
        )
    reader = User.objects.get(email="camille.fauvette@ac-limoges.fr")
    services.announcement_mark_read(
        announcement=Announcement.objects.get(title=ANNOUNCEMENTS[0][1]), user=reader
    )
