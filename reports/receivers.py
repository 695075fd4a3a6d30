"""Receivers of the signals of the apps that ``reports`` builds on (connected in ``ReportsConfig.ready``)."""

from reports.protocol_pdf import store_correction_document, store_protocol_document


def store_signed_protocol_pdf(sender, protocol, **kwargs):
    """``meetings.signals.protocol_signed``: render the signed protocol once and store it with its SHA-256. Runs
    inside the signing transaction; if rendering or storing fails, the exception propagates and the signing is
    rolled back."""
    store_protocol_document(protocol)


def store_correction_pdf(sender, correction, **kwargs):
    """``meetings.signals.protocol_corrected``: render the correction once and store it with its SHA-256, inside
    the correction's transaction (a failure undoes the correction). The protocol's own stored PDF is not touched."""
    store_correction_document(correction)
