from common.errors import DomainError


class ReviewError(DomainError):
    pass
