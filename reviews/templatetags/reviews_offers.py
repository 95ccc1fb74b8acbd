"""``{% load reviews_offers %}{% offer_panel application %}`` shows a startup its
offer on the application's status page, without applicants importing reviews."""

from django import template

from applicants.models import Application
from reviews.selectors import offer_latest_for_application

register = template.Library()


@register.inclusion_tag("reviews/includes/offer_panel.html")
def offer_panel(application: Application) -> dict:
    return {"offer": offer_latest_for_application(application=application)}
