"""Reading test-client responses as a WSGI server would."""


def read_body(response) -> bytes:
    """The body of ``response``. A streaming response (a file download) is consumed through the
    test client's wrapper, which closes it with Django's ``request_finished`` handlers held back.
    Calling ``response.close()`` directly would fire them and close the test's database connection
    (fatal on PostgreSQL, where the test runs inside that connection's transaction)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
