"""moto's server app for any WSGI server (the publisher benchmark runs it under
gunicorn): `moto_server` itself runs werkzeug's development server, which closes the
connection after every response; AWS keeps connections open, and so does this.

    gunicorn -k gthread -w 1 --threads 8 --keep-alive 30 -b 127.0.0.1:PORT moto_wsgi:app

One worker process: moto keeps its state in memory.
"""
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

app = DomainDispatcherApplication(create_backend_app)
