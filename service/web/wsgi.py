"""The gunicorn entry point: `gunicorn service.web.wsgi:app` (one app, and one set of models, per worker)."""

from service.web import create_app

app = create_app()
