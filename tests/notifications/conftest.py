import pytest


@pytest.fixture
def with_addresses(leader, member):
    leader.email, member.email = "smirnova@example.org", "kuznetsov@example.org"
    leader.save()
    member.save()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what is queued for after the commit (the letters' tasks), as a real commit
    would; nested callbacks (a task enqueued from a callback) run too."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def letters_to(outbox, address):
    return [message for message in outbox if message.to == [address]]
