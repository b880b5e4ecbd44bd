# ipcoord: slim image; migrates the database to head, then serves with uvicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY service ./service
COPY schemas ./schemas
COPY maps ./maps
COPY migrations ./migrations
RUN pip install . && useradd --system --home /var/lib/ipcoord ipcoord && mkdir -p /var/lib/ipcoord \
    && chown ipcoord /var/lib/ipcoord

USER ipcoord
ENV IPCOORD_ENV=production IPCOORD_DATA_DIR=/var/lib/ipcoord
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready')"
CMD ["sh", "-c", "ipcoord migrate && exec ipcoord serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
