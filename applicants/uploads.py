"""What an uploaded file really is, read from its first bytes."""

from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from common.errors import DomainError

# content type -> (magic prefix, extensions a file of that type may carry)
ALLOWED_TYPES = {
    "application/pdf": (b"%PDF-", {".pdf"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {".png"}),
    "image/jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
}


def detect_upload(uploaded: UploadedFile, *, field: str) -> str:
    """The file's content type, or a DomainError naming ``field`` when the file
    is too large, empty, or not a PDF, PNG or JPEG whatever its name says."""
    limit = settings.RUNWAY_ATTACHMENT_MAX_BYTES
    if uploaded.size is None or uploaded.size == 0:
        raise DomainError("The file is empty.", field=field)
    if uploaded.size > limit:
        raise DomainError(f"The file is larger than {limit // (1024 * 1024)} MB.", field=field)
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    suffix = PurePath(uploaded.name or "").suffix.lower()
    for content_type, (magic, suffixes) in ALLOWED_TYPES.items():
        if head.startswith(magic):
            if suffix not in suffixes:
                raise DomainError(
                    f"The file's name ends in {suffix or 'nothing'} but it is a {content_type.split('/')[1].upper()}.",
                    field=field,
                )
            return content_type
    raise DomainError("Upload a PDF, PNG or JPEG file.", field=field)
