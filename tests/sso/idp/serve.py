"""Start the test identity provider: python -m tests.sso.idp.serve PORT DATA_DIR

DATA_DIR holds users.json ([{email, password, first_name, last_name}]), clients.json
([{id, secret, redirect_uri}]) and claims.json ({email: {claim: value}}); this script adds the
signing keys and the SQLite database, then serves on 127.0.0.1:PORT until killed.
"""

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def write_private_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)


def populate(data_dir: Path) -> None:
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth import get_user_model

    for entry in json.loads((data_dir / "users.json").read_text()):
        user = get_user_model().objects.create_user(
            username=entry["email"].split("@")[0],
            email=entry["email"],
            password=entry["password"],
            first_name=entry.get("first_name", ""),
            last_name=entry.get("last_name", ""),
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for entry in json.loads((data_dir / "clients.json").read_text()):
        client = Client(
            id=entry["id"],
            name=entry["id"],
            scopes="openid\nprofile\nemail",
            redirect_uris=entry["redirect_uri"],
            skip_consent=True,
        )
        client.set_secret(entry["secret"])
        client.save()


def main() -> None:
    port, data_dir = int(sys.argv[1]), Path(sys.argv[2])
    write_private_key(data_dir / "private_key.pem")
    write_private_key(data_dir / "other_key.pem")
    os.environ["IDP_DATA_DIR"] = str(data_dir)
    os.environ["IDP_ISSUER"] = f"http://127.0.0.1:{port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.idp.settings"

    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    populate(data_dir)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
