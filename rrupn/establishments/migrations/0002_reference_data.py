"""Reference data of SPEC §2: who maintains, which ENT, which pedagogical server."""

from django.db import migrations

COLLECTIVITES = [
    ("region-na", "Région Nouvelle-Aquitaine"),
    ("cd19", "Département de la Corrèze"),
    ("cd23", "Département de la Creuse"),
    ("cd87", "Département de la Haute-Vienne"),
]
ENTS = [("lycee-connecte", "Lycée connecté"), ("ent-creuse", "ENT Creuse")]
SERVERS = [("edutice", "EduTICE"), ("kwartz", "Kwartz")]
# (kind, department, collectivité, ENT, server); "" matches any.
RULES = [
    ("college", "19", "cd19", None, None),
    ("college", "23", "cd23", "ent-creuse", None),
    ("college", "87", "cd87", None, None),
    ("lycee", "", "region-na", "lycee-connecte", None),
    ("lycee_pro", "", "region-na", "lycee-connecte", None),
    ("lycee_agricole", "", "region-na", "lycee-connecte", None),
    ("erea", "", "region-na", "lycee-connecte", None),
    ("", "87", None, None, "edutice"),
    ("", "23", None, None, "kwartz"),
]


def load(apps, schema_editor):
    Collectivite = apps.get_model("establishments", "Collectivite")
    Ent = apps.get_model("establishments", "Ent")
    Server = apps.get_model("establishments", "PedagogicalServer")
    Rule = apps.get_model("establishments", "DerivationRule")
    coll = {c: Collectivite.objects.get_or_create(code=c, defaults={"name": n})[0]
            for c, n in COLLECTIVITES}
    ents = {c: Ent.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in ENTS}
    servers = {c: Server.objects.get_or_create(code=c, defaults={"name": n})[0]
               for c, n in SERVERS}
    for kind, department, c, e, s in RULES:
        Rule.objects.get_or_create(
            kind=kind,
            department=department,
            defaults={
                "collectivite": coll.get(c),
                "ent": ents.get(e),
                "pedagogical_server": servers.get(s),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("establishments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
