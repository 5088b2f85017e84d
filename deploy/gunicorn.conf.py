"""gunicorn settings for Jarida (measured against granian and uvicorn: docs/operations.md).

gunicorn is not the default server; this file is what benchmarks/servers.py runs, and a
starting point for whoever prefers it. Only ever behind a buffering proxy (nginx): each
connection holds a thread while its request is read, so slow clients exhaust the threads.
"""

import os

wsgi_app = "jarida.wsgi:application"
bind = os.environ.get("JARIDA_BIND", "127.0.0.1:8000")
# Threads share a process: one worker per core, 8 threads each.
worker_class = "gthread"
workers = int(os.environ.get("WORKERS", "2"))
threads = int(os.environ.get("THREADS", "8"))
# A worker silent for 30 s is killed and replaced; SIGHUP reloads gracefully.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Forget a leak: each worker is replaced after about 10,000 requests (jittered).
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = None
