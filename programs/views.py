from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programs import selectors


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/program_list.html", {"programs": selectors.program_list_published()})


@require_GET
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_get_published(slug=slug)
    return render(request, "programs/program_detail.html", {"program": program})
