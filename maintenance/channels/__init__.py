"""One transport class per channel kind; the delivery service only sees these errors.

A transient error (network, timeout, 5xx, 429, SMTP 4xx) is retried later with back-off; a
permanent one (bad credentials, 4xx, SMTP 5xx) stops the delivery until someone retries it.
Messages are French: they are shown to the RRUPN as the reason of the failure.
"""


class DeliveryError(Exception):
    permanent = False


class TransientError(DeliveryError):
    pass


class PermanentError(DeliveryError):
    permanent = True


def transport_for(channel):
    from ..models import ChannelKind

    if channel.kind == ChannelKind.GLPI:
        from .glpi import GlpiTransport

        return GlpiTransport(channel)
    if channel.kind == ChannelKind.EMAIL:
        from .email import EmailTransport

        return EmailTransport(channel)
    raise PermanentError(f"Le canal « {channel} » se transmet à la main.")
