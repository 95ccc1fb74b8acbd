"""An e-mail backend standing in for an SMTP server that refuses, for unit tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses the next ``refusals`` messages with ``code``, then delivers like locmem."""

    refusals = 0
    code = 451

    def send_messages(self, messages):
        if RefusingBackend.refusals > 0:
            RefusingBackend.refusals -= 1
            raise smtplib.SMTPDataError(RefusingBackend.code, b"Try again later")
        return super().send_messages(messages)
