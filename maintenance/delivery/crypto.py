"""Channel secrets (GLPI app and user tokens), encrypted at rest with Fernet.

The key comes from FIELD_ENCRYPTION_KEY when set (so SECRET_KEY can rotate without losing the
tokens), else is derived from SECRET_KEY; a secret is never shown back, only whether it is set.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    material = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"rrupn-channel-secrets", info=b"fernet"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(ciphertext: str) -> str | None:
    """The secret, or None when it was written under another key (it must be set again)."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        return None


def read_secret(*, channel, establishment, name: str) -> str | None:
    from ..models import ChannelCredential

    row = ChannelCredential.objects.filter(
        channel=channel, establishment=establishment, name=name
    ).first()
    return decrypt(row.ciphertext) if row else None
