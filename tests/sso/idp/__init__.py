"""A tiny OpenID Connect provider (allauth.idp.oidc) for the end-to-end login test.

It runs as its own Django project and process on loopback; see serve.py.
"""
