"""allauth provider for OpenID Connect with ProConnect's constraints (nonce, long state, JWT userinfo)."""
