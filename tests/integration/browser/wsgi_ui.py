"""The app with the pages registered, for the browser tests: `gunicorn tests.integration.browser.wsgi_ui:app`."""

from service.web import create_app, ui

app = create_app()
ui.init_app(app)
