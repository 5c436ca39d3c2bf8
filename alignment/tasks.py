from celery import shared_task


@shared_task(name="alignment.ping")
def ping() -> str:
    """Round-trip check for workers: returns "pong"."""
    return "pong"
