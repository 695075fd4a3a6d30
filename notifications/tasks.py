"""The tasks of the mail (Django's Tasks API): one per letter."""

from django_tasks import task

from notifications.outbox import deliver


@task()
def send_outbox(pk: int) -> str:
    """Send the outbox row ``pk`` (exactly once: ``outbox.deliver``)."""
    return deliver(pk)
