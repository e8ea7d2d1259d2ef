# One image for every Procfile role: it starts the web role; compose.yaml (or the platform) runs the
# worker role from the same image. Configuration comes from the environment (README, Configuration).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANTERN_ENV=production PORT=8000

WORKDIR /app
# Dependencies first, so a code change doesn't reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

# Never root: a web process that handles survivors' words has no business owning the image.
# /spool: the outage spool, a volume that every web replica of compose.yaml shares.
RUN useradd --system --no-create-home --shell /usr/sbin/nologin lantern && mkdir -p /spool && chown lantern /spool
USER lantern

EXPOSE 8000
# The Procfile's web line, word for word (tests/test_docker.py checks it).
CMD ["sh", "-c", "exec gunicorn app:app --config config/gunicorn.py --bind 0.0.0.0:$PORT --workers ${WEB_CONCURRENCY:-3} --worker-class config.gunicorn.ThreadWorker --threads ${WEB_THREADS:-64} --timeout 20 --no-control-socket"]
