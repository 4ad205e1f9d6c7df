# Dozor: one image for the service. Data (SQLite file, trained models) lives in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
COPY handlers ./handlers
COPY models ./models
COPY moderation ./moderation
COPY migrations ./migrations
RUN pip install . \
    && useradd --create-home --uid 10001 dozor \
    && mkdir /data && chown dozor /data

USER dozor
# Compile the classifier's scoring kernels once, into the image (numba's cache, ~/.cache/numba),
# so that a container start loads them instead of compiling for several seconds.
RUN python -c "from moderation.classifier import load_default; load_default()"
WORKDIR /data
ENV DOZOR_DB_URL=sqlite+aiosqlite:////data/dozor.sqlite3 \
    DOZOR_MODERATION_MODEL_DIR=/data/models \
    DOZOR_HTTP_PORT=8080
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"

# `dozor run` applies pending migrations before it starts serving.
ENTRYPOINT ["dozor"]
CMD ["run"]
