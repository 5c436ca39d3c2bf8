# One image for web, worker and beat (see docker-compose.yml).
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /src/node_modules/htmx.org/dist/htmx.min.js static/vendor/
COPY --from=assets /src/node_modules/chart.js/dist/chart.umd.min.js /src/node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/
COPY --from=assets /src/node_modules/@picocss/pico/css/pico.min.css static/vendor/
# collectstatic only reads settings; a throwaway key satisfies the production checks.
RUN DEBUG=false SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home tandem && mkdir -p /app/media && chown tandem /app/media
USER tandem
EXPOSE 8000
CMD ["gunicorn", "alignment.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
