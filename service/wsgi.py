"""The gunicorn entry point: `gunicorn service.wsgi:app` (one app, and one set of models, per worker)."""

from service import create_app

app = create_app()
