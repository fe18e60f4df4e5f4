# The production image: one image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=kpas.settings.production

# WeasyPrint needs Pango; fonts for letters and certificates.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY kpas kpas
COPY schools schools
COPY referrals referrals
COPY penalties penalties
COPY returns returns
RUN pip install -c constraints.txt .
COPY . .
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 kpas && mkdir -p /app/var && chown -R kpas /app/var
USER kpas
EXPOSE 8000
CMD ["gunicorn", "kpas.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
