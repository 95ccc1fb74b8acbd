class MessageObsolete(Exception):
    """Raised while finishing a message when there is nothing left to send:
    the invitation was accepted or revoked, the sign-up confirmed or expired."""
